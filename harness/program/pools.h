/* Operand pools: the few values of each operand type a fuzz input picks
 * from.  Each pool starts with a few hot values (the same VM, page, gfn and
 * unit recur, so inputs collide on shared state often), then holds both
 * sides of every boundary of the layout: RAM, MMIO, KCore's region, each
 * page-table pool, the IPA and IOVA spaces, image ranges and table spans,
 * page by page and, for operands that may be unaligned, byte by byte.
 * Pools depend on the machine layout, so they are computed at run time from
 * the boot description. */
#ifndef HARNESS_POOLS_H
#define HARNESS_POOLS_H

#include <stdint.h>

#include "hyp/kcore.h"
#include "program/program.h"

/* Fits in the pool half of an operand byte (see PROGRAM.md, binary form). */
#define POOL_MAX 160

struct pool {
	unsigned n;
	unsigned hot; /* v[0..hot) are the values picked most often */
	uint64_t v[POOL_MAX];
};

struct program_pools {
	struct pool type[ARG__COUNT]; /* ARG_NONE and ARG_FLAG stay empty */
	uint64_t mmio_pfn;            /* the first MMIO page, for scenes that map one */
};

/* Fill every pool from the layout (RAM, KCore's region and its pools,
 * MMIO). */
void program_pools_init(struct program_pools *pools, const struct kcore_boot *boot);

/* Index of the first occurrence of v in the pool of type t, or -1. */
int pool_find(const struct program_pools *pools, enum arg_type t, uint64_t v);

#endif
