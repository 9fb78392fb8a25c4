/* Operand pools: the few values of each operand type a fuzz input picks
 * from.  Small pools make the same VM, page, gfn and unit recur, so inputs
 * collide on shared state often; each pool also holds the edge cases KCore
 * must reject (handle 0, the first page past RAM, unaligned and out-of-range
 * addresses).  Pools depend on the machine layout, so they are computed at
 * run time from the boot description. */
#ifndef HARNESS_POOLS_H
#define HARNESS_POOLS_H

#include <stdint.h>

#include "hyp/kcore.h"
#include "program.h"

/* Fits in the pool half of an operand byte (see PROGRAM.md, binary form). */
#define POOL_MAX 48

struct pool {
	unsigned n;
	uint64_t v[POOL_MAX];
};

struct program_pools {
	struct pool type[ARG__COUNT]; /* ARG_NONE and ARG_FLAG stay empty */
};

/* Fill every pool from the layout (RAM, KCore's region, MMIO). */
void program_pools_init(struct program_pools *pools, const struct kcore_boot *boot);

/* Index of the first occurrence of v in the pool of type t, or -1. */
int pool_find(const struct program_pools *pools, enum arg_type t, uint64_t v);

#endif
