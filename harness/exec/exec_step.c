/* What each step kind does on the machine model.  Runs on the step's CPU
 * (a coroutine); every call into the target is reported to the checks. */
#include "exec/exec_step.h"

#include "exec/checks/checks.h"
#include "hyp/s2desc.h"
#include "kserv.h"
#include "sim/machine.h"

static int64_t call(const struct exec_ctx *x, enum call_kind kind, uint64_t op,
		    uint64_t a0, uint64_t a1, uint64_t a2)
{
	struct call_record c = { .kind = kind, .op = op, .a0 = a0, .a1 = a1, .a2 = a2 };
	c.cpu = sim_cpu();
	c.begin = checks_call_begin(&c);
	sim_call_boundary(c.cpu);
	switch (kind) {
	case CALL_HOST: c.ret = x->t->host_call(op, a0, a1, a2); break;
	case CALL_GUEST: c.ret = x->t->guest_call(op, a0); break;
	case CALL_KSERV_FAULT: c.ret = x->t->kserv_fault(a0); break;
	}
	sim_call_boundary(c.cpu);
	checks_call_end(&c);
	return c.ret;
}

/* The VM whose vCPU runs on cpu, 0 when it is in the host. */
static unsigned guest_on(const struct exec_ctx *x, unsigned cpu)
{
	struct kcore_cpu_view v;
	return x->t->view_cpu(cpu, &v) && v.vm > 0 ? (unsigned)v.vm : 0;
}

static bool cpu_in_guest(const struct exec_ctx *x, unsigned cpu)
{
	return guest_on(x, cpu) != 0;
}

/* KServ's stage-2 faults go to the target under test, recorded. */
static int64_t kserv_fault_call(void *ctx, uint64_t pa)
{
	return call(ctx, CALL_KSERV_FAULT, 0, pa, 0, 0);
}

void exec_step_attach(const struct exec_ctx *x)
{
	kserv_set_fault_handler(kserv_fault_call, (void *)x);
}

static void run_host(const struct exec_ctx *x, const struct program_step *s, struct step_obs *o)
{
	const struct step_info *info = program_step_info(s->kind);
	if (cpu_in_guest(x, sim_cpu())) {
		o->status = OBS_NOT_HOST;
		return;
	}
	o->ret = call(x, CALL_HOST, info->op, s->arg[0], s->arg[1], s->arg[2]);
}

static void run_guest_access(const struct exec_ctx *x, const struct program_step *s, struct step_obs *o)
{
	if (!cpu_in_guest(x, sim_cpu())) {
		o->status = OBS_NOT_GUEST;
		return;
	}
	struct sim_access acc;
	bool write = s->kind == STEP_GUEST_WRITE;
	uint64_t ipa = (s->arg[0] << PAGE_SHIFT) + (s->arg[1] & PAGE_MASK);
	uint64_t val = write ? x->guest_value(x, s) : 0;
	unsigned flags = (write ? SIM_ACC_WRITE : 0) |
		((write ? s->arg[3] : s->arg[2]) ? SIM_ACC_NONCACHEABLE : 0);
	if (s->kind == STEP_GUEST_FETCH)
		flags = SIM_ACC_FETCH;
	o->vm_side = 1;
	o->vm = (uint8_t)guest_on(x, sim_cpu());
	o->fault = sim_cpu_access(sim_cpu(), ipa, flags, &val, &acc);
	o->val = write ? 0 : val;
	struct kcore_page_view pv;
	if (write && o->fault == SIM_OK) {
		o->pfn = acc.pa >> PAGE_SHIFT;
		o->shared = x->t->view_page(o->pfn, &pv) && pv.share > 0;
	}
}

/* The page behind gfn in the stage-2 the CPU runs now, or ~0. */
static uint64_t guest_page(uint64_t gfn)
{
	struct sim_stage2 st;
	struct sim_walk w;
	sim_cpu_stage2(sim_cpu(), &st);
	if (!st.enabled || gfn > S2_MAX_GFN || sim_s2_walk(st.root, gfn << PAGE_SHIFT, &w) != SIM_OK)
		return ~0ull;
	return w.pa >> PAGE_SHIFT;
}

static void run_guest_call(const struct exec_ctx *x, const struct program_step *s, struct step_obs *o)
{
	o->vm_side = 1;
	o->vm = (uint8_t)guest_on(x, sim_cpu());
	if (s->kind == STEP_GUEST_GRANT)
		o->pfn = guest_page(s->arg[0]);
	o->ret = call(x, CALL_GUEST, program_step_info(s->kind)->op, s->arg[0], 0, 0);
}

static uint64_t attacker_value(const struct exec_ctx *x, const struct program_step *s, uint64_t plain)
{
	return x->kserv_value != NULL ? x->kserv_value(x, s, plain) : plain;
}

/* After a KServ or device write to pfn: whether KServ may write that page
 * (its own, a granted one, or not RAM at all), by the contract (the
 * reference model), else by the target's own view. */
static void note_attacker_write(const struct exec_ctx *x, uint64_t pfn, struct step_obs *o)
{
	struct kcore_page_view pv;
	bool known, may = checks_kserv_may_write(pfn, &known);

	o->pfn = pfn;
	o->shared = known ? may || !x->t->view_page(pfn, &pv)
			  : !x->t->view_page(pfn, &pv) || pv.owner == KCORE_OWNER_KSERV || pv.share > 0;
}

static void run_kserv(const struct exec_ctx *x, const struct program_step *s, struct step_obs *o)
{
	if (cpu_in_guest(x, sim_cpu())) {
		o->status = OBS_NOT_HOST;
		return;
	}
	uint64_t val = 0;
	switch (s->kind) {
	case STEP_KSERV_READ:
		o->fault = kserv_access(s->arg[0], s->arg[1] ? KSERV_ACC_NONCACHEABLE : 0, &val);
		o->val = val;
		break;
	case STEP_KSERV_FETCH:
		o->fault = kserv_access(s->arg[0], KSERV_ACC_FETCH, &val);
		o->val = val;
		break;
	case STEP_KSERV_WRITE:
		val = attacker_value(x, s, s->arg[1]);
		o->fault = kserv_access(s->arg[0], KSERV_ACC_WRITE | (s->arg[2] ? KSERV_ACC_NONCACHEABLE : 0), &val);
		note_attacker_write(x, s->arg[0] >> PAGE_SHIFT, o);
		break;
	case STEP_KSERV_FAULT:
		o->ret = call(x, CALL_KSERV_FAULT, 0, s->arg[0], 0, 0);
		break;
	case STEP_KSERV_LOAD:
		o->fault = kserv_load_image(s->arg[0] > UINT32_MAX ? UINT32_MAX : (unsigned)s->arg[0],
					    s->arg[1] > UINT32_MAX ? UINT32_MAX : (unsigned)s->arg[1], s->arg[2]);
		break;
	default:
		break;
	}
}

static void run_dma(const struct exec_ctx *x, const struct program_step *s, struct step_obs *o)
{
	struct sim_access acc;
	struct kcore_smmu_view u;
	uint64_t val = s->kind == STEP_DMA_WRITE ? attacker_value(x, s, s->arg[2]) : 0;
	unsigned unit = s->arg[0] > 0xffff ? 0xffff : (unsigned)s->arg[0];
	o->fault = sim_dma_access(unit, s->arg[1], s->kind == STEP_DMA_WRITE ? SIM_ACC_WRITE : 0, &val, &acc);
	o->val = s->kind == STEP_DMA_READ ? val : 0;
	o->vm_side = x->t->view_smmu(unit, &u) && u.allocated && u.owner != 0;
	if (s->kind == STEP_DMA_WRITE && o->fault == SIM_OK)
		note_attacker_write(x, acc.pa >> PAGE_SHIFT, o);
}

static void run_machine(const struct program_step *s, struct step_obs *o)
{
	switch (s->kind) {
	case STEP_TLB_FILL:
		o->ret = sim_tlb_spec_fill(sim_cpu(), s->arg[0]);
		break;
	case STEP_PUBLISH_WRITES:
		o->ret = sim_relaxed_pending_writes(sim_cpu());
		sim_relaxed_publish(sim_cpu());
		break;
	case STEP_IOTLB_FILL:
		o->ret = sim_iotlb_spec_fill(s->arg[0] > 0xffff ? 0xffff : (unsigned)s->arg[0], s->arg[1]);
		break;
	default:
		sim_cache_evict(s->arg[0]);
		break;
	}
}

/* o->status stays OBS_NOT_RUN until the step ends: a step cut short by a
 * panic or a deadlock never gets here. */
void exec_step(const struct exec_ctx *x, const struct program_step *s, struct step_obs *o)
{
	o->cpu = (uint8_t)sim_cpu();
	o->pfn = ~0ull;
	switch (program_step_info(s->kind)->cls) {
	case STEP_CLASS_HOST: run_host(x, s, o); break;
	case STEP_CLASS_GUEST_CALL: run_guest_call(x, s, o); break;
	case STEP_CLASS_GUEST_ACCESS: run_guest_access(x, s, o); break;
	case STEP_CLASS_KSERV: run_kserv(x, s, o); break;
	case STEP_CLASS_DMA: run_dma(x, s, o); break;
	case STEP_CLASS_MACHINE: run_machine(s, o); break;
	}
	if (o->status == OBS_NOT_RUN)
		o->status = OBS_DONE;
}
