/* Stage-2 trees kept current by the machine's frame generations. */
#include "s2tree.h"

#include <stdlib.h>
#include <string.h>

#include "array_grow.h"
#include "hyp/addr.h"
#include "hyp/s2desc.h"
#include "sim/machine.h"

#define NOT_READ UINT64_MAX

/* A table frame as last read: its valid descriptors, by index. */
struct s2_frame_rec {
	uint64_t gen;
	unsigned n;
	uint16_t idx[S2_ENTRIES];
	uint64_t desc[S2_ENTRIES];
};

bool s2_trees_init(struct s2_trees *ts, uint64_t ram_base, uint64_t ram_bytes)
{
	memset(ts, 0, sizeof(*ts));
	ts->ram_base = ram_base;
	ts->ram_pages = ram_bytes >> PAGE_SHIFT;
	ts->rec = calloc(ts->ram_pages ? ts->ram_pages : 1, sizeof(*ts->rec));
	return ts->rec != NULL;
}

void s2_trees_release(struct s2_trees *ts)
{
	for (uint64_t i = 0; ts->rec && i < ts->ram_pages; i++)
		free(ts->rec[i]);
	free(ts->rec);
	for (unsigned s = 0; s < S2_TREE_SLOTS; s++) {
		free(ts->slot[s].leaf);
		free(ts->slot[s].by_pa);
		free(ts->slot[s].fresh);
		free(ts->slot[s].frame);
	}
	free(ts->old);
	memset(ts, 0, sizeof(*ts));
}

/* The valid descriptors of a table, by index; their count.  Tables are
 * mostly empty: a group of 8 entries with no valid bit among them is
 * passed over at once, and within a group the copy does not branch. */
static unsigned keep_valid(const uint64_t desc[S2_ENTRIES], uint16_t idx[S2_ENTRIES], uint64_t out[S2_ENTRIES])
{
	unsigned n = 0;

	for (unsigned g = 0; g < S2_ENTRIES; g += 8) {
		uint64_t any = 0;
		for (unsigned k = g; k < g + 8; k++)
			any |= desc[k];
		if (!s2_is_valid(any))
			continue;
		for (unsigned k = g; k < g + 8; k++) {
			idx[n] = (uint16_t)k;
			out[n] = desc[k];
			n += s2_is_valid(desc[k]) ? 1 : 0;
		}
	}
	return n;
}

/* The table frame at pa (RAM) as it is now; NULL if memory ran out. */
static const struct s2_frame_rec *frame_now(struct s2_trees *ts, uint64_t pa, uint64_t gen)
{
	uint64_t i = (pa - ts->ram_base) >> PAGE_SHIFT;
	struct s2_frame_rec *r = ts->rec[i];

	if (r == NULL) {
		r = ts->rec[i] = malloc(sizeof(*r));
		if (r == NULL)
			return NULL;
		r->gen = NOT_READ;
	}
	if (r->gen != gen) {
		uint64_t desc[S2_ENTRIES];
		sim_coherent_read_page(pa, desc);
		r->n = keep_valid(desc, r->idx, r->desc);
		r->gen = gen;
		ts->frames_read++;
	}
	return r;
}

struct build {
	struct s2_trees *ts;
	struct s2_tree *t;
	unsigned tables_left;
	bool nomem;
};

static bool add_leaf(struct build *b, const struct s2_leaf *leaf)
{
	struct s2_tree *t = b->t;
	if (!array_grow((void **)&t->leaf, &t->leaf_cap, t->nleaves + 1, sizeof(*t->leaf))) {
		b->nomem = true;
		return false;
	}
	t->leaf[t->nleaves++] = *leaf;
	if (leaf->size > t->max_size)
		t->max_size = leaf->size;
	return true;
}

/* As s2scan.c's scan_table, from the kept frames. */
static enum s2_scan_result build_table(struct build *b, uint64_t table, unsigned level, uint64_t ipa_base)
{
	struct s2_tree *t = b->t;
	uint64_t size = 1ull << s2_level_shift(level);

	if (!sim_is_ram(table))
		return S2_SCAN_DONE;
	if (b->tables_left == 0)
		return S2_SCAN_BUDGET;
	b->tables_left--;
	uint64_t gen = sim_frame_gen(table);
	const struct s2_frame_rec *r = frame_now(b->ts, table, gen);
	if (r == NULL || !array_grow((void **)&t->frame, &t->frame_cap, t->nframes + 1, sizeof(*t->frame))) {
		b->nomem = true;
		return S2_SCAN_STOPPED;
	}
	t->frame[t->nframes++] = (struct s2_tree_frame){ table, gen };
	for (unsigned k = 0; k < r->n; k++) {
		uint64_t d = r->desc[k], ipa = ipa_base + r->idx[k] * size;
		if (s2_is_table(d, level)) {
			enum s2_scan_result res = build_table(b, s2_oa(d), level + 1, ipa);
			if (res != S2_SCAN_DONE)
				return res;
			continue;
		}
		if (level == S2_LAST_LEVEL && (d & S2_TYPE_TABLE) == 0)
			continue; /* reserved at level 3 */
		struct s2_leaf leaf = { .ipa = ipa, .pa = s2_oa(d) & ~(size - 1), .size = size, .desc = d, .level = level };
		if (!add_leaf(b, &leaf))
			return S2_SCAN_STOPPED;
	}
	return S2_SCAN_DONE;
}

static bool same_leaf(const struct s2_leaf *a, const struct s2_leaf *b)
{
	return a->ipa == b->ipa && a->pa == b->pa && a->size == b->size && a->desc == b->desc && a->level == b->level;
}

static const struct s2_tree *by_pa_tree; /* for the comparator: one sort at a time */

static int cmp_pa(const void *x, const void *y)
{
	const struct s2_leaf *a = &by_pa_tree->leaf[*(const uint32_t *)x], *b = &by_pa_tree->leaf[*(const uint32_t *)y];
	if (a->pa != b->pa)
		return a->pa < b->pa ? -1 : 1;
	return *(const uint32_t *)x < *(const uint32_t *)y ? -1 : *(const uint32_t *)x > *(const uint32_t *)y;
}

/* fresh[]: the leaves not in old[] (both in IPA order); by_pa[]. */
static bool index_leaves(struct s2_tree *t, const struct s2_leaf *old, unsigned nold)
{
	unsigned cap = t->leaf_cap;
	void *f = realloc(t->fresh, (size_t)(cap ? cap : 1) * sizeof(*t->fresh));
	void *p = f ? realloc(t->by_pa, (size_t)(cap ? cap : 1) * sizeof(*t->by_pa)) : NULL;
	if (f)
		t->fresh = f;
	if (p)
		t->by_pa = p;
	if (!f || !p)
		return false;
	t->nfresh = 0;
	for (unsigned i = 0, j = 0; i < t->nleaves; i++) {
		while (j < nold && old[j].ipa < t->leaf[i].ipa)
			j++;
		if (!(j < nold && same_leaf(&old[j], &t->leaf[i])))
			t->fresh[t->nfresh++] = i;
		t->by_pa[i] = i;
	}
	bool sorted = true; /* an identity map, or pages handed out in order */
	for (unsigned i = 1; i < t->nleaves && sorted; i++)
		sorted = t->leaf[i - 1].pa < t->leaf[i].pa;
	if (!sorted && t->nleaves) {
		by_pa_tree = t;
		qsort(t->by_pa, t->nleaves, sizeof(*t->by_pa), cmp_pa);
	}
	return true;
}

/* Build t from its root; the previous leaves decide fresh[] and whether
 * the version moves. */
static void rebuild(struct s2_trees *ts, struct s2_tree *t, bool same_root)
{
	unsigned nold = same_root && t->built ? t->nleaves : 0;
	if (!array_grow((void **)&ts->old, &ts->old_cap, nold + 1, sizeof(*ts->old)))
		nold = 0;
	else if (nold)
		memcpy(ts->old, t->leaf, nold * sizeof(*ts->old));
	t->nleaves = t->nframes = 0;
	t->max_size = 0;
	struct build b = { .ts = ts, .t = t, .tables_left = S2_SCAN_TABLES_DEFAULT };
	t->result = build_table(&b, t->root, S2_START_LEVEL, 0);
	if (b.nomem) {
		t->result = S2_SCAN_BUDGET; /* an incomplete tree counts as one past the budget */
		t->nframes = 0;         /* and is rebuilt next time */
	}
	bool changed = !t->built || !same_root || t->nleaves != nold;
	if (!index_leaves(t, ts->old, nold)) {
		t->nfresh = 0;
		changed = true;
	}
	changed |= t->nfresh != 0;
	if (changed) {
		t->prev_version = t->built && same_root ? t->version : 0;
		t->version = ++ts->versions;
	}
	t->built = !b.nomem;
	ts->trees_built++;
}

/* Every frame t was built from still has the generation it had.  The
 * frames are RAM (build_table reads no other), so their generations are
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
	return (unsigned)((root >> PAGE_SHIFT) * 0x9e3779b97f4a7c15ull >> 58) % S2_TREE_HINTS;
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
	uint64_t epoch = sim_mem_epoch();

	t->last_use = ++ts->uses;
	if (t->built && t->root == root && (t->valid_epoch == epoch || current(ts, t))) {
		t->valid_epoch = epoch;
		return t;
	}
	bool same_root = t->built && t->root == root;
	t->root = root;
	rebuild(ts, t, same_root);
	t->valid_epoch = epoch;
	return t;
}

void s2_tree_leaves_near(const struct s2_tree *t, uint64_t pa, unsigned *first, unsigned *end)
{
	uint64_t lo_pa = pa >= t->max_size ? pa - t->max_size + 1 : 0;
	unsigned lo = 0, hi = t->nleaves;
	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		if (t->leaf[t->by_pa[mid]].pa < lo_pa)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = lo;
	hi = t->nleaves;
	unsigned l2 = lo;
	while (l2 < hi) {
		unsigned mid = l2 + (hi - l2) / 2;
		if (t->leaf[t->by_pa[mid]].pa <= pa)
			l2 = mid + 1;
		else
			hi = mid;
	}
	*end = l2;
}
