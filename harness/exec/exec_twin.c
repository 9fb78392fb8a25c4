#include "exec/exec_twin.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "exec/checks/checks.h"
#include "exec/checks/oracle_stats.h"

#define TWIN_MASK 0xa5a5a5a55a5a5a5aull

/* The first run: which of its guest writes went to a page the guest had
 * granted at that moment.  Those values are public; every other value a
 * guest writes is VM-private and differs in the twin. */
struct twin {
	const struct program *p;
	bool public[PROGRAM_MAX_STEPS];
};

/* A guest write is public if its page was granted when it was written, or
 * is granted afterwards by the same VM (a grant shares the page's contents
 * as they are; only the VM that wrote a value can share it). */
static void find_public(struct twin *t, const struct exec_result *a)
{
	for (unsigned i = 0; i < a->nsteps; i++) {
		const struct step_obs *w = &a->obs[i];
		t->public[i] = w->shared;
		if (t->p->step[i].kind != STEP_GUEST_WRITE || w->shared || w->pfn == ~0ull)
			continue;
		for (unsigned j = 0; j < a->nsteps && !t->public[i]; j++) {
			const struct step_obs *g = &a->obs[j];
			t->public[i] = t->p->step[j].kind == STEP_GUEST_GRANT && g->status == OBS_DONE &&
				       g->ret > 0 && g->pfn == w->pfn && g->vm == w->vm && g->order > w->order;
		}
	}
}

bool exec_twin_worth_running(const struct program *p)
{
	bool writes = false, reads = false;
	for (unsigned i = 0; i < p->nsteps; i++) {
		enum step_kind k = p->step[i].kind;
		writes |= k == STEP_GUEST_WRITE;
		reads |= k == STEP_KSERV_READ || k == STEP_KSERV_FETCH || k == STEP_DMA_READ;
	}
	return writes && reads;
}

static uint64_t twin_value(const struct exec_ctx *x, const struct program_step *s)
{
	const struct twin *t = x->twin;
	size_t i = (size_t)(s - t->p->step);
	if (i < t->p->nsteps && t->public[i])
		return s->arg[2];
	return s->arg[2] ^ TWIN_MASK;
}

static bool same_for_kserv(const struct step_obs *a, const struct step_obs *b)
{
	if (a->vm_side || b->vm_side)
		return true;
	return a->status == b->status && a->fault == b->fault && a->ret == b->ret && a->val == b->val;
}

/* How many steps, in completion order, the twin must run: up to KServ's
 * last observation after the first VM-private write that landed.  0: none
 * comes after one, so nothing KServ sees can depend on private data.  A
 * write that faulted wrote nothing, and the machine's fault paths never
 * see the value: both runs are the same step for step until a private
 * value reaches memory (the interleaving comes from the input alone). */
static unsigned twin_length(const struct twin *t, const struct exec_result *a)
{
	unsigned first_private = UINT_MAX, last_seen = 0;
	bool seen = false;

	for (unsigned i = 0; i < a->nsteps; i++) {
		const struct step_obs *o = &a->obs[i];
		if (t->p->step[i].kind == STEP_GUEST_WRITE && o->status == OBS_DONE && o->fault == 0 &&
		    !t->public[i] && o->order < first_private)
			first_private = o->order;
	}
	for (unsigned i = 0; i < a->nsteps; i++) {
		const struct step_obs *o = &a->obs[i];
		if (o->vm_side || o->status == OBS_NOT_RUN || first_private == UINT_MAX || o->order <= first_private)
			continue;
		seen = true;
		if (o->order > last_seen)
			last_seen = o->order;
	}
	return seen ? last_seen + 1 : 0;
}

static struct exec_twin_counts counts;

void exec_twin_counts(struct exec_twin_counts *out)
{
	*out = counts;
}

void exec_twin_tally(struct exec_twin_counts *c, const struct exec_result *b)
{
	c->runs++;
	for (unsigned i = 0; i < b->nsteps; i++)
		c->steps += b->obs[i].status != OBS_NOT_RUN;
}

void exec_twin_check(const struct program *p, struct exec_result *a, exec_run_fn run)
{
	static struct exec_result b;
	static struct twin t;
	t.p = p;
	find_public(&t, a);
	unsigned length = twin_length(&t, a);
	if (length == 0)
		return;
	struct exec_ctx x = { .t = exec_options()->target, .guest_value = twin_value, .twin = &t, .stop_after = length };
	checks_enable(false); /* the first run checked everything else */
	run(p, &b, &x);
	checks_enable(true);
	exec_twin_tally(&counts, &b);
	oracle_stats.steps[6] += p->nsteps;
	oracle_stats.events[6] += b.events;
	if (b.violated) {
		a->violated = true;
		a->v = b.v;
		size_t used = strlen(a->v.detail);
		snprintf(a->v.detail + used, sizeof(a->v.detail) - used, " (twin run)");
		return;
	}
	for (unsigned i = 0; i < p->nsteps; i++) {
		if (same_for_kserv(&a->obs[i], &b.obs[i]))
			continue;
		a->violated = true;
		violation_init(&a->v, V_NONINTERFERENCE);
		a->v.step = i;
		a->v.cpu = a->obs[i].cpu;
		a->v.expected = a->obs[i].status == OBS_DONE && a->obs[i].fault == 0 ? a->obs[i].val | (uint64_t)a->obs[i].ret : ~0ull;
		a->v.actual = b.obs[i].val | (uint64_t)b.obs[i].ret;
		snprintf(a->v.detail, sizeof(a->v.detail),
			 "KServ's observation at step %u depends on VM-private data: %#llx/%s in one run, %#llx/%s in the twin",
			 i, (unsigned long long)a->obs[i].val, a->obs[i].fault ? "fault" : "ok",
			 (unsigned long long)b.obs[i].val, b.obs[i].fault ? "fault" : "ok");
		return;
	}
}
