/* Stage-2 trees kept current by the machine's frame generations: the
 * slots, and the edits of a tree's leaf list applied (s2tree_nodes.c
 * makes them). */
#include "model/s2/s2tree.h"

#include <stdlib.h>
#include <string.h>

#include "array_grow.h"
#include "hyp/addr.h"
#include "hyp/s2desc.h"
#include "model/s2/s2tree_nodes.h"
#include "sim/machine.h"

/* Edits that change more leaves than this have the PA index made anew. */
#define INDEX_EDIT_MAX 64

bool s2_trees_init(struct s2_trees *ts, uint64_t ram_base, uint64_t ram_bytes)
{
	memset(ts, 0, sizeof(*ts));
	ts->ram_base = ram_base;
	ts->ram_pages = ram_bytes >> PAGE_SHIFT;
	for (unsigned s = 0; s < S2_TREE_SLOTS; s++)
		ts->slot[s].top = ts->slot[s].free_node = -1;
	ts->rec = calloc(ts->ram_pages ? ts->ram_pages : 1, sizeof(*ts->rec));
	return ts->rec != NULL;
}

void s2_trees_release(struct s2_trees *ts)
{
	s2_frames_release(ts);
	for (unsigned s = 0; s < S2_TREE_SLOTS; s++) {
		free(ts->slot[s].leaf);
		free(ts->slot[s].by_pa);
		free(ts->slot[s].fresh);
		free(ts->slot[s].frame);
		s2_nodes_release(&ts->slot[s]);
	}
	free(ts->edit);
	free(ts->add);
	free(ts->keys);
	for (unsigned l = 0; l < 4; l++)
		free(ts->spare[l]);
	memset(ts, 0, sizeof(*ts));
}

static bool same_leaf(const struct s2_leaf *a, const struct s2_leaf *b)
{
	return a->ipa == b->ipa && a->pa == b->pa && a->size == b->size && a->desc == b->desc && a->level == b->level;
}

/* fresh[]: the leaves the edits add that the old list did not hold (by
 * their positions after the edits; compare false: all of them).  Whether
 * the list changed at all; false in *ok if memory ran out. */
static bool mark_fresh(struct s2_trees *ts, struct s2_tree *t, bool compare, bool *ok)
{
	bool changed = false;
	long shift = 0;
	*ok = array_grow((void **)&t->fresh, &t->fresh_cap, ts->nadd + 1, sizeof(*t->fresh));
	t->nfresh = 0;
	for (unsigned k = 0; k < ts->nedits; k++) {
		const struct s2_leaf_edit *e = &ts->edit[k];
		/* an empty side may have no array yet: no pointer into it */
		const struct s2_leaf *o = e->old_len ? t->leaf + e->at : NULL;
		const struct s2_leaf *a = e->new_len ? ts->add + e->add : NULL;
		changed |= e->old_len != e->new_len;
		for (unsigned i = 0, j = 0; i < e->new_len; i++) {
			while (compare && j < e->old_len && o[j].ipa < a[i].ipa)
				j++;
			if (compare && j < e->old_len && same_leaf(&o[j], &a[i]))
				continue;
			changed = true;
			if (*ok)
				t->fresh[t->nfresh++] = (uint32_t)((long)e->at + shift + i);
		}
		shift += (long)e->new_len - (long)e->old_len;
	}
	return changed;
}

/* The runs of leaves between the edits moved to their new places (those
 * moving down first to last, those moving up last to first, so none is
 * overwritten before it moved), then the edits' leaves put in. */
static bool apply_edits(struct s2_trees *ts, struct s2_tree *t)
{
	const struct s2_leaf_edit *e = ts->edit;
	unsigned ne = ts->nedits, n = t->nleaves;
	long grow = 0;
	for (unsigned k = 0; k < ne; k++)
		grow += (long)e[k].new_len - (long)e[k].old_len;
	if (!array_grow((void **)&t->leaf, &t->leaf_cap, (unsigned)((long)n + grow) + 1, sizeof(*t->leaf)))
		return false;
	long shift = 0;
	for (unsigned k = 0; k <= ne; k++) {
		unsigned from = k ? e[k - 1].at + e[k - 1].old_len : 0, end = k < ne ? e[k].at : n;
		if (shift < 0 && end > from)
			memmove(t->leaf + from + shift, t->leaf + from, (end - from) * sizeof(*t->leaf));
		if (k < ne)
			shift += (long)e[k].new_len - (long)e[k].old_len;
	}
	for (unsigned k = ne + 1; k-- > 0;) {
		unsigned from = k ? e[k - 1].at + e[k - 1].old_len : 0, end = k < ne ? e[k].at : n;
		if (shift > 0 && end > from)
			memmove(t->leaf + from + shift, t->leaf + from, (end - from) * sizeof(*t->leaf));
		if (k > 0)
			shift -= (long)e[k - 1].new_len - (long)e[k - 1].old_len;
	}
	for (unsigned k = 0; k < ne; k++) {
		if (e[k].new_len)
			memcpy(t->leaf + (long)e[k].at + shift, ts->add + e[k].add, e[k].new_len * sizeof(*t->leaf));
		shift += (long)e[k].new_len - (long)e[k].old_len;
	}
	t->nleaves = (unsigned)((long)n + grow);
	return true;
}

/* nlevel[] and max_size after the edits: before they are applied. */
static void count_levels(struct s2_trees *ts, struct s2_tree *t)
{
	for (unsigned k = 0; k < ts->nedits; k++)
		for (unsigned i = 0; i < ts->edit[k].old_len; i++)
			t->nlevel[t->leaf[ts->edit[k].at + i].level & 3]--;
	for (unsigned i = 0; i < ts->nadd; i++)
		t->nlevel[ts->add[i].level & 3]++;
	t->max_size = 0;
	for (unsigned l = S2_START_LEVEL; l <= S2_LAST_LEVEL && !t->max_size; l++)
		if (t->nlevel[l])
			t->max_size = 1ull << s2_level_shift(l);
}

static bool key_less(struct s2_pa_key a, struct s2_pa_key b)
{
	return a.pa != b.pa ? a.pa < b.pa : a.ipa < b.ipa;
}

static int cmp_key(const void *x, const void *y)
{
	struct s2_pa_key a = *(const struct s2_pa_key *)x, b = *(const struct s2_pa_key *)y;
	return key_less(a, b) ? -1 : key_less(b, a);
}

static struct s2_pa_key key_of(const struct s2_leaf *l)
{
	return (struct s2_pa_key){ l->pa, l->ipa, l->size };
}

/* The first of by_pa[0, n) not below k. */
static unsigned key_pos(const struct s2_pa_key *by_pa, unsigned n, struct s2_pa_key k)
{
	unsigned lo = 0, hi = n;
	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		if (key_less(by_pa[mid], k))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* by_pa from the leaves, whole. */
static bool index_all(struct s2_tree *t)
{
	if (!array_grow((void **)&t->by_pa, &t->by_pa_cap, t->nleaves + 1, sizeof(*t->by_pa)))
		return false;
	bool sorted = true; /* an identity map, or pages handed out in order */
	for (unsigned i = 0; i < t->nleaves; i++) {
		t->by_pa[i] = key_of(&t->leaf[i]);
		sorted &= i == 0 || key_less(t->by_pa[i - 1], t->by_pa[i]);
	}
	if (!sorted)
		qsort(t->by_pa, t->nleaves, sizeof(*t->by_pa), cmp_key);
	return true;
}

/* by_pa after the edits, key by key: before they are applied, while the
 * old leaves are still there. */
static bool index_edits(struct s2_trees *ts, struct s2_tree *t)
{
	unsigned n = t->nleaves;
	if (!array_grow((void **)&t->by_pa, &t->by_pa_cap, n + ts->nadd + 1, sizeof(*t->by_pa)))
		return false;
	for (unsigned k = 0; k < ts->nedits; k++)
		for (unsigned i = 0; i < ts->edit[k].old_len; i++) {
			unsigned at = key_pos(t->by_pa, n, key_of(&t->leaf[ts->edit[k].at + i]));
			memmove(t->by_pa + at, t->by_pa + at + 1, (n - at - 1) * sizeof(*t->by_pa));
			n--;
		}
	for (unsigned i = 0; i < ts->nadd; i++) {
		struct s2_pa_key key = key_of(&ts->add[i]);
		unsigned at = key_pos(t->by_pa, n, key);
		memmove(t->by_pa + at + 1, t->by_pa + at, (n - at) * sizeof(*t->by_pa));
		t->by_pa[at] = key;
		n++;
	}
	return true;
}

/* Bring t up to date: spliced where its nodes allow, else built whole;
 * the previous leaves decide fresh[] and whether the version moves. */
static void update(struct s2_trees *ts, struct s2_tree *t, bool same_root)
{
	bool spliced = same_root && !t->flat && t->top >= 0 && s2_nodes_splice(ts, t);
	bool ok = true, fresh_ok;
	if (!spliced) {
		ok = s2_nodes_build(ts, t);
		ts->nedits = 1;
		if (!array_grow((void **)&ts->edit, &ts->edit_cap, 1, sizeof(*ts->edit)))
			ts->nedits = 0, ok = false;
		else
			ts->edit[0] = (struct s2_leaf_edit){ 0, t->nleaves, 0, ts->nadd };
	}
	bool compare = same_root && t->built;
	bool changed = mark_fresh(ts, t, compare, &fresh_ok) || !compare || !fresh_ok;
	unsigned edited = 0;
	for (unsigned k = 0; k < ts->nedits; k++)
		edited += ts->edit[k].old_len + ts->edit[k].new_len;
	bool by_key = spliced && edited <= INDEX_EDIT_MAX;
	if (by_key)
		ok &= index_edits(ts, t);
	count_levels(ts, t);
	if (!apply_edits(ts, t)) {
		ok = false;
		t->nleaves = 0;
		memset(t->nlevel, 0, sizeof(t->nlevel));
		t->max_size = 0;
	}
	if (!by_key)
		ok &= index_all(t);
	if (!ok) {
		t->result = S2_SCAN_BUDGET; /* an incomplete tree counts as one past the budget */
		t->nframes = 0;             /* and is rebuilt next time */
		t->flat = false;
		changed = true;
	}
	if (!spliced || ts->tables_moved || !ok) /* else the same tables, in the same order */
		t->frames_version = ++ts->frame_sets;
	if (changed) {
		t->prev_version = compare && fresh_ok ? t->version : 0;
		t->version = ++ts->versions;
	}
	t->built = ok;
	if (spliced)
		ts->trees_spliced++;
	else
		ts->trees_built++;
}

/* Every frame t was built from still has the generation it had.  The
 * frames are RAM (the builders read no other), so their generations are
 * read straight from the machine's table: this runs for every tree at
 * every check. */
static bool current(const struct s2_trees *ts, const struct s2_tree *t)
{
	const uint64_t *gen = sim_frame_gens();
	for (unsigned i = 0; i < t->nframes; i++)
		if (gen[(t->frame[i].pa - ts->ram_base) >> PAGE_SHIFT] != t->frame[i].gen)
			return false;
	return true;
}

static unsigned hint_of(uint64_t root)
{
	return (unsigned)((root >> PAGE_SHIFT) * 0x9e3779b97f4a7c15ull >> 54) % S2_TREE_HINTS;
}

/* The slot built for root, else the least recently used one.  A built
 * root has one slot only, so the hint, once checked, finds the same slot
 * the scan would: the checks ask for a handful of roots many times over. */
static struct s2_tree *slot_for(struct s2_trees *ts, uint64_t root)
{
	uint8_t *hint = &ts->hint[hint_of(root)];
	if (*hint < S2_TREE_SLOTS && ts->slot[*hint].built && ts->slot[*hint].root == root)
		return &ts->slot[*hint];
	struct s2_tree *lru = &ts->slot[0];
	for (unsigned s = 0; s < S2_TREE_SLOTS; s++) {
		if (ts->slot[s].built && ts->slot[s].root == root) {
			*hint = (uint8_t)s;
			return &ts->slot[s];
		}
		if (ts->slot[s].last_use < lru->last_use)
			lru = &ts->slot[s];
	}
	lru->built = false;
	*hint = (uint8_t)(lru - ts->slot);
	return lru;
}

const struct s2_tree *s2_trees_get(struct s2_trees *ts, uint64_t root)
{
	root &= S2_OA_MASK;
	struct s2_tree *t = slot_for(ts, root);
	uint64_t epoch = sim_watch_epoch(); /* every frame a tree holds is watched */

	t->last_use = ++ts->uses;
	if (t->built && t->root == root && (t->valid_epoch == epoch || current(ts, t))) {
		t->valid_epoch = epoch;
		return t;
	}
	bool same_root = t->built && t->root == root;
	if (!same_root)
		t->flat = false;
	t->root = root;
	update(ts, t, same_root);
	t->valid_epoch = epoch;
	return t;
}

bool s2_trees_read_frame(const struct s2_trees *ts, uint64_t pfn)
{
	uint64_t i = pfn - (ts->ram_base >> PAGE_SHIFT);
	return i < ts->ram_pages && ts->rec[i] != NULL;
}

void s2_tree_leaves_near(const struct s2_tree *t, uint64_t pa, unsigned *first, unsigned *end)
{
	uint64_t lo_pa = pa >= t->max_size ? pa - t->max_size + 1 : 0;
	*first = key_pos(t->by_pa, t->nleaves, (struct s2_pa_key){ lo_pa, 0, 0 });
	*end = pa == UINT64_MAX ? t->nleaves : key_pos(t->by_pa, t->nleaves, (struct s2_pa_key){ pa + 1, 0, 0 });
}

unsigned s2_tree_leaf_index(const struct s2_tree *t, uint64_t ipa)
{
	unsigned lo = 0, hi = t->nleaves;
	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		if (t->leaf[mid].ipa < ipa)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}
