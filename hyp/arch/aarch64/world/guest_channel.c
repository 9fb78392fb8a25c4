/* The host/guest command channel.
 *
 * Sequence numbers, not flags: the host bumps `posted` after writing the
 * command, the guest takes it by matching `taken` to it and bumps `done`
 * after writing the result.  Each side waits in WFE and wakes the other
 * with SEV after its release store, so no CPU spins on the bus.
 */
#include "guest_channel.h"

#include "guest/guest_abi.h"
#include "hyp/arch.h"
#include "traps/platform_call.h"

struct channel {
	uint32_t claim;   /* a host CPU is handing over a command */
	uint32_t serving; /* a guest takes commands here (from its first
			   * wait until it leaves its VM) */
	uint32_t posted, taken, done;
	unsigned vm, vcpu;
	uint64_t kind, a, b;
	bool nc;
	bool stage2_fault;
	struct guest_result result;
};

static struct channel chan[ARCH_MAX_CPUS];

static void wait_event(void)
{
	__asm__ volatile("wfe" : : : "memory");
}

static void send_event(void)
{
	__asm__ volatile("dsb ish; sev" : : : "memory");
}

bool channel_guest_serving(unsigned cpu, unsigned *vm, unsigned *vcpu)
{
	if (cpu >= ARCH_MAX_CPUS || !__atomic_load_n(&chan[cpu].serving, __ATOMIC_ACQUIRE))
		return false;
	*vm = chan[cpu].vm;
	*vcpu = chan[cpu].vcpu;
	return true;
}

int64_t channel_command(unsigned cpu, uint64_t kind, bool nc, uint64_t a, uint64_t b,
			struct guest_result *out)
{
	uint32_t free = 0;

	if (cpu >= arch_cpu_count())
		return PLAT_E_ARG;
	if (cpu == arch_cpu_id())
		return PLAT_E_NO_GUEST;
	struct channel *c = &chan[cpu];
	if (!__atomic_compare_exchange_n(&c->claim, &free, 1, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return PLAT_E_BUSY;
	if (!__atomic_load_n(&c->serving, __ATOMIC_ACQUIRE)) {
		__atomic_store_n(&c->claim, 0, __ATOMIC_RELEASE);
		return PLAT_E_NO_GUEST;
	}
	c->kind = kind;
	c->nc = nc;
	c->a = a;
	c->b = b;
	uint32_t seq = c->posted + 1;
	__atomic_store_n(&c->posted, seq, __ATOMIC_RELEASE);
	send_event();
	while (__atomic_load_n(&c->done, __ATOMIC_ACQUIRE) != seq)
		wait_event();
	*out = c->result;
	__atomic_store_n(&c->claim, 0, __ATOMIC_RELEASE);
	return 0;
}

uint64_t channel_wait(struct trap_frame *f, unsigned vm, unsigned vcpu, bool *nc)
{
	struct channel *c = &chan[arch_cpu_id()];
	uint32_t seq;

	c->vm = vm;
	c->vcpu = vcpu;
	__atomic_store_n(&c->serving, 1, __ATOMIC_RELEASE);
	send_event();
	while ((seq = __atomic_load_n(&c->posted, __ATOMIC_ACQUIRE)) == c->taken)
		wait_event();
	c->taken = seq;
	c->stage2_fault = false;
	c->result = (struct guest_result){ 0, 0, 0 };
	f->x[0] = c->kind;
	f->x[1] = c->a;
	f->x[2] = c->b;
	*nc = c->nc;
	return c->kind;
}

static void finish(struct channel *c)
{
	if (c->done == c->taken)
		return; /* no command in progress */
	__atomic_store_n(&c->done, c->taken, __ATOMIC_RELEASE);
	send_event();
}

void channel_done(uint64_t value, uint64_t esr, uint64_t far)
{
	struct channel *c = &chan[arch_cpu_id()];

	c->result.value = value;
	if (!c->stage2_fault) {
		c->result.esr = esr;
		c->result.far = esr ? far : 0;
	}
	finish(c);
}

void channel_stage2_fault(uint64_t esr, uint64_t ipa)
{
	struct channel *c = &chan[arch_cpu_id()];

	if (c->done == c->taken || c->stage2_fault)
		return;
	c->stage2_fault = true;
	c->result.esr = esr;
	c->result.far = ipa;
}

void channel_vcpu_left(int64_t ret)
{
	struct channel *c = &chan[arch_cpu_id()];

	c->result.value = (uint64_t)ret;
	__atomic_store_n(&c->serving, 0, __ATOMIC_RELEASE);
	finish(c);
}

void channel_post_leave(unsigned cpu)
{
	struct channel *c = &chan[cpu];

	c->kind = GUEST_CMD_LEAVE;
	__atomic_store_n(&c->posted, c->posted + 1, __ATOMIC_RELEASE);
	send_event();
}

void channel_reset(void)
{
	for (unsigned i = 0; i < ARCH_MAX_CPUS; i++)
		chan[i] = (struct channel){ 0 };
}
