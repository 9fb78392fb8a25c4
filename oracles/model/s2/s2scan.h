/* Enumerate every valid leaf of a stage-2 table tree in memory.
 *
 * The walk reads descriptors through the coherent view, as the machine's
 * table walker does, and interprets them by hyp/s2desc.h: a table
 * descriptor at levels 1-2 leads one level down (only into RAM; elsewhere
 * the walker faults), a block at levels 1-2 or a page at level 3 is a leaf.
 * Leaves come in increasing IPA order.  A tree whose tables are linked from
 * many places could be huge, so the walk stops after max_tables table pages.
 */
#ifndef ORACLES_MODEL_S2SCAN_H
#define ORACLES_MODEL_S2SCAN_H

#include <stdbool.h>
#include <stdint.h>

struct s2_leaf {
	uint64_t ipa;    /* base of the region the leaf covers */
	uint64_t pa;     /* base of its output */
	uint64_t size;   /* 4 KiB, 2 MiB or 1 GiB */
	uint64_t desc;
	unsigned level;
};

/* Return false to stop the walk. */
typedef bool (*s2_leaf_fn)(void *ctx, const struct s2_leaf *leaf);

enum s2_scan_result {
	S2_SCAN_DONE = 0,  /* every leaf visited */
	S2_SCAN_STOPPED,   /* the callback asked to stop */
	S2_SCAN_BUDGET,    /* more than max_tables table pages */
};

/* Walk the tree at root (a level-1 table); a root outside RAM has no leaves. */
enum s2_scan_result s2_scan(uint64_t root, unsigned max_tables, s2_leaf_fn fn, void *ctx);

/* Each table page the walk enters (root included), before its entries;
 * return false to stop the walk. */
typedef bool (*s2_table_fn)(void *ctx, uint64_t table, unsigned level);

/* s2_scan that also names every table page to table_fn (may be NULL). */
enum s2_scan_result s2_scan_frames(uint64_t root, unsigned max_tables, s2_leaf_fn fn, s2_table_fn table_fn,
				   void *ctx);

/* Table pages a correct KCore can link in one tree (its largest pool), with
 * room to spare for a wrong one to show itself. */
#define S2_SCAN_TABLES_DEFAULT 1024u

#endif
