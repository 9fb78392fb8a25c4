/* The abstraction's maps (abstract.c): the leaves of a table, scanned or
 * from the kept trees (s2tree.h), as the sorted entries of a ref_state's
 * map, with the kept tree build they came from (REF_MAP_HEAD). */
#ifndef ORACLES_MODEL_ABS_MAP_H
#define ORACLES_MODEL_ABS_MAP_H

#include <stdbool.h>
#include <stdint.h>

#include "model/s2/s2tree.h"
#include "model/state/refstate.h"

/* One map's entries and head, whatever the kind of map. */
struct map_sink {
	struct ref_map_entry *e;
	unsigned *n;
	unsigned cap;
	bool *overflow;
	uint64_t *from_tree;  /* see REF_MAP_HEAD */
	unsigned *from_n;
};

struct map_sink abs_vm_sink(struct ref_vm *v);
struct map_sink abs_smmu_sink(struct ref_smmu *u);

/* One leaf into the map (from_tree becomes 0: e[] no longer a build's
 * leaves alone); false when the map is full (overflow set). */
bool abs_add_leaf(void *ctx, const struct s2_leaf *leaf);
/* The kept tree's leaves as the map; whether every leaf is in it
 * (nothing left for the walker to find). */
bool abs_tree_into(const struct s2_tree *tree, struct map_sink *sink);
/* The tables under root into the map: scanned (trees NULL; false: the
 * walker checks the scan), or from the kept trees as abs_tree_into. */
bool abs_scan_into(struct s2_trees *trees, uint64_t root, struct map_sink *sink);
/* A key some record names but the map does not hold: the machine's
 * walker asked, and whatever leaf it finds there recorded. */
void abs_walk_named(struct map_sink *sink, uint64_t root, uint64_t key);

#endif
