/* Refinement of KServ's stage-2: identity, one page per leaf, and the
 * contract's attributes for each page's kind. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "array_grow.h"
#include "hyp/addr.h"
#include "model/refine/refinement.h"
#include "model/state/ref_attr.h"

static bool report(struct violation *v, const struct ref_map_entry *e, struct ref_attr want, const char *what)
{
	char wp[4], gp[4];

	violation_init(v, V_STATE_MISMATCH);
	v->page = e->pa >> PAGE_SHIFT;
	v->expected = want.perm | (uint64_t)want.mem << 8;
	v->actual = e->perm | (uint64_t)e->mem << 8;
	violation_detail(v, "KServ's stage-2 at ipa 0x%" PRIx64 ": target pa 0x%" PRIx64 "%s %s %s, model %s %s%s",
			 e->key << PAGE_SHIFT, e->pa, e->pages > 1 ? " block" : "", ref_mem_name(e->mem),
			 ref_perm_text(e->perm, gp), ref_mem_name(want.mem), ref_perm_text(want.perm, wp), what);
	return true;
}

enum verdict { PASS, BAD, WAITS };

/* One entry: it passes, is reported, or waits (a page the model does not
 * let KServ have: isolation reports that reach). */
static enum verdict check_entry(const struct ref_state *m, const struct ref_map_entry *e, struct violation *v)
{
	uint64_t pfn = e->pa >> PAGE_SHIFT;
	enum ref_map_kind kind;

	if (!ref_kserv_kind(m, pfn, &kind))
		return WAITS;
	struct ref_attr want = ref_attr_of(kind);
	if (e->key != pfn || e->pages != 1) {
		report(v, e, want, " at its own address, one page");
		return BAD;
	}
	if (e->perm != want.perm || e->mem != want.mem) {
		report(v, e, want, "");
		return BAD;
	}
	return PASS;
}

static bool overflowed(const struct ref_kserv_map *k, struct violation *v)
{
	if (!k->overflow)
		return false;
	violation_init(v, V_STATE_MISMATCH);
	violation_detail(v, "KServ's stage-2 holds more leaves than its pool can");
	return true;
}

bool refine_check_kserv_map(const struct ref_state *m, const struct ref_state *k, struct violation *v)
{
	if (k->kserv == NULL)
		return false;
	if (overflowed(k->kserv, v))
		return true;
	for (unsigned i = 0; i < k->kserv->n; i++)
		if (check_entry(m, &k->kserv->e[i], v) == BAD)
			return true;
	return false;
}

void refine_kserv_memo_release(struct refine_kserv_memo *memo)
{
	free(memo->prev);
	free(memo->waiting);
	free(memo->pick);
	memset(memo, 0, sizeof(*memo));
}

void refine_kserv_memo_forget(struct refine_kserv_memo *memo)
{
	memo->valid = false;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static bool same_entry(const struct ref_map_entry *a, const struct ref_map_entry *b)
{
	return a->key == b->key && a->pa == b->pa && a->pages == b->pages && a->perm == b->perm && a->mem == b->mem;
}

/* pick[0..n) in increasing order.  A check picks a handful of entries
 * (the pages its window moved): those are put in place one by one, with
 * no call into the library's sort and its comparison callback. */
static void sort_picks(uint32_t *pick, unsigned n)
{
	if (n > 32) {
		qsort(pick, n, sizeof(*pick), cmp_u32);
		return;
	}
	for (unsigned i = 1; i < n; i++) {
		uint32_t x = pick[i];
		unsigned j = i;
		for (; j > 0 && pick[j - 1] > x; j--)
			pick[j] = pick[j - 1];
		pick[j] = x;
	}
}

/* The entries of k at key (if any) onto pick. */
static void pick_key(const struct ref_kserv_map *k, uint32_t *pick, unsigned *n, uint64_t key)
{
	const struct ref_map_entry *e = ref_map_find(k->e, k->n, key);
	if (e != NULL)
		pick[(*n)++] = (uint32_t)(e - k->e);
}

/* Positions of k's entries to check (sorted, distinct), or false when all
 * must be. */
static bool pick_entries(struct refine_kserv_memo *memo, const struct ref_state *m, const struct ref_kserv_map *k,
			 const uint32_t *moved, unsigned nmoved, unsigned *npick)
{
	unsigned n = 0;
	if (!array_grow((void **)&memo->pick, &memo->pick_cap, k->n + nmoved + memo->nwaiting + 1,
			sizeof(*memo->pick)))
		return false;
	if (k->from_tree == 0 || k->from_tree != memo->from_tree)
		for (unsigned i = 0, j = 0; i < k->n; i++) {
			while (j < memo->nprev && memo->prev[j].key < k->e[i].key)
				j++;
			if (!(j < memo->nprev && same_entry(&memo->prev[j], &k->e[i])))
				memo->pick[n++] = i;
		}
	for (unsigned j = 0; j < nmoved; j++)
		pick_key(k, memo->pick, &n, m->boot.ram_base_pfn + moved[j]);
	for (unsigned j = 0; j < memo->nwaiting; j++)
		pick_key(k, memo->pick, &n, memo->waiting[j]);
	sort_picks(memo->pick, n);
	unsigned d = 0;
	for (unsigned i = 0; i < n; i++)
		if (d == 0 || memo->pick[d - 1] != memo->pick[i])
			memo->pick[d++] = memo->pick[i];
	*npick = d;
	return true;
}

/* Check the picked entries (all of them: pick NULL) in key order. */
static bool check_picked(struct refine_kserv_memo *memo, const struct ref_state *m, const struct ref_kserv_map *k,
			 const uint32_t *pick, unsigned npick, struct violation *v)
{
	memo->nwaiting = 0;
	for (unsigned j = 0; j < npick; j++) {
		const struct ref_map_entry *e = &k->e[pick ? pick[j] : j];
		switch (check_entry(m, e, v)) {
		case BAD: return true;
		case WAITS:
			if (!array_grow((void **)&memo->waiting, &memo->waiting_cap, memo->nwaiting + 1,
					sizeof(*memo->waiting)))
				return memo->valid = false;
			memo->waiting[memo->nwaiting++] = e->key;
			break;
		default: break;
		}
	}
	return false;
}

bool refine_check_kserv_since(struct refine_kserv_memo *memo, const struct ref_state *m,
			      const struct ref_state *target, const uint32_t *moved, unsigned nmoved,
			      struct violation *v)
{
	const struct ref_kserv_map *k = target->kserv;
	unsigned npick = 0;
	if (k == NULL)
		return false;
	if (overflowed(k, v))
		return !(memo->valid = false);
	bool some = memo->valid && moved != NULL && pick_entries(memo, m, k, moved, nmoved, &npick);
	memo->valid = true;
	if (check_picked(memo, m, k, some ? memo->pick : NULL, some ? npick : k->n, v))
		return !(memo->valid = false);
	if (!memo->valid)
		return false;
	if (k->from_tree != 0 && k->from_tree == memo->from_tree)
		return false; /* prev holds this build's entries already */
	if (!array_grow((void **)&memo->prev, &memo->prev_cap, k->n + 1, sizeof(*memo->prev)))
		return memo->valid = false;
	memcpy(memo->prev, k->e, k->n * sizeof(*k->e));
	memo->nprev = k->n;
	memo->from_tree = k->from_tree;
	return false;
}
