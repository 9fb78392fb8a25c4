/* One step of a program, with the semantics of harness/exec/exec_step.c, on
 * the image CPU the mapping in replay_cpus.c chooses. */
#include "replay.h"

#include "guest/guest_abi.h"
#include "host.h"
#include "hyp/addr.h"

struct host_work {
	const struct replay_step *s;
	struct replay_obs *o;
};

static void host_call_there(void *arg)
{
	struct host_work *w = arg;
	const struct step_info *info = program_step_info(w->s->kind);

	w->o->ret = kcore_call(info->op, w->s->arg[0], w->s->arg[1], w->s->arg[2]);
}

static void guest_op_there(void *arg)
{
	struct host_work *w = arg;

	w->o->ret = host_hvc(PLAT_GUEST_OP, program_step_info(w->s->kind)->op, w->s->arg[0], 0).x0;
}

static void kserv_there(void *arg)
{
	struct host_work *w = arg;

	replay_kserv_step(w->s, w->o);
}

static void on_host_cpu(const struct replay_step *s, struct replay_obs *o, void (*fn)(void *))
{
	struct host_work w = { s, o };

	o->cpu = replay_host_cpu(s->cpu);
	replay_on_cpu(o->cpu, fn, &w);
}

static bool vcpu_run(const struct replay_step *s, struct replay_obs *o, struct replay_stop_why *why)
{
	int worker = replay_run_worker(s->cpu);

	if (worker < 0) {
		*why = (struct replay_stop_why){ REPLAY_STOP_NO_CPU, s->cpu };
		return false;
	}
	if (!replay_guest_code_ready(s->arg[0], why))
		return false;
	o->cpu = (unsigned)worker;
	o->ret = host_vcpu_start((unsigned)worker, s->arg[0], s->arg[1]);
	if (o->ret != 0)
		return true;
	if (!host_vcpu_running((unsigned)worker)) {
		struct guest_exit e = host_vcpu_wait_exit((unsigned)worker);
		*why = (struct replay_stop_why){ REPLAY_STOP_GUEST_LEFT, e.why };
		return false;
	}
	replay_guest_entered(s->cpu, (unsigned)worker);
	return true;
}

/* After a command, a guest that left (exit, power off) is back in the
 * host. */
static void note_left(unsigned pcpu, unsigned worker)
{
	if (host_hvc(PLAT_GUEST_QUERY, worker, 0, 0).x0 == 1)
		return;
	host_vcpu_wait_exit(worker);
	replay_guest_left(pcpu);
}

static bool guest_call(const struct replay_step *s, struct replay_obs *o, struct replay_stop_why *why)
{
	int worker = replay_guest_worker(s->cpu);
	struct guest_seen seen;

	if (worker < 0) {
		/* No guest here: KCore is asked anyway, from the host. */
		on_host_cpu(s, o, guest_op_there);
		return true;
	}
	o->cpu = (unsigned)worker;
	int64_t r = s->kind == STEP_GUEST_POWER_OFF
			    ? host_guest_cmd((unsigned)worker, GUEST_CMD_POWER_OFF, false, 0, 0, &seen)
			    : host_guest_cmd((unsigned)worker, GUEST_CMD_CALL, false,
					     program_step_info(s->kind)->op, s->arg[0], &seen);
	if (r != 0) {
		*why = (struct replay_stop_why){ REPLAY_STOP_GUEST_LEFT, (uint64_t)r };
		return false;
	}
	o->ret = (int64_t)seen.value;
	note_left(s->cpu, (unsigned)worker);
	return true;
}

static bool guest_access(const struct replay_step *s, struct replay_obs *o, struct replay_stop_why *why)
{
	int worker = replay_guest_worker(s->cpu);
	bool write = s->kind == STEP_GUEST_WRITE;
	struct guest_seen seen;

	if (worker < 0) {
		o->status = REPLAY_STATUS_NOT_GUEST;
		return true;
	}
	uint64_t ipa = ((s->arg[0] << PAGE_SHIFT) + (s->arg[1] & PAGE_MASK)) & ~7ull;
	bool nc = write ? s->arg[3] : s->arg[2];
	o->cpu = (unsigned)worker;
	int64_t r = host_guest_cmd((unsigned)worker, write ? GUEST_CMD_WRITE : GUEST_CMD_READ, nc, ipa,
				   write ? s->arg[2] : 0, &seen);
	if (r != 0) {
		*why = (struct replay_stop_why){ REPLAY_STOP_GUEST_LEFT, (uint64_t)r };
		return false;
	}
	o->fault = replay_guest_fault(seen.esr);
	o->val = write ? 0 : seen.value;
	return true;
}

static void dma(const struct replay_step *s, struct replay_obs *o)
{
	unsigned unit = s->arg[0] > 0xffff ? 0xffff : (unsigned)s->arg[0];
	uint64_t iova = s->arg[1] & ~7ull;

	/* The engine is the same from any CPU: the driving one uses it. */
	o->cpu = 0;
	if (s->kind == STEP_DMA_READ) {
		o->fault = replay_dma_fault(host_dma_read(unit, iova, &o->val));
		if (o->fault != REPLAY_FAULT_NONE)
			o->val = 0;
	} else {
		o->fault = replay_dma_fault(host_dma_write(unit, iova, s->arg[2]));
	}
}

bool replay_run_step(const struct replay_step *s, struct replay_obs *o, struct replay_stop_why *why)
{
	const struct step_info *info = program_step_info(s->kind);
	bool in_guest = replay_guest_worker(s->cpu) >= 0;

	*o = (struct replay_obs){ .status = REPLAY_STATUS_DONE };
	switch (info->cls) {
	case STEP_CLASS_HOST:
		if (in_guest) {
			o->status = REPLAY_STATUS_NOT_HOST;
			return true;
		}
		if (s->kind == STEP_VCPU_RUN)
			return vcpu_run(s, o, why);
		on_host_cpu(s, o, host_call_there);
		replay_guest_code_track(s->kind, s->arg, o->ret);
		return true;
	case STEP_CLASS_GUEST_CALL:
		return guest_call(s, o, why);
	case STEP_CLASS_GUEST_ACCESS:
		return guest_access(s, o, why);
	case STEP_CLASS_KSERV:
		if (in_guest) {
			o->status = REPLAY_STATUS_NOT_HOST;
			return true;
		}
		on_host_cpu(s, o, kserv_there);
		return true;
	case STEP_CLASS_DMA:
		dma(s, o);
		return true;
	case STEP_CLASS_MACHINE:
		o->status = REPLAY_STATUS_SKIPPED;
		return true;
	}
	return true;
}
