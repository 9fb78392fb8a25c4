/* KServ's memory accesses on the machine model. */
#include "kserv.h"

#include "hyp/addr.h"
#include "hyp/kcore.h"
#include "sim/machine.h"

_Static_assert(KSERV_ACC_WRITE == SIM_ACC_WRITE, "flags are the model's");
_Static_assert(KSERV_ACC_NONCACHEABLE == SIM_ACC_NONCACHEABLE, "flags are the model's");

static bool kserv_runs_here(unsigned cpu)
{
	struct sim_stage2 s2;

	sim_cpu_stage2(cpu, &s2);
	return s2.enabled && s2.vmid == 0;
}

static int64_t default_fault(void *ctx, uint64_t pa)
{
	(void)ctx;
	return kcore_kserv_fault(pa);
}

static kserv_fault_fn fault_fn = default_fault;
static void *fault_ctx;

void kserv_set_fault_handler(kserv_fault_fn fn, void *ctx)
{
	fault_fn = fn ? fn : default_fault;
	fault_ctx = fn ? ctx : NULL;
}

int kserv_access(uint64_t pa, unsigned flags, uint64_t *val)
{
	unsigned cpu = sim_cpu();
	struct sim_access acc;
	int fault;

	if (!kserv_runs_here(cpu))
		return SIM_FAULT_NOT_RUNNING;
	fault = sim_cpu_access(cpu, pa, flags, val, &acc);
	if (fault == SIM_OK)
		return SIM_OK;
	/* Whatever the hypervisor answers, the retry shows what KServ can
	 * reach. */
	(void)fault_fn(fault_ctx, pa & ~PAGE_MASK);
	return sim_cpu_access(cpu, pa, flags, val, &acc);
}

int kserv_read64(uint64_t pa, uint64_t *val)
{
	return kserv_access(pa, 0, val);
}

int kserv_write64(uint64_t pa, uint64_t val)
{
	return kserv_access(pa, KSERV_ACC_WRITE, &val);
}

int kserv_access_line(uint64_t pa, unsigned flags, uint64_t words[8])
{
	unsigned cpu = sim_cpu();
	struct sim_access acc;

	if (!kserv_runs_here(cpu))
		return SIM_FAULT_NOT_RUNNING;
	if (sim_cpu_access_line(cpu, pa, flags, words, &acc) == SIM_OK)
		return SIM_OK;
	(void)fault_fn(fault_ctx, pa & ~PAGE_MASK);
	return sim_cpu_access_line(cpu, pa, flags, words, &acc);
}
