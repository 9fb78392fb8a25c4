#include "exec/exec_twin_integrity.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "exec/checks/checks.h"

#define INTEGRITY_MASK 0x3c3c3c3cc3c3c3c3ull

struct integrity_twin {
	const struct program *p;
	bool vary[PROGRAM_MAX_STEPS];
};

/* A write of KServ's (or of one of its devices) that landed, or tried to
 * land, in a page KServ may not write. */
static bool foreign_write(const struct program *p, const struct exec_result *a, unsigned i)
{
	enum step_kind k = p->step[i].kind;
	const struct step_obs *o = &a->obs[i];

	if (k != STEP_KSERV_WRITE && k != STEP_DMA_WRITE)
		return false;
	return o->status == OBS_DONE && !o->vm_side && o->pfn != ~0ull && !o->shared;
}

/* What a VM sees: its reads and fetches, its devices' reads, and whether
 * its image verified. */
static bool vm_observation(const struct program *p, const struct exec_result *a, unsigned i)
{
	enum step_kind k = p->step[i].kind;

	if (k == STEP_VERIFY_VM_IMAGE)
		return true;
	return a->obs[i].vm_side && (k == STEP_GUEST_READ || k == STEP_GUEST_FETCH || k == STEP_DMA_READ);
}

bool exec_integrity_worth_running(const struct program *p, const struct exec_result *a)
{
	bool writes = false, observed = false;

	for (unsigned i = 0; i < a->nsteps && !(writes && observed); i++) {
		writes |= foreign_write(p, a, i);
		observed |= vm_observation(p, a, i);
	}
	return writes && observed;
}

static uint64_t plain_guest_value(const struct exec_ctx *x, const struct program_step *s)
{
	(void)x;
	return s->arg[2];
}

static uint64_t varied_value(const struct exec_ctx *x, const struct program_step *s, uint64_t plain)
{
	const struct integrity_twin *t = x->twin;
	size_t i = (size_t)(s - t->p->step);

	return i < t->p->nsteps && t->vary[i] ? plain ^ INTEGRITY_MASK : plain;
}

static bool same_for_vm(const struct step_obs *a, const struct step_obs *b)
{
	return a->status == b->status && a->fault == b->fault && a->ret == b->ret && a->val == b->val;
}

static void report(struct exec_result *a, const struct exec_result *b, const struct program *p, unsigned i)
{
	const struct step_obs *x = &a->obs[i], *y = &b->obs[i];

	a->violated = true;
	violation_init(&a->v, V_INTEGRITY);
	a->v.step = i;
	a->v.cpu = x->cpu;
	a->v.vm = x->vm;
	a->v.expected = p->step[i].kind == STEP_VERIFY_VM_IMAGE ? (uint64_t)x->ret : x->val;
	a->v.actual = p->step[i].kind == STEP_VERIFY_VM_IMAGE ? (uint64_t)y->ret : y->val;
	snprintf(a->v.detail, sizeof(a->v.detail),
		 "%s at step %u depends on what KServ wrote where it may not: %#llx/%s in one run, %#llx/%s in the twin",
		 program_step_name(p->step[i].kind), i, (unsigned long long)a->v.expected, x->fault ? "fault" : "ok",
		 (unsigned long long)a->v.actual, y->fault ? "fault" : "ok");
}

/* How many steps, in completion order, the twin must run: up to the last
 * VM observation after the first write it changes that landed; 0 when
 * none comes after one.  A KServ write that faulted (after KCore's answer
 * to the fault, which is given the address alone) or a device write the
 * SMMU stopped wrote nothing: until a varied value reaches memory the
 * twin runs step for step as the first run did. */
static unsigned twin_length(const struct integrity_twin *t, const struct exec_result *a)
{
	unsigned first = UINT_MAX, last = 0;
	bool seen = false;

	for (unsigned i = 0; i < a->nsteps; i++)
		if (t->vary[i] && a->obs[i].fault == 0 && a->obs[i].order < first)
			first = a->obs[i].order;
	for (unsigned i = 0; i < a->nsteps; i++) {
		const struct step_obs *o = &a->obs[i];
		if (first == UINT_MAX || o->status == OBS_NOT_RUN || o->order <= first || !vm_observation(t->p, a, i))
			continue;
		seen = true;
		if (o->order > last)
			last = o->order;
	}
	return seen ? last + 1 : 0;
}

static struct exec_twin_counts counts;

void exec_integrity_counts(struct exec_twin_counts *out)
{
	*out = counts;
}

void exec_integrity_check(const struct program *p, struct exec_result *a, exec_run_fn run)
{
	static struct exec_result b;
	static struct integrity_twin t;

	t.p = p;
	for (unsigned i = 0; i < a->nsteps; i++)
		t.vary[i] = foreign_write(p, a, i);
	unsigned length = twin_length(&t, a);
	if (length == 0)
		return;
	struct exec_ctx x = {
		.t = exec_options()->target, .guest_value = plain_guest_value, .kserv_value = varied_value, .twin = &t,
		.stop_after = length,
	};
	checks_enable(false); /* the first run checked everything else */
	run(p, &b, &x);
	checks_enable(true);
	exec_twin_tally(&counts, &b);
	if (b.violated) {
		a->violated = true;
		a->v = b.v;
		size_t used = strlen(a->v.detail);
		snprintf(a->v.detail + used, sizeof(a->v.detail) - used, " (integrity twin run)");
		return;
	}
	for (unsigned i = 0; i < p->nsteps; i++) {
		if (a->obs[i].order < length && vm_observation(p, a, i) && !same_for_vm(&a->obs[i], &b.obs[i])) {
			report(a, &b, p, i);
			return;
		}
	}
}
