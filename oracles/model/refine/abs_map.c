/* The abstraction's maps: a table's leaves as map entries (abs_map.h). */
#include "model/refine/abs_map.h"

#include <string.h>

#include "hyp/addr.h"
#include "hyp/s2desc.h"
#include "model/refine/abstract.h"
#include "model/s2/s2scan.h"
#include "sim/machine.h"

bool abs_add_leaf(void *ctx, const struct s2_leaf *leaf)
{
	struct map_sink *sink = ctx;
	*sink->from_tree = 0;
	struct ref_map_entry ent = {
		.key = leaf->ipa >> PAGE_SHIFT,
		.pa = leaf->pa,
		.pages = (uint32_t)(leaf->size >> PAGE_SHIFT),
		.perm = (uint8_t)abs_desc_perm(leaf->desc),
		.mem = (uint8_t)abs_desc_mem(leaf->desc),
	};

	if (!ref_map_insert(sink->e, sink->n, sink->cap, ent)) {
		*sink->overflow = true;
		return false;
	}
	return true;
}

static struct ref_map_entry leaf_entry(const struct s2_leaf *leaf)
{
	return (struct ref_map_entry){
		.key = leaf->ipa >> PAGE_SHIFT, .pa = leaf->pa, .pages = (uint32_t)(leaf->size >> PAGE_SHIFT),
		.perm = (uint8_t)abs_desc_perm(leaf->desc), .mem = (uint8_t)abs_desc_mem(leaf->desc),
	};
}

/* Whether e[0..n), the entries of build from_tree, becomes the tree's by
 * putting in its fresh leaves alone: the tree grew from that build and
 * lost nothing.  A leaf not fresh is one of the old build's, equal to
 * it, and IPAs are distinct, so with as many of those as old entries
 * every old leaf is still there, in the same order. */
static bool grew_from(const struct s2_tree *tree, uint64_t from_tree, unsigned n, unsigned cap)
{
	return from_tree != 0 && tree->result != S2_SCAN_BUDGET && tree->prev_version == from_tree &&
	       tree->nleaves == n + tree->nfresh && tree->nleaves <= cap;
}

/* The fresh leaves put in at their places, the old entries between them
 * moved up, from the last to the first so none is overwritten before it
 * moved: a map that grows by a page per step costs what moved. */
static void put_fresh(struct ref_map_entry *e, const struct s2_tree *tree)
{
	unsigned end = tree->nleaves; /* positions [end, nleaves) are in place */
	for (unsigned f = tree->nfresh; f-- > 0;) {
		unsigned at = tree->fresh[f];
		memmove(&e[at + 1], &e[at - f], (end - at - 1) * sizeof(*e));
		e[at] = leaf_entry(&tree->leaf[at]);
		end = at;
	}
}

/* The kept tree's leaves into sink.  Returns whether every leaf is in
 * the map (nothing left for the walker to find). */
bool abs_tree_into(const struct s2_tree *tree, struct map_sink *sink)
{
	uint64_t from_tree = *sink->from_tree;
	*sink->n = 0;
	*sink->overflow = false;
	*sink->from_tree = 0;
	if (tree->result != S2_SCAN_BUDGET && tree->version == from_tree) {
		*sink->n = *sink->from_n; /* e[] still holds this build's leaves */
		*sink->from_tree = from_tree;
		return true;
	}
	if (grew_from(tree, from_tree, *sink->from_n, sink->cap)) {
		put_fresh(sink->e, tree);
		*sink->n = *sink->from_n = tree->nleaves;
		*sink->from_tree = tree->version;
		return true;
	}
	/* the leaves come in increasing IPA order, distinct: appended as they are */
	for (unsigned i = 0; i < tree->nleaves; i++) {
		if (*sink->n == sink->cap) {
			*sink->overflow = true;
			break;
		}
		sink->e[(*sink->n)++] = leaf_entry(&tree->leaf[i]);
	}
	if (tree->result == S2_SCAN_BUDGET)
		*sink->overflow = true;
	if (!*sink->overflow) {
		*sink->from_tree = tree->version;
		*sink->from_n = *sink->n;
	}
	return !*sink->overflow;
}

/* The tables under root into sink: scanned, or from the kept trees. */
bool abs_scan_into(struct s2_trees *trees, uint64_t root, struct map_sink *sink)
{
	if (trees != NULL)
		return abs_tree_into(s2_trees_get(trees, root), sink);
	*sink->n = 0;
	*sink->overflow = false;
	*sink->from_tree = 0;
	if (s2_scan(root, S2_SCAN_TABLES_DEFAULT, abs_add_leaf, sink) == S2_SCAN_BUDGET)
		*sink->overflow = true;
	return false; /* the walker checks the scan */
}


/* A key some record names but the scan did not find: ask the machine's
 * walker, and record whatever leaf it finds there. */
void abs_walk_named(struct map_sink *sink, uint64_t root, uint64_t key)
{
	struct sim_walk w;
	int fault;

	if (key > S2_MAX_GFN || ref_map_covering(sink->e, *sink->n, key) != NULL)
		return;
	fault = sim_s2_walk(root, key << PAGE_SHIFT, &w);
	if (fault != SIM_OK && fault != SIM_FAULT_ACCESS_FLAG)
		return;
	uint64_t off = (key << PAGE_SHIFT) & (w.size - 1);
	struct s2_leaf leaf = {
		.ipa = (key << PAGE_SHIFT) - off, .pa = w.pa - off, .size = w.size, .desc = w.desc, .level = w.level,
	};
	abs_add_leaf(sink, &leaf);
}

struct map_sink abs_vm_sink(struct ref_vm *v)
{
	return (struct map_sink){ v->map.e, &v->map.n, REF_VM_MAP_CAP, &v->map.overflow, &v->map.from_tree,
				  &v->map.from_n };
}

struct map_sink abs_smmu_sink(struct ref_smmu *u)
{
	return (struct map_sink){ u->map.e, &u->map.n, REF_SMMU_MAP_CAP, &u->map.overflow, &u->map.from_tree,
				  &u->map.from_n };
}
