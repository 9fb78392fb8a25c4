/* What each step kind does on the machine model.  Runs on the step's CPU
 * (a coroutine); every call into the target is reported to the checks. */
#include "exec_step.h"

#include "checks.h"
#include "guest_image.h"
#include "sim/machine.h"

static int64_t call(const struct exec_ctx *x, enum call_kind kind, uint64_t op,
		    uint64_t a0, uint64_t a1, uint64_t a2)
{
	struct call_record c = { .kind = kind, .op = op, .a0 = a0, .a1 = a1, .a2 = a2 };
	c.cpu = sim_cpu();
	c.begin = checks_call_begin(c.cpu);
	switch (kind) {
	case CALL_HOST: c.ret = x->t->host_call(op, a0, a1, a2); break;
	case CALL_GUEST: c.ret = x->t->guest_call(op, a0); break;
	case CALL_KSERV_FAULT: c.ret = x->t->kserv_fault(a0); break;
	}
	checks_call_end(&c);
	return c.ret;
}

static bool cpu_in_guest(const struct exec_ctx *x, unsigned cpu)
{
	struct kcore_cpu_view v;
	return x->t->view_cpu(cpu, &v) && v.vm != 0;
}

static bool fault_is_stage2(int f)
{
	return f == SIM_FAULT_TRANSLATION || f == SIM_FAULT_ACCESS_FLAG || f == SIM_FAULT_PERMISSION;
}

/* KServ's access: a stage-2 fault goes to the hypervisor, which may map the
 * page; the access is then retried once, as the host's abort handler would. */
static int kserv_access(const struct exec_ctx *x, uint64_t pa, unsigned flags, uint64_t *val)
{
	struct sim_access acc;
	int f = sim_cpu_access(sim_cpu(), pa, flags, val, &acc);
	if (!fault_is_stage2(f))
		return f;
	if (call(x, CALL_KSERV_FAULT, 0, pa & ~PAGE_MASK, 0, 0) != 0)
		return f;
	return sim_cpu_access(sim_cpu(), pa, flags, val, &acc);
}

/* KServ writes page idx of image img into pfn, 8 bytes at a time. */
static int kserv_load(const struct exec_ctx *x, uint64_t img, uint64_t idx, uint64_t pfn)
{
	static uint8_t page[PAGE_SIZE];
	guest_image_page((unsigned)(img > 0xffff ? 0xffff : img),
			 (unsigned)(idx > 0xffff ? 0xffff : idx), page);
	for (unsigned off = 0; off < PAGE_SIZE; off += 8) {
		uint64_t v = 0;
		for (unsigned b = 0; b < 8; b++)
			v |= (uint64_t)page[off + b] << (8 * b);
		int f = kserv_access(x, (pfn << PAGE_SHIFT) + off, SIM_ACC_WRITE, &v);
		if (f != SIM_OK)
			return f;
	}
	return SIM_OK;
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
	o->vm_side = 1;
	o->fault = sim_cpu_access(sim_cpu(), ipa, flags, &val, &acc);
	o->val = write ? 0 : val;
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
		o->fault = kserv_access(x, s->arg[0], s->arg[1] ? SIM_ACC_NONCACHEABLE : 0, &val);
		o->val = val;
		break;
	case STEP_KSERV_WRITE:
		val = s->arg[1];
		o->fault = kserv_access(x, s->arg[0], SIM_ACC_WRITE | (s->arg[2] ? SIM_ACC_NONCACHEABLE : 0), &val);
		break;
	case STEP_KSERV_FAULT:
		o->ret = call(x, CALL_KSERV_FAULT, 0, s->arg[0], 0, 0);
		break;
	case STEP_KSERV_LOAD:
		o->fault = kserv_load(x, s->arg[0], s->arg[1], s->arg[2]);
		break;
	default:
		break;
	}
}

static void run_dma(const struct exec_ctx *x, const struct program_step *s, struct step_obs *o)
{
	struct sim_access acc;
	struct kcore_smmu_view u;
	uint64_t val = s->kind == STEP_DMA_WRITE ? s->arg[2] : 0;
	unsigned unit = s->arg[0] > 0xffff ? 0xffff : (unsigned)s->arg[0];
	o->fault = sim_dma_access(unit, s->arg[1], s->kind == STEP_DMA_WRITE ? SIM_ACC_WRITE : 0, &val, &acc);
	o->val = s->kind == STEP_DMA_READ ? val : 0;
	o->vm_side = x->t->view_smmu(unit, &u) && u.allocated && u.owner != 0;
}

static void run_machine(const struct program_step *s, struct step_obs *o)
{
	if (s->kind == STEP_TLB_FILL)
		o->ret = sim_tlb_spec_fill(sim_cpu(), s->arg[0]);
	else
		sim_cache_evict(s->arg[0]);
}

void exec_step(const struct exec_ctx *x, const struct program_step *s, struct step_obs *o)
{
	o->status = OBS_DONE;
	o->cpu = (uint8_t)sim_cpu();
	switch (program_step_info(s->kind)->cls) {
	case STEP_CLASS_HOST: run_host(x, s, o); break;
	case STEP_CLASS_GUEST_CALL: o->vm_side = 1; o->ret = call(x, CALL_GUEST, program_step_info(s->kind)->op, s->arg[0], 0, 0); break;
	case STEP_CLASS_GUEST_ACCESS: run_guest_access(x, s, o); break;
	case STEP_CLASS_KSERV: run_kserv(x, s, o); break;
	case STEP_CLASS_DMA: run_dma(x, s, o); break;
	case STEP_CLASS_MACHINE: run_machine(s, o); break;
	}
}
