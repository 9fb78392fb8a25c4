/* Page-table pools: bump allocators over fixed slices of KCore's region.
 * Pages come back only when the whole pool is released.  A pool is part of
 * the object whose tables it holds and is protected by that object's lock.
 *
 * Region layout, in pages from its base: KServ's pool, then one pool per VM
 * slot (1..KCORE_MAX_VMS), then one per SMMU unit. */
#ifndef KCORE_POOL_H
#define KCORE_POOL_H

#include <stdbool.h>
#include <stdint.h>

#include "hyp/addr.h"

struct pool {
	uint64_t base_pfn;
	uint32_t pages;
	uint32_t used;
};

void kcore_pool_setup_kserv(struct pool *p);
void kcore_pool_setup_vm(struct pool *p, unsigned vm);     /* vm 1..KCORE_MAX_VMS */
void kcore_pool_setup_smmu(struct pool *p, unsigned unit); /* unit < KCORE_SMMU_UNITS */

uint32_t kcore_pool_left(const struct pool *p);
/* Hand out the next page, zeroed.  False when the pool is exhausted. */
bool kcore_pool_alloc(struct pool *p, paddr_t *page);
void kcore_pool_release(struct pool *p);

#endif
