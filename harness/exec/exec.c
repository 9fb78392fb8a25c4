/* The executor: one machine per process, one program per run. */
#include "exec/exec.h"

#include <setjmp.h>
#include <string.h>

#include "exec/checks/checks.h"
#include "exec/machine/exec_layout.h"
#include "exec/exec_step.h"
#include "exec/machine/exec_timeline.h"
#include "exec/checks/oracle_stats.h"
#include "exec/exec_twin.h"
#include "exec/exec_twin_integrity.h"
#include "guest_image.h"
#include "program/file/progfile.h"
#include "exec/machine/sched.h"
#include "sim/machine.h"
#include "program/text/text.h"

static struct {
	struct exec_options opt;
	struct sim_config cfg;
	struct kcore_boot boot;
	jmp_buf init_jmp;
	const struct program *p;
	struct exec_result *r;
	struct exec_ctx x;
	uint16_t order;
	uint16_t pending[PROGRAM_MAX_STEPS]; /* see recheck_attacker_writes */
	unsigned npending;
} E;

const struct exec_options *exec_options(void) { return &E.opt; }
const struct kcore_boot *exec_boot(void) { return &E.boot; }

static void on_panic(void *ctx, const char *why)
{
	(void)ctx;
	struct violation v;
	unsigned cpu = sim_cpu();
	/* A panic in KCore's end-of-call assertions: the oracles' end-of-call
	 * checks (a lock leaked, a TLBI left incomplete) name the fault. */
	bool named = sim_call_returning(cpu) && checks_call_end_verdict(cpu);
	sim_call_boundary(cpu);
	violation_init(&v, V_PANIC);
	v.cpu = (int)cpu;
	snprintf(v.detail, sizeof(v.detail), "KCore panic: %s", why);
	if (!named)
		checks_report(&v);
	if (sched_in_cpu())
		sched_abandon();
	longjmp(E.init_jmp, 1);
}

static void on_deadlock(void *ctx)
{
	(void)ctx;
	struct violation v;
	violation_init(&v, V_PANIC);
	snprintf(v.detail, sizeof(v.detail), "deadlock: every CPU with work waits on a lock");
	checks_report(&v);
}

int exec_setup(const struct exec_options *opt)
{
	E.opt = *opt;
	sim_config_default(&E.cfg);
	if (opt->ram_bytes)
		E.cfg.ram_bytes = opt->ram_bytes;
	E.cfg.ncpus = ARCH_MAX_CPUS; /* a program uses the first p->ncpus */
	if (sim_init(&E.cfg) != 0)
		return -1;
	sim_set_relaxed(!opt->strict_order);
	sim_set_panic_hook(on_panic, NULL);
	guest_images_prepare();
	sim_checkpoint();
	exec_layout(&E.cfg, opt->target, &E.boot);
	if (sched_setup() != 0)
		return -1;
	return checks_setup(&E.boot, opt->target, opt->oracles, opt->thorough);
}

void exec_teardown(void)
{
	checks_teardown();
	sched_teardown();
	sim_fini();
}

static uint64_t plain_value(const struct exec_ctx *x, const struct program_step *s)
{
	(void)x;
	return s->arg[2];
}

/* A KServ or device write the model did not allow when it was made may
 * have raced a call that allowed it (a grant on another CPU): it is
 * KServ's to make if the model allows it at the next point no call is in
 * flight either. */
static void recheck_attacker_writes(unsigned idx)
{
	struct step_obs *o = &E.r->obs[idx];
	enum step_kind k = E.p->step[idx].kind;

	if ((k == STEP_KSERV_WRITE || k == STEP_DMA_WRITE) && o->pfn != ~0ull && !o->shared)
		E.pending[E.npending++] = (uint16_t)idx;
	if (E.npending == 0 || !checks_idle())
		return;
	for (unsigned i = 0; i < E.npending; i++) {
		struct step_obs *w = &E.r->obs[E.pending[i]];
		bool known;
		if (checks_kserv_may_write(w->pfn, &known))
			w->shared = 1;
	}
	E.npending = 0;
}

static void run_step(void *ctx, unsigned idx)
{
	(void)ctx;
	struct step_obs *o = &E.r->obs[idx];
	checks_set_step(idx);
	timeline_note(idx, sim_cpu(), sim_event_count());
	exec_step(&E.x, &E.p->step[idx], o);
	o->order = E.order++;
	checks_step_done(o->cpu);
	recheck_attacker_writes(idx);
	if (E.x.stop_after && E.order >= E.x.stop_after)
		sched_stop();
}

static void resume_step(void *ctx, unsigned idx)
{
	(void)ctx;
	checks_set_step(idx);
	timeline_note(idx, sim_cpu(), sim_event_count());
}

static const struct sched_hooks hooks = { run_step, on_deadlock, resume_step };

/* Fresh machine and target; false if the target refused the layout or
 * panicked while starting. */
static bool reset_machine(unsigned ncpus, const struct kcore_boot *boot)
{
	sim_restore();
	if (setjmp(E.init_jmp))
		return false;
	if (E.opt.target->init(boot) != 0) {
		struct violation v;
		violation_init(&v, V_PANIC);
		snprintf(v.detail, sizeof(v.detail), "target refused the machine layout");
		checks_report(&v);
		return false;
	}
	for (unsigned c = 0; c < ncpus; c++) {
		sim_set_cpu(c);
		E.opt.target->init_cpu();
	}
	sim_set_cpu(0);
	return true;
}

/* One pass over p; the oracles see it only when checked is true. */
static void run_once(const struct program *p, struct exec_result *r, const struct exec_ctx *x)
{
	memset(r, 0, offsetof(struct exec_result, obs));
	r->nsteps = p->nsteps;
	for (unsigned i = 0; i < p->nsteps; i++)
		r->obs[i] = (struct step_obs){ .status = OBS_NOT_RUN, .cpu = (uint8_t)p->step[i].cpu };
	E.p = p;
	E.r = r;
	E.x = *x;
	exec_step_attach(&E.x);
	E.order = 0;
	/* The machine is the process's; the capacities are the program's. */
	struct kcore_boot boot = E.boot;
	boot.caps = p->caps;
	checks_set_caps(&p->caps);
	timeline_reset();
	E.npending = 0;
	checks_reset(p->ncpus);
	if (reset_machine(p->ncpus, &boot)) {
		sched_run(p, &hooks, NULL);
		if (!checks_violated())
			checks_final();
	}
	checks_run_done();
	r->events = sim_event_count();
	r->switches = sched_switch_hash();
	r->violated = checks_violated();
	if (r->violated)
		r->v = *checks_violation();
}

#define FNV_PRIME 0x100000001b3ull

static uint64_t fnv1a(uint64_t h, const void *data, size_t n)
{
	const uint8_t *b = data;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * FNV_PRIME;
	return h;
}

/* FNV-1a over the 8 bytes of w in memory order, as fnv1a(h, &w, 8) gives
 * it: a zero byte leaves h ^ 0 = h, so the zero bytes at the top of w
 * (the end of its bytes on a little-endian host) are one multiply by a
 * power of the prime instead of one multiply each.  Trace words are mostly
 * small numbers, and the chain of multiplies is the hash's whole cost. */
static uint64_t fnv1a_word(uint64_t h, uint64_t w)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	static const uint64_t prime_pow[9] = {
		1ull,
		FNV_PRIME,
		FNV_PRIME * FNV_PRIME,
		FNV_PRIME * FNV_PRIME * FNV_PRIME,
		FNV_PRIME * FNV_PRIME * FNV_PRIME * FNV_PRIME,
		FNV_PRIME * FNV_PRIME * FNV_PRIME * FNV_PRIME * FNV_PRIME,
		FNV_PRIME * FNV_PRIME * FNV_PRIME * FNV_PRIME * FNV_PRIME * FNV_PRIME,
		FNV_PRIME * FNV_PRIME * FNV_PRIME * FNV_PRIME * FNV_PRIME * FNV_PRIME * FNV_PRIME,
		FNV_PRIME * FNV_PRIME * FNV_PRIME * FNV_PRIME * FNV_PRIME * FNV_PRIME * FNV_PRIME * FNV_PRIME,
	};
	unsigned bytes = w ? 8 - (unsigned)__builtin_clzll(w) / 8 : 0;
	for (unsigned i = 0; i < bytes; i++, w >>= 8)
		h = (h ^ (w & 0xff)) * FNV_PRIME;
	return h * prime_pow[8 - bytes];
#else
	return fnv1a(h, &w, sizeof(w));
#endif
}

static uint64_t trace_hash(const struct exec_result *r)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (unsigned i = 0; i < r->nsteps; i++) {
		const struct step_obs *o = &r->obs[i];
		h = fnv1a_word(h, o->status | (uint64_t)o->cpu << 8 | (uint64_t)o->order << 16);
		h = fnv1a_word(h, (uint64_t)(int64_t)o->fault);
		h = fnv1a_word(h, (uint64_t)o->ret);
		h = fnv1a_word(h, o->val);
		h = fnv1a_word(h, 0);
	}
	h = fnv1a_word(h, r->events);
	h = fnv1a_word(h, r->switches);
	return fnv1a(h, &r->v.kind, r->violated ? sizeof(r->v.kind) : 0);
}

bool exec_run(const struct program *p, struct exec_result *r)
{
	struct exec_ctx x = { .t = E.opt.target, .guest_value = plain_value };
	run_once(p, r, &x);
	if (!r->violated && (E.opt.oracles & ORACLE_NI) && exec_twin_worth_running(p))
		exec_twin_check(p, r, run_once);
	if (!r->violated && (E.opt.oracles & ORACLE_INTEGRITY) && exec_integrity_worth_running(p, r))
		exec_integrity_check(p, r, run_once);
	r->trace_hash = trace_hash(r);
	oracle_stats.runs++;
	if (r->violated && violation_kind_oracle(r->v.kind) < ORACLE_FAMILIES)
		oracle_stats.violations[violation_kind_oracle(r->v.kind)]++;
	return r->violated;
}

void exec_settle(void)
{
	/* The machine's layout and CPU count, not the last program's: what
	 * the next run then undoes is the same whatever ran before. */
	checks_enable(false);
	reset_machine(E.boot.ncpus, &E.boot);
	checks_enable(true);
}

unsigned exec_completion_order(const struct exec_result *r, unsigned order[PROGRAM_MAX_STEPS])
{
	unsigned at[PROGRAM_MAX_STEPS], n = 0;
	bool used[PROGRAM_MAX_STEPS] = { false };

	for (unsigned i = 0; i < r->nsteps; i++) {
		const struct step_obs *o = &r->obs[i];
		if (o->status == OBS_NOT_RUN || o->order >= PROGRAM_MAX_STEPS || used[o->order])
			continue;
		used[o->order] = true;
		at[o->order] = i;
	}
	for (unsigned k = 0; k < PROGRAM_MAX_STEPS; k++)
		if (used[k])
			order[n++] = at[k];
	return n;
}

static void print_result(FILE *f, const struct program_step *s, const struct step_obs *o)
{
	switch (o->status) {
	case OBS_NOT_HOST: fprintf(f, "not in the host"); return;
	case OBS_NOT_GUEST: fprintf(f, "no guest running"); return;
	case OBS_NOT_RUN: fprintf(f, "not run"); return;
	default: break;
	}
	switch (program_step_info(s->kind)->cls) {
	case STEP_CLASS_HOST:
	case STEP_CLASS_GUEST_CALL:
		if (o->ret < 0)
			fprintf(f, "%s", kcore_err_name(o->ret));
		else
			fprintf(f, "OK %#llx", (unsigned long long)o->ret);
		return;
	default:
		break;
	}
	if (s->kind == STEP_KSERV_FAULT) {
		fprintf(f, "%s", kcore_err_name(o->ret));
		return;
	}
	if (s->kind == STEP_TLB_FILL || s->kind == STEP_IOTLB_FILL) {
		fprintf(f, o->ret ? "filled" : "nothing to fill");
		return;
	}
	if (s->kind == STEP_PUBLISH_WRITES) {
		fprintf(f, "%llu published", (unsigned long long)o->ret);
		return;
	}
	if (o->fault != SIM_OK)
		fprintf(f, "fault %s", sim_fault_name(o->fault));
	else if (s->kind == STEP_GUEST_READ || s->kind == STEP_KSERV_READ || s->kind == STEP_DMA_READ ||
		 s->kind == STEP_GUEST_FETCH || s->kind == STEP_KSERV_FETCH)
		fprintf(f, "read %#llx", (unsigned long long)o->val);
	else
		fprintf(f, "ok");
}

void exec_print_trace(FILE *f, const struct program *p, const struct exec_result *r)
{
	char line[256];
	for (unsigned i = 0; i < p->nsteps; i++) {
		program_format_step(line, sizeof(line), &p->step[i], progfile_images());
		fprintf(f, "%4u  %-64s -> ", i, line);
		print_result(f, &p->step[i], &r->obs[i]);
		fputc('\n', f);
	}
	fprintf(f, "events: %llu, trace hash: %016llx\n", (unsigned long long)r->events,
		(unsigned long long)r->trace_hash);
	timeline_print(f, p, r->events);
	if (r->violated)
		violation_print(f, &r->v);
}
