/* Running guests from the host.  A vcpu_run does not return while its
 * guest runs, so it is made on a secondary CPU, and the boot CPU drives
 * the guest there through the platform's command channel. */
#include "guest/guest_abi.h"
#include "host.h"
#include "host_defs.h"

struct vcpu_run {
	uint64_t vm, vcpu;
	struct hvc_ret ret;
};

static struct vcpu_run runs[HOST_MAX_CPUS];
static uint32_t running[HOST_MAX_CPUS];

static void do_vcpu_run(unsigned cpu, void *arg)
{
	struct vcpu_run *r = arg;

	r->ret = host_hvc(HVC_VCPU_RUN, r->vm, r->vcpu, 0);
	__atomic_store_n(&running[cpu], 0, __ATOMIC_RELEASE);
	__asm__ volatile("sev");
}

static bool guest_waits(unsigned cpu)
{
	return host_hvc(PLAT_GUEST_QUERY, cpu, 0, 0).x0 == 1;
}

int64_t host_vcpu_start(unsigned cpu, uint64_t vm, uint64_t vcpu)
{
	struct vcpu_run *r = &runs[cpu];

	if (cpu == 0 || cpu >= HOST_MAX_CPUS)
		return PLAT_E_ARG;
	*r = (struct vcpu_run){ .vm = vm, .vcpu = vcpu };
	__atomic_store_n(&running[cpu], 1, __ATOMIC_RELEASE);
	host_post(cpu, do_vcpu_run, r);
	/* Either KCore refused (the call came back) or the guest is in and
	 * asks for its first command. */
	for (;;) {
		if (!__atomic_load_n(&running[cpu], __ATOMIC_ACQUIRE)) {
			host_wait(cpu);
			/* A guest that left at once still entered: its exit
			 * says why. */
			return r->ret.x0;
		}
		if (guest_waits(cpu))
			return 0;
		__asm__ volatile("wfe");
	}
}

bool host_vcpu_running(unsigned cpu)
{
	return cpu < HOST_MAX_CPUS && __atomic_load_n(&running[cpu], __ATOMIC_ACQUIRE);
}

struct guest_exit host_vcpu_wait_exit(unsigned cpu)
{
	struct vcpu_run *r = &runs[cpu];

	host_wait(cpu);
	return (struct guest_exit){ r->ret.x1, r->ret.x2, r->ret.x3 };
}

int64_t host_guest_cmd(unsigned cpu, unsigned kind, bool nc, uint64_t a, uint64_t b,
		       struct guest_seen *seen)
{
	struct hvc_ret r = host_hvc(PLAT_GUEST_CMD, cpu | (uint64_t)kind << 8 | (uint64_t)nc << 16, a, b);

	*seen = (struct guest_seen){ r.x1, r.x2, r.x3 };
	return r.x0;
}

int64_t host_guest_call(unsigned cpu, uint64_t op, uint64_t arg)
{
	struct guest_seen seen;
	int64_t r = host_guest_cmd(cpu, GUEST_CMD_CALL, false, op, arg, &seen);

	return r < 0 ? r : (int64_t)seen.value;
}

int64_t host_guest_power_off(unsigned cpu)
{
	struct guest_seen seen;
	int64_t r = host_guest_cmd(cpu, GUEST_CMD_POWER_OFF, false, 0, 0, &seen);

	return r < 0 ? r : (int64_t)seen.value;
}
