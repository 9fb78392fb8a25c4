/* The simulated CPUs: which one arch calls run on, and each one's stage-2
 * context (VTTBR_EL2).  A CPU has no context until arch_set_stage2 gives
 * it one; its accesses then fault with SIM_FAULT_ADDRESS. */
#include <string.h>

#include "hyp/arch.h"
#include "sim_private.h"

static struct {
	unsigned ncpus;
	unsigned current;
	struct sim_stage2 s2[ARCH_MAX_CPUS];
	/* as at the last checkpoint */
	unsigned saved_current;
	struct sim_stage2 saved_s2[ARCH_MAX_CPUS];
} cpus;
static uint64_t context_epoch; /* outside cpus: it never goes back */

void sim_cpus_init(const struct sim_config *cfg)
{
	memset(&cpus, 0, sizeof(cpus));
	cpus.ncpus = cfg->ncpus;
	context_epoch++;
}

void sim_cpus_checkpoint(void)
{
	cpus.saved_current = cpus.current;
	memcpy(cpus.saved_s2, cpus.s2, sizeof(cpus.s2));
}

void sim_cpus_restore(void)
{
	cpus.current = cpus.saved_current;
	memcpy(cpus.s2, cpus.saved_s2, sizeof(cpus.s2));
	context_epoch++;
}

void sim_set_cpu(unsigned cpu)
{
	if (cpu < cpus.ncpus)
		cpus.current = cpu;
}

unsigned sim_cpu(void)
{
	return cpus.current;
}

const struct sim_stage2 *sim_cpu_context(unsigned cpu)
{
	return cpu < cpus.ncpus ? &cpus.s2[cpu] : NULL;
}

void sim_cpu_load_stage2(unsigned cpu, uint16_t vmid, uint64_t root)
{
	if (cpu < cpus.ncpus)
		cpus.s2[cpu] = (struct sim_stage2){ .enabled = true, .vmid = vmid, .root = root };
	context_epoch++;
}

uint64_t sim_context_epoch(void)
{
	return context_epoch;
}

void sim_cpu_stage2(unsigned cpu, struct sim_stage2 *out)
{
	const struct sim_stage2 *s2 = sim_cpu_context(cpu);

	*out = s2 ? *s2 : (struct sim_stage2){ 0 };
}

unsigned arch_cpu_id(void)
{
	return cpus.current;
}

unsigned arch_cpu_count(void)
{
	return cpus.ncpus;
}
