/* Stage-2 trees as the oracles see them, re-read only where the machine
 * says they changed.
 *
 * The machine model gives every RAM frame a generation that changes with
 * any change of its coherent view (sim_frame_gen).  A table frame is read
 * once and kept as its valid descriptors; a tree (the tables under one
 * root) keeps its leaves, and each table of it as a node: the entries it
 * held when last read and the node of every table they link.  Every
 * frame read is marked watched (sim_frame_watch): while the machine's
 * watch epoch stays, asking for a tree costs one comparison; when it
 * moved, a comparison per table frame of the tree.  When some moved, only
 * the cache lines of them the machine says changed are read again
 * (sim_frame_take_changes), a node whose entries stayed is kept as it is,
 * and the entries of one whose did are compared with the node's: an entry that changed has its leaf or
 * its linked subtree replaced in the leaf list (spliced), the rest stays,
 * and the leaves that are new are listed (fresh[]), so a checker
 * re-checks only those.  A tree past the scan's budget (or one memory ran
 * out for) is kept flat and rebuilt whole when a frame of it moves.
 *
 * The leaves are exactly those s2_scan visits (same order, same budget):
 * both the abstraction and the isolation check read the same trees, once
 * per check.
 */
#ifndef ORACLES_MODEL_S2TREE_H
#define ORACLES_MODEL_S2TREE_H

#include <stdbool.h>
#include <stdint.h>

#include "model/s2/s2scan.h"

/* A table frame of a tree, with the generation it was read at; node: its
 * node (s2tree_nodes.c), -1 in a flat tree. */
struct s2_tree_frame { uint64_t pa, gen; int32_t node; };

/* A leaf of a tree by its output (enough for the range test); the leaf
 * itself is found in leaf[] by ipa. */
struct s2_pa_key { uint64_t pa, ipa, size; };

struct s2_node;

struct s2_tree {
	uint64_t root;                /* table address (masked) */
	uint64_t version;             /* unique among all builds of one s2_trees */
	uint64_t prev_version;        /* the build fresh[] is relative to */
	uint64_t frames_version;      /* moves when frame[]'s addresses may have changed (unique too) */
	enum s2_scan_result result;   /* S2_SCAN_DONE, or S2_SCAN_BUDGET */
	unsigned nleaves, nfresh, nframes;
	struct s2_leaf *leaf;         /* IPA order (IPAs are distinct) */
	struct s2_pa_key *by_pa;      /* every leaf, in (pa, ipa) order */
	uint32_t *fresh;              /* leaves (positions) absent from the previous version, increasing */
	struct s2_tree_frame *frame;  /* table frames read, in the scan's order */
	unsigned leaf_cap, frame_cap, by_pa_cap, fresh_cap;
	uint64_t max_size;            /* of any leaf (0 with none) */
	unsigned nlevel[4];           /* leaves at each level */
	uint64_t valid_epoch;         /* sim_watch_epoch when last found current */
	uint64_t last_use;
	bool built;
	bool flat;                    /* no nodes kept: rebuilt whole */
	int32_t top;                  /* the root's node, -1 if none */
	int32_t free_node;            /* list of unused nodes */
	struct s2_node *node;
	unsigned node_cap;
};

struct s2_frame_rec;
struct s2_leaf_edit;
#define S2_TREE_SLOTS 40
#define S2_TREE_HINTS 1024  /* roots in use (a few dozen) rarely share a hint */

struct s2_trees {
	uint64_t ram_base, ram_pages;
	struct s2_frame_rec **rec;    /* per RAM frame, made on first read */
	struct s2_tree slot[S2_TREE_SLOTS];
	uint8_t hint[S2_TREE_HINTS];  /* by root: the slot it was last found in */
	uint64_t versions, frame_sets, uses;
	/* scratch of one update: the leaf list's edits and the leaves they add */
	struct s2_leaf_edit *edit;
	struct s2_leaf *add;
	struct s2_pa_key *keys;
	unsigned nedits, nadd, edit_cap, add_cap, keys_cap;
	bool tables_moved;            /* the splice added or dropped a table */
	void *spare[4];               /* per level: a node's entries, swapped in by a merge */
	unsigned spare_cap[4];
	/* what was read since s2_trees_stats_reset: for benchmarks and tests */
	uint64_t frames_read, trees_built, trees_spliced;
};

/* For the machine as configured now; false when memory ran out. */
bool s2_trees_init(struct s2_trees *ts, uint64_t ram_base, uint64_t ram_bytes);
void s2_trees_release(struct s2_trees *ts);

/* The tree at root, current.  The pointer stays valid until the next call
 * with another root may reuse its slot (S2_TREE_SLOTS roots are kept). */
const struct s2_tree *s2_trees_get(struct s2_trees *ts, uint64_t root);

/* Whether pfn was ever read as a table by some tree of ts (a frame no
 * tree reads now may still answer true). */
bool s2_trees_read_frame(const struct s2_trees *ts, uint64_t pfn);

/* Candidates for the leaves of t whose output holds pa: positions
 * [*first, *end) of t->by_pa; each candidate still needs the range test. */
void s2_tree_leaves_near(const struct s2_tree *t, uint64_t pa, unsigned *first, unsigned *end);
/* The position in t->leaf of the leaf at ipa (one of t's leaves). */
unsigned s2_tree_leaf_index(const struct s2_tree *t, uint64_t ipa);
static inline bool s2_leaf_holds(const struct s2_leaf *l, uint64_t pa)
{
	return pa - l->pa < l->size;
}
static inline bool s2_key_holds(const struct s2_pa_key *k, uint64_t pa)
{
	return pa - k->pa < k->size;
}

#endif
