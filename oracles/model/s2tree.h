/* Stage-2 trees as the oracles see them, re-read only where the machine
 * says they changed.
 *
 * The machine model gives every RAM frame a generation that changes with
 * any change of its coherent view (sim_frame_gen).  A table frame is read
 * once and kept as its valid descriptors; a tree (the tables under one
 * root) keeps its leaves and the generations of the frames it was built
 * from.  Asking for a tree whose frames all kept their generations costs a
 * comparison per table frame; otherwise the tree is rebuilt from the kept
 * frames, re-reading only those that changed, and the leaves that are new
 * since the previous build are listed, so a checker re-checks only those.
 *
 * The leaves are exactly those s2_scan visits (same order, same budget):
 * both the abstraction and the isolation check read the same trees, once
 * per check.
 */
#ifndef ORACLES_MODEL_S2TREE_H
#define ORACLES_MODEL_S2TREE_H

#include <stdbool.h>
#include <stdint.h>

#include "s2scan.h"

struct s2_tree_frame { uint64_t pa, gen; };

struct s2_tree {
	uint64_t root;                /* table address (masked) */
	uint64_t version;             /* unique among all builds of one s2_trees */
	uint64_t prev_version;        /* the build fresh[] is relative to */
	enum s2_scan_result result;   /* S2_SCAN_DONE, or S2_SCAN_BUDGET */
	unsigned nleaves, nfresh, nframes;
	struct s2_leaf *leaf;         /* IPA order */
	uint32_t *by_pa;              /* leaf indices, PA order */
	uint32_t *fresh;              /* leaves of this build absent from the previous one */
	struct s2_tree_frame *frame;  /* table frames read, with their generations */
	unsigned leaf_cap, frame_cap;
	uint64_t max_size;            /* of any leaf */
	uint64_t valid_epoch;         /* sim_mem_epoch when last found current */
	uint64_t last_use;
	bool built;
};

struct s2_frame_rec;
#define S2_TREE_SLOTS 40
#define S2_TREE_HINTS 64

struct s2_trees {
	uint64_t ram_base, ram_pages;
	struct s2_frame_rec **rec;    /* per RAM frame, made on first read */
	struct s2_tree slot[S2_TREE_SLOTS];
	uint8_t hint[S2_TREE_HINTS];  /* by root: the slot it was last found in */
	uint64_t versions, uses;
	struct s2_leaf *old;          /* scratch: the previous build's leaves */
	unsigned old_cap;
	/* what was read since s2_trees_stats_reset: for benchmarks and tests */
	uint64_t frames_read, trees_built;
};

/* For the machine as configured now; false when memory ran out. */
bool s2_trees_init(struct s2_trees *ts, uint64_t ram_base, uint64_t ram_bytes);
void s2_trees_release(struct s2_trees *ts);

/* The tree at root, current.  The pointer stays valid until the next call
 * with another root may reuse its slot (S2_TREE_SLOTS roots are kept). */
const struct s2_tree *s2_trees_get(struct s2_trees *ts, uint64_t root);

/* Candidates for the leaves of t whose output holds pa: positions
 * [*first, *end) of t->by_pa; each candidate still needs the range test. */
void s2_tree_leaves_near(const struct s2_tree *t, uint64_t pa, unsigned *first, unsigned *end);
static inline bool s2_leaf_holds(const struct s2_leaf *l, uint64_t pa)
{
	return pa - l->pa < l->size;
}

#endif
