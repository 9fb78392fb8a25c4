/* Page-table pools: bump allocators over fixed slices of the region the
 * boot layout sets aside for the hypervisor's tables.  Pages come back
 * only when the whole pool is released.  A pool is part of the object
 * whose tables it holds and is protected by that object's lock.
 *
 * KCore and the baseline slice the region alike (KCORE_REGION_* of
 * hyp/kcore.h): the host's pool, then one pool per VM slot
 * (1..KCORE_MAX_VMS), then one per SMMU unit, each of the layout's
 * capacity, so that table memory runs out at the same step on both. */
#ifndef HYP_POOL_H
#define HYP_POOL_H

#include <stdbool.h>
#include <stdint.h>

#include "hyp/addr.h"
#include "hyp/kcore.h"

struct hyp_pool {
	uint64_t base_pfn;
	uint32_t pages;
	uint32_t used;
};

/* An empty pool over its slice of boot's region. */
void hyp_pool_setup_host(struct hyp_pool *p, const struct kcore_boot *boot);
void hyp_pool_setup_vm(struct hyp_pool *p, const struct kcore_boot *boot,
		       unsigned vm);     /* vm 1..KCORE_MAX_VMS */
void hyp_pool_setup_smmu(struct hyp_pool *p, const struct kcore_boot *boot,
			 unsigned unit); /* unit < KCORE_SMMU_UNITS */

uint32_t hyp_pool_left(const struct hyp_pool *p);
/* Hand out the next page, zeroed.  False when the pool is exhausted. */
bool hyp_pool_alloc(struct hyp_pool *p, paddr_t *page);
void hyp_pool_release(struct hyp_pool *p);

#endif
