/* Inside the kept trees (s2tree.h): the tables of a tree as nodes, built
 * from the kept frames and brought up to date where frames moved.  Both
 * ways describe the new leaf list as edits of the old one, for s2tree.c
 * to apply. */
#ifndef ORACLES_MODEL_S2TREE_NODES_H
#define ORACLES_MODEL_S2TREE_NODES_H

#include <stdbool.h>
#include <stdint.h>

#include "hyp/s2desc.h"
#include "model/s2/s2tree.h"

#define S2_FRAME_LINES 64 /* cache lines of a table frame, 8 entries each */

/* A table frame as last read: its valid descriptors, by index, and the
 * generation at which they were last found changed (or first read);
 * generations only grow, so one number answers for every line. */
struct s2_frame_rec {
	uint64_t gen;
	uint64_t changed;
	unsigned n;
	uint16_t idx[S2_ENTRIES];
	uint64_t desc[S2_ENTRIES];
};

/* The table frame at pa (RAM) as it is at generation gen, read again
 * only if it was last read at another, and then only the lines the
 * machine says changed (sim_frame_take_changes); NULL if memory ran out.
 * A frame two trees share is read once (s2tree_frames.c). */
const struct s2_frame_rec *s2_frame_now(struct s2_trees *ts, uint64_t pa, uint64_t gen);

/* Whether r's valid descriptors differ from those it held at generation
 * gen (one r was read at). */
static inline bool s2_frame_changed_since(const struct s2_frame_rec *r, uint64_t gen)
{
	return r->changed > gen;
}

/* A tree's tables as nodes (built and spliced by s2tree_nodes.c).
 * What a valid entry gives the scan: nothing (a reserved level-3 entry,
 * a table outside RAM), a leaf, or a table to enter. */
enum entry_kind { E_NONE, E_LEAF, E_TABLE };

/* A valid entry of a node's table as last read. */
struct node_entry {
	uint64_t desc;
	uint16_t idx;
	uint8_t kind;
	int32_t child;              /* E_TABLE: its node */
};

/* A linked table, and how many of its parent's own leaves come before it. */
struct node_kid { int32_t id; uint32_t lead; };

struct s2_node {
	uint64_t pa, gen, ipa;      /* the frame, its generation when read, the IPA it starts at */
	unsigned level;
	int32_t parent, next_free;
	bool dirty;                 /* it or a node under it moved */
	unsigned n, cap;            /* entries */
	struct node_entry *e;
	unsigned nkids, kid_cap;
	struct node_kid *kid;
	uint32_t nleaves, ntables;  /* in its subtree, itself included */
	uint32_t own;               /* leaves of its own entries */
};

/* The run of nd's entries from i on that r (its frame as read now) still
 * holds from j on, no table among them: copied to out, their leaves
 * counted into nd and *pos (a merge keeps them whole); how many. */
unsigned s2_node_keep_run(struct s2_node *nd, unsigned i, const struct s2_frame_rec *r, unsigned j,
			  struct node_entry *out, uint32_t *pos);

/* Leaves [at, at + old_len) of the old list become ts->add[add, add + new_len). */
struct s2_leaf_edit { uint32_t at, old_len, add, new_len; };

/* The whole tree at t->root, as s2_scan would visit it: its leaves into
 * ts->add, its frames into t->frame, its nodes (none if the tree is past
 * the budget: then t->flat), and t->result.  false if memory ran out
 * (what was built is then incomplete). */
bool s2_nodes_build(struct s2_trees *ts, struct s2_tree *t);

/* t (built, with nodes) brought up to date from the frames whose
 * generation moved: the edits of its leaf list into ts->edit, in order,
 * the leaves they add into ts->add, t->frame anew (the same frames, in
 * the same order, unless ts->tables_moved).  false if it must be
 * built whole instead (past the budget, or out of memory). */
bool s2_nodes_splice(struct s2_trees *ts, struct s2_tree *t);

/* Forget t's nodes (their memory is kept for the next build). */
void s2_nodes_clear(struct s2_tree *t);
void s2_nodes_release(struct s2_tree *t);
/* A frame record's memory. */
void s2_frames_release(struct s2_trees *ts);

#endif
