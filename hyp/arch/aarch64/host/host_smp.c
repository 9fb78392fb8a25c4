/* The host's secondary CPUs: each announces itself, then runs the work the
 * boot CPU hands it, one item at a time. */
#include "host.h"
#include "host_defs.h"

struct work_slot {
	host_work_fn fn;
	void *arg;
	uint32_t posted; /* items posted, written by the boot CPU */
	uint32_t done;   /* items finished, written by the slot's CPU */
};

static struct work_slot slots[HOST_MAX_CPUS];
static uint32_t secondaries_up;

_Noreturn void host_secondary_main(const struct host_bootargs *args, unsigned cpu);

unsigned host_secondaries_up(void)
{
	return __atomic_load_n(&secondaries_up, __ATOMIC_ACQUIRE);
}

void host_post(unsigned cpu, host_work_fn fn, void *arg)
{
	struct work_slot *s = &slots[cpu];

	if (cpu == 0 || cpu >= HOST_MAX_CPUS)
		return;
	s->fn = fn;
	s->arg = arg;
	__atomic_store_n(&s->posted, s->posted + 1, __ATOMIC_RELEASE);
	__asm__ volatile("sev");
}

void host_wait(unsigned cpu)
{
	struct work_slot *s = &slots[cpu];

	if (cpu == 0 || cpu >= HOST_MAX_CPUS)
		return;
	while (__atomic_load_n(&s->done, __ATOMIC_ACQUIRE) != s->posted)
		__asm__ volatile("wfe");
}

void host_run_on(unsigned cpu, host_work_fn fn, void *arg)
{
	host_post(cpu, fn, arg);
	host_wait(cpu);
}

_Noreturn void host_secondary_main(const struct host_bootargs *args, unsigned cpu)
{
	struct work_slot *s = &slots[cpu];
	uint32_t seen = 0;

	(void)args;
	kprintf("isofuzz-host: cpu %u at EL1\n", cpu);
	__atomic_fetch_add(&secondaries_up, 1, __ATOMIC_ACQ_REL);
	__asm__ volatile("sev");
	for (;;) {
		uint32_t posted;
		while ((posted = __atomic_load_n(&s->posted, __ATOMIC_ACQUIRE)) == seen)
			__asm__ volatile("wfe");
		seen = posted;
		s->fn(cpu, s->arg);
		__atomic_store_n(&s->done, seen, __ATOMIC_RELEASE);
		__asm__ volatile("sev");
	}
}
