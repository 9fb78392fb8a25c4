#include "percpu.h"

#include "hyp/arch.h"
#include "layout.h"
#include "npt.h"

static struct kcore_cpu cpus[ARCH_MAX_CPUS];

void kcore_percpu_reset(void)
{
	for (unsigned i = 0; i < ARCH_MAX_CPUS; i++) {
		cpus[i].vm = 0;
		cpus[i].vcpu = 0;
	}
}

struct kcore_cpu *kcore_this_cpu(void)
{
	unsigned cpu = arch_cpu_id();

	if (cpu >= kcore_layout()->ncpus)
		arch_panic("percpu: call from a CPU KCore was not booted on");
	return &cpus[cpu];
}

const struct kcore_cpu *kcore_percpu_peek(unsigned cpu)
{
	return cpu < kcore_layout()->ncpus ? &cpus[cpu] : 0;
}

void kcore_cpu_enter_host(struct kcore_cpu *c)
{
	c->vm = 0;
	c->vcpu = 0;
	arch_set_stage2(KSERV_VMID, kcore_kserv_npt_root());
	arch_isb();
}
