/* Per-CPU state: which vCPU, if any, a CPU runs.  Each CPU touches only
 * its own entry. */
#include "hyp/arch.h"
#include "vanilla_state.h"

static struct vanilla_cpu cpus[ARCH_MAX_CPUS];

void vanilla_cpus_reset(void)
{
	for (unsigned i = 0; i < ARCH_MAX_CPUS; i++)
		cpus[i] = (struct vanilla_cpu){ 0 };
}

struct vanilla_cpu *vanilla_this_cpu(void)
{
	unsigned cpu = arch_cpu_id();

	if (cpu >= vanilla_layout()->ncpus)
		arch_panic("vanilla cpu: call from a CPU the baseline was not booted on");
	return &cpus[cpu];
}

const struct vanilla_cpu *vanilla_cpu_peek(unsigned cpu)
{
	return cpu < vanilla_layout()->ncpus ? &cpus[cpu] : 0;
}

void vanilla_cpu_enter_host(struct vanilla_cpu *c)
{
	c->vm = 0;
	c->vcpu = 0;
	arch_set_stage2(VANILLA_KSERV_VMID, vanilla_kserv_npt_root());
	arch_isb();
}
