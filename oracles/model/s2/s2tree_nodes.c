/* The tables of a kept tree as nodes (s2tree_nodes.h). */
#include "model/s2/s2tree_nodes.h"

#include <stdlib.h>
#include <string.h>

#include "array_grow.h"
#include "hyp/addr.h"
#include "hyp/s2desc.h"
#include "sim/machine.h"

/* One build or splice of a tree. */
struct splice {
	struct s2_trees *ts;
	struct s2_tree *t;
	unsigned tables;            /* the tree's tables, as it goes */
	bool fail;                  /* past the budget, or out of memory */
};

static enum entry_kind kind_of(uint64_t d, unsigned level)
{
	if (s2_is_table(d, level))
		return sim_is_ram(s2_oa(d)) ? E_TABLE : E_NONE;
	if (level == S2_LAST_LEVEL && (d & S2_TYPE_TABLE) == 0)
		return E_NONE; /* reserved at level 3 */
	return E_LEAF;
}

static bool push_leaf(struct splice *sp, uint64_t ipa, uint64_t d, unsigned level)
{
	struct s2_trees *ts = sp->ts;
	uint64_t size = 1ull << s2_level_shift(level);
	if (!array_grow((void **)&ts->add, &ts->add_cap, ts->nadd + 1, sizeof(*ts->add))) {
		sp->fail = true;
		return false;
	}
	ts->add[ts->nadd++] = (struct s2_leaf){ .ipa = ipa, .pa = s2_oa(d) & ~(size - 1), .size = size, .desc = d,
						.level = level };
	return true;
}

/* Every node unused, their memory kept. */
void s2_nodes_clear(struct s2_tree *t)
{
	t->free_node = -1;
	for (unsigned i = t->node_cap; i-- > 0;) {
		t->node[i].next_free = t->free_node;
		t->free_node = (int32_t)i;
	}
	t->top = -1;
}

void s2_nodes_release(struct s2_tree *t)
{
	for (unsigned i = 0; i < t->node_cap; i++) {
		free(t->node[i].e);
		free(t->node[i].kid);
	}
	free(t->node);
	t->node = NULL;
	t->node_cap = 0;
	t->free_node = t->top = -1;
}

static int32_t node_alloc(struct s2_tree *t)
{
	if (t->free_node < 0) {
		unsigned old = t->node_cap;
		if (!array_grow((void **)&t->node, &t->node_cap, old + 1, sizeof(*t->node)))
			return -1;
		memset(&t->node[old], 0, (t->node_cap - old) * sizeof(*t->node));
		for (unsigned i = t->node_cap; i-- > old;) {
			t->node[i].next_free = t->free_node;
			t->free_node = (int32_t)i;
		}
	}
	int32_t id = t->free_node;
	t->free_node = t->node[id].next_free;
	return id;
}

static void free_subtree(struct s2_tree *t, int32_t id)
{
	for (unsigned k = 0; k < t->node[id].nkids; k++)
		free_subtree(t, t->node[id].kid[k].id);
	t->node[id].next_free = t->free_node;
	t->free_node = id;
}

/* Node id's counts and kids start over; tally() adds its entries in order. */
static void untally(struct s2_tree *t, int32_t id)
{
	t->node[id].nkids = t->node[id].nleaves = t->node[id].own = 0;
	t->node[id].ntables = 1;
}

/* The entry e of node id (its latest, in index order), its table's
 * subtree complete: counted, and its table listed among the kids. */
static void tally(struct splice *sp, int32_t id, const struct node_entry *e)
{
	struct s2_tree *t = sp->t;
	struct s2_node *nd = &t->node[id];
	if (e->kind == E_LEAF) {
		nd->nleaves++;
		nd->own++;
		return;
	}
	if (e->kind != E_TABLE || e->child < 0)
		return;
	if (!array_grow((void **)&nd->kid, &nd->kid_cap, nd->nkids + 1, sizeof(*nd->kid))) {
		sp->fail = true;
		return;
	}
	nd->kid[nd->nkids++] = (struct node_kid){ e->child, nd->own };
	nd->nleaves += t->node[e->child].nleaves;
	nd->ntables += t->node[e->child].ntables;
}

static int32_t build_node(struct splice *sp, uint64_t pa, unsigned level, uint64_t ipa, int32_t parent);

/* The entry (idx, d) of node id, new: its leaf added, or its table built. */
static struct node_entry new_entry(struct splice *sp, int32_t id, uint16_t idx, uint64_t d)
{
	unsigned level = sp->t->node[id].level;
	uint64_t ipa = sp->t->node[id].ipa + ((uint64_t)idx << s2_level_shift(level));
	struct node_entry e = { .desc = d, .idx = idx, .kind = (uint8_t)kind_of(d, level), .child = -1 };
	if (e.kind == E_LEAF)
		push_leaf(sp, ipa, d, level);
	else if (e.kind == E_TABLE) {
		e.child = build_node(sp, s2_oa(d), level + 1, ipa, id);
		sp->ts->tables_moved = true;
	}
	return e;
}

/* The table at pa (RAM) and everything under it, as the scan would enter
 * it; its leaves appended to ts->add.  -1 if it fails (sp->fail). */
static int32_t build_node(struct splice *sp, uint64_t pa, unsigned level, uint64_t ipa, int32_t parent)
{
	struct s2_tree *t = sp->t;
	if (sp->tables >= S2_SCAN_TABLES_DEFAULT) {
		sp->fail = true;
		return -1;
	}
	uint64_t gen = sim_frame_gen(pa);
	const struct s2_frame_rec *r = s2_frame_now(sp->ts, pa, gen);
	int32_t id = r ? node_alloc(t) : -1;
	if (id < 0 || !array_grow((void **)&t->node[id].e, &t->node[id].cap, r->n ? r->n : 1, sizeof(struct node_entry))) {
		sp->fail = true;
		return -1;
	}
	sp->tables++;
	struct s2_node *nd = &t->node[id];
	nd->pa = pa;
	nd->gen = gen;
	nd->ipa = ipa;
	nd->level = level;
	nd->parent = parent;
	nd->dirty = false;
	nd->n = 0;
	untally(t, id);
	for (unsigned k = 0; k < r->n && !sp->fail; k++) {
		struct node_entry e = new_entry(sp, id, r->idx[k], r->desc[k]);
		t->node[id].e[t->node[id].n++] = e;
		tally(sp, id, &e);
	}
	return sp->fail ? -1 : id;
}

static bool add_frames(struct s2_tree *t, int32_t id)
{
	if (!array_grow((void **)&t->frame, &t->frame_cap, t->nframes + 1, sizeof(*t->frame)))
		return false;
	t->frame[t->nframes++] = (struct s2_tree_frame){ t->node[id].pa, t->node[id].gen, id };
	for (unsigned k = 0; k < t->node[id].nkids; k++)
		if (!add_frames(t, t->node[id].kid[k].id))
			return false;
	return true;
}

/* The scan's walk over the kept frames, for a tree kept flat. */
static enum s2_scan_result flat_table(struct splice *sp, uint64_t table, unsigned level, uint64_t ipa_base)
{
	struct s2_tree *t = sp->t;

	if (!sim_is_ram(table))
		return S2_SCAN_DONE;
	if (sp->tables >= S2_SCAN_TABLES_DEFAULT)
		return S2_SCAN_BUDGET;
	sp->tables++;
	uint64_t gen = sim_frame_gen(table);
	const struct s2_frame_rec *r = s2_frame_now(sp->ts, table, gen);
	if (r == NULL || !array_grow((void **)&t->frame, &t->frame_cap, t->nframes + 1, sizeof(*t->frame))) {
		sp->fail = true;
		return S2_SCAN_STOPPED;
	}
	t->frame[t->nframes++] = (struct s2_tree_frame){ table, gen, -1 };
	for (unsigned k = 0; k < r->n; k++) {
		uint64_t d = r->desc[k], ipa = ipa_base + ((uint64_t)r->idx[k] << s2_level_shift(level));
		enum entry_kind kind = kind_of(d, level);
		if (kind == E_TABLE) {
			enum s2_scan_result res = flat_table(sp, s2_oa(d), level + 1, ipa);
			if (res != S2_SCAN_DONE)
				return res;
		} else if (kind == E_LEAF && !push_leaf(sp, ipa, d, level)) {
			return S2_SCAN_STOPPED;
		}
	}
	return S2_SCAN_DONE;
}

/* A tree found past the budget is most likely past it again: it is walked
 * flat first, and given nodes again once it fits. */
bool s2_nodes_build(struct s2_trees *ts, struct s2_tree *t)
{
	struct splice sp = { .ts = ts, .t = t };
	bool nodes_first = !(t->flat && t->result == S2_SCAN_BUDGET);

	s2_nodes_clear(t);
	ts->nadd = 0;
	t->nframes = 0;
	t->flat = false;
	t->result = S2_SCAN_DONE;
	if (nodes_first) {
		if (sim_is_ram(t->root))
			t->top = build_node(&sp, t->root, S2_START_LEVEL, 0, -1);
		if (!sp.fail && (t->top < 0 || add_frames(t, t->top)))
			return true;
		s2_nodes_clear(t);
		ts->nadd = 0;
		t->nframes = 0;
	}
	sp = (struct splice){ .ts = ts, .t = t };
	t->flat = true;
	t->result = flat_table(&sp, t->root, S2_START_LEVEL, 0);
	return !sp.fail;
}

static void push_edit(struct splice *sp, uint32_t at, uint32_t old_len, uint32_t add, uint32_t new_len)
{
	struct s2_trees *ts = sp->ts;
	if (old_len == 0 && new_len == 0)
		return;
	if (ts->nedits) {
		struct s2_leaf_edit *l = &ts->edit[ts->nedits - 1];
		if (l->at + l->old_len == at && l->add + l->new_len == add) {
			l->old_len += old_len;
			l->new_len += new_len;
			return;
		}
	}
	if (!array_grow((void **)&ts->edit, &ts->edit_cap, ts->nedits + 1, sizeof(*ts->edit))) {
		sp->fail = true;
		return;
	}
	ts->edit[ts->nedits++] = (struct s2_leaf_edit){ at, old_len, add, new_len };
}

static void sync_node(struct splice *sp, int32_t id, uint32_t pos);

/* An entry that stayed: its leaf count in the old list, its table brought
 * up to date. */
static uint32_t keep_entry(struct splice *sp, const struct node_entry *e, uint32_t pos)
{
	if (e->kind == E_LEAF)
		return 1;
	if (e->kind != E_TABLE)
		return 0;
	uint32_t old = sp->t->node[e->child].nleaves;
	if (sp->t->node[e->child].dirty)
		sync_node(sp, e->child, pos);
	return old;
}

/* An entry that went: its leaf count in the old list. */
static uint32_t drop_entry(struct splice *sp, const struct node_entry *e)
{
	if (e->kind == E_LEAF)
		return 1;
	if (e->kind != E_TABLE)
		return 0;
	uint32_t old = sp->t->node[e->child].nleaves;
	sp->tables -= sp->t->node[e->child].ntables;
	sp->ts->tables_moved = true;
	free_subtree(sp->t, e->child);
	return old;
}

/* Node id's frame moved: its entries as they are now against those it
 * held, each that changed an edit at its place (pos: the node's first
 * leaf in the old list). */
static void merge_node(struct splice *sp, int32_t id, uint32_t pos, uint64_t gen)
{
	struct s2_tree *t = sp->t;
	struct s2_trees *ts = sp->ts;
	unsigned level = t->node[id].level;
	const struct s2_frame_rec *r = s2_frame_now(ts, t->node[id].pa, gen);
	if (r == NULL || !array_grow(&ts->spare[level], &ts->spare_cap[level], r->n + 1, sizeof(struct node_entry))) {
		sp->fail = true;
		return;
	}
	struct node_entry *ne = ts->spare[level], *old = t->node[id].e;
	unsigned nold = t->node[id].n, i = 0, j = 0, n = 0;
	uint32_t p = pos;
	untally(t, id);
	while ((i < nold || j < r->n) && !sp->fail) {
		if (level == S2_LAST_LEVEL) { /* a run that stayed, no table in it: kept whole */
			unsigned k = s2_node_keep_run(&t->node[id], i, r, j, ne + n, &p);
			i += k, j += k, n += k;
			if (i >= nold && j >= r->n)
				break;
		}
		unsigned oi = i < nold ? old[i].idx : S2_ENTRIES, nj = j < r->n ? r->idx[j] : S2_ENTRIES;
		if (oi == nj && old[i].desc == r->desc[j]) {
			ne[n] = old[i++];
			j++;
			p += keep_entry(sp, &ne[n], p);
			tally(sp, id, &ne[n++]);
			continue;
		}
		uint32_t at = p, old_len = 0, add = ts->nadd;
		if (oi <= nj)
			p += old_len = drop_entry(sp, &old[i++]);
		if (nj <= oi) {
			ne[n] = new_entry(sp, id, r->idx[j], r->desc[j]);
			j++;
			tally(sp, id, &ne[n++]);
		}
		push_edit(sp, at, old_len, add, ts->nadd - add);
	}
	/* the entries as read now become the node's, its old ones the spare */
	unsigned cap = ts->spare_cap[level];
	ts->spare[level] = old;
	ts->spare_cap[level] = t->node[id].cap;
	t->node[id].e = ne;
	t->node[id].cap = cap;
	t->node[id].n = n;
	t->node[id].gen = gen;
}

/* Node id is dirty: bring it and the dirty nodes under it up to date
 * (pos: its first leaf in the old list). */
static void sync_node(struct splice *sp, int32_t id, uint32_t pos)
{
	struct s2_tree *t = sp->t;
	t->node[id].dirty = false;
	uint64_t gen = sim_frame_gen(t->node[id].pa);
	if (gen != t->node[id].gen) {
		/* a generation moves with cleans and rewrites of equal values
		 * too: merge only when the node's descriptors did change */
		const struct s2_frame_rec *r = s2_frame_now(sp->ts, t->node[id].pa, gen);
		if (r == NULL || s2_frame_changed_since(r, t->node[id].gen)) {
			merge_node(sp, id, pos, gen);
			return;
		}
		t->node[id].gen = gen;
	}
	uint32_t before = 0; /* leaves of the kids before this one, in the old list */
	for (unsigned k = 0; k < t->node[id].nkids && !sp->fail; k++) {
		struct node_kid kid = t->node[id].kid[k];
		uint32_t old = t->node[kid.id].nleaves, oldt = t->node[kid.id].ntables;
		if (t->node[kid.id].dirty)
			sync_node(sp, kid.id, pos + kid.lead + before);
		before += old;
		t->node[id].nleaves += t->node[kid.id].nleaves - old;
		t->node[id].ntables += t->node[kid.id].ntables - oldt;
	}
}

bool s2_nodes_splice(struct s2_trees *ts, struct s2_tree *t)
{
	const uint64_t *gens = sim_frame_gens();
	for (unsigned f = 0; f < t->nframes; f++) {
		if (gens[(t->frame[f].pa - ts->ram_base) >> PAGE_SHIFT] == t->frame[f].gen)
			continue;
		for (int32_t id = t->frame[f].node; id >= 0 && !t->node[id].dirty; id = t->node[id].parent)
			t->node[id].dirty = true;
	}
	ts->nedits = ts->nadd = 0;
	ts->tables_moved = false;
	struct splice sp = { .ts = ts, .t = t, .tables = t->node[t->top].ntables };
	if (t->node[t->top].dirty)
		sync_node(&sp, t->top, 0);
	if (sp.fail)
		return false;
	t->nframes = 0;
	return add_frames(t, t->top);
}
