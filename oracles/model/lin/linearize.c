/* The window replay and its order search (see linearize.h). */
#include "model/lin/linearize.h"

#include <stdlib.h>

#include "model/ref/ref_image.h"

static bool image_check(void *ctx, const uint64_t *pfn, unsigned npages)
{
	const struct lin_search *l = ctx;
	if (l->image_verdict >= 0)
		return l->image_verdict;
	return ref_image_match_sim(NULL, pfn, npages);
}

void lin_init(struct lin_search *l, const struct kcore_boot *boot)
{
	*l = (struct lin_search){ .boot = boot, .image_verdict = -1 };
}

void lin_release(struct lin_search *l)
{
	for (unsigned d = 0; d <= LIN_WINDOW_MAX; d++)
		ref_delete(l->snap[d]);
	*l = (struct lin_search){ .image_verdict = -1 };
}

void lin_attach(struct lin_search *l, struct ref_model *model)
{
	ref_set_image_check(model, image_check, l);
}

int64_t lin_apply(struct lin_search *l, struct ref_model *m, const struct call_record *c)
{
	switch (c->kind) {
	case CALL_HOST: {
		l->image_verdict = c->image_ok;
		int64_t r = ref_host_call(m, c->cpu, c->op, c->a0, c->a1, c->a2);
		l->image_verdict = -1;
		return r;
	}
	case CALL_GUEST: return ref_guest_call(m, c->cpu, c->op, c->a0);
	default: return ref_kserv_fault(m, c->cpu, c->a0);
	}
}

static void model_copy(struct ref_model *d, const struct ref_model *s)
{
	if (!ref_copy(d, s))
		abort(); /* d was sized for the same layout */
}

/* The snapshot for search depth d. */
static struct ref_model *snap_at(struct lin_search *l, unsigned d)
{
	if (!l->snap[d]) {
		l->snap[d] = ref_new();
		if (!l->snap[d])
			return NULL;
		lin_attach(l, l->snap[d]);
		ref_init(l->snap[d], l->boot);
	}
	return l->snap[d];
}

/* Can call i go next, given the calls already placed?  Not if another
 * unplaced call returned before i began. */
static bool may_go_next(const struct call_record *win, unsigned n, unsigned i, const bool *placed)
{
	for (unsigned j = 0; j < n; j++)
		if (!placed[j] && j != i && win[j].end < win[i].begin)
			return false;
	return true;
}

enum { FOUND, NONE, GAVE_UP };

struct search {
	struct lin_search *l;
	struct ref_model *model;
	const struct call_record *win;
	unsigned n, budget;
	bool placed[LIN_WINDOW_MAX];
};

static int linearize(struct search *s, unsigned depth)
{
	if (depth == s->n)
		return FOUND;
	struct ref_model *snap = snap_at(s->l, depth);
	if (!snap)
		return GAVE_UP;
	model_copy(snap, s->model);
	for (unsigned i = 0; i < s->n; i++) {
		if (s->placed[i] || !may_go_next(s->win, s->n, i, s->placed))
			continue;
		if (s->budget-- == 0)
			return GAVE_UP;
		if (lin_apply(s->l, s->model, &s->win[i]) == s->win[i].ret) {
			s->placed[i] = true;
			int r = linearize(s, depth + 1);
			if (r != NONE)
				return r;
			s->placed[i] = false;
		}
		model_copy(s->model, snap);
	}
	return NONE;
}

/* No order works: the first call of the given order that fails, with the
 * model put back just before it. */
static unsigned first_failing(struct lin_search *l, struct ref_model *model, const struct ref_model *start,
			      const struct call_record *win, unsigned n)
{
	model_copy(model, start);
	for (unsigned j = 0; j < n; j++)
		if (lin_apply(l, model, &win[j]) != win[j].ret) {
			model_copy(model, start);
			for (unsigned k = 0; k < j; k++)
				lin_apply(l, model, &win[k]);
			return j;
		}
	return 0; /* unreachable: the given order failed before */
}

enum lin_result lin_replay(struct lin_search *l, struct ref_model *model, const struct call_record *win, unsigned n,
			   bool search, unsigned *bad)
{
	if (n > LIN_WINDOW_MAX)
		return LIN_LOST;
	struct ref_model *start = n > 1 ? snap_at(l, LIN_WINDOW_MAX) : NULL;
	if (start)
		model_copy(start, model);
	for (unsigned i = 0; i < n; i++) {
		if (lin_apply(l, model, &win[i]) == win[i].ret)
			continue;
		if (!search) {
			*bad = i;
			return LIN_LOST;
		}
		if (!start) {
			*bad = i; /* model now stands after calls 0..i-1 */
			return LIN_MISMATCH;
		}
		struct search s = { .l = l, .model = model, .win = win, .n = n, .budget = LIN_SEARCH_BUDGET };
		model_copy(model, start);
		int r = linearize(&s, 0);
		if (r == FOUND)
			return LIN_MATCH;
		if (r == GAVE_UP) {
			l->abandoned++;
			return LIN_LOST;
		}
		*bad = first_failing(l, model, start, win, n);
		return LIN_MISMATCH;
	}
	return LIN_MATCH;
}
