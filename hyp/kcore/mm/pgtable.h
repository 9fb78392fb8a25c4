/* Stage-2 tables (VMSAv8-64, 4 KiB granule, walks start at level 1), as
 * used for VM, KServ and SMMU translation.  One walker visits the level-3
 * entries of a gfn range; map, unmap, lookup and teardown are small
 * callbacks on it.  Only 4 KiB pages are mapped, at level 3; level 1-2
 * tables come from the table's pool and are never freed before the whole
 * pool is released.
 *
 * Every change of a valid entry is break-before-make: write invalid, DSB,
 * invalidate the TLBs that may hold it, DSB.  Entries are only ever changed
 * from valid to invalid or the other way, never valid to valid. */
#ifndef KCORE_PGTABLE_H
#define KCORE_PGTABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "hyp/addr.h"
#include "hyp_pool.h"

/* How a broken entry is flushed from the TLBs that may cache it. */
enum pgt_flush {
	PGT_FLUSH_VMID, /* CPU stage-2: TLBI IPAS2E1IS for the table's VMID */
	PGT_FLUSH_SMMU, /* SMMU unit: invalidate its IOTLB */
};

struct pgt {
	paddr_t root;         /* level-1 table */
	struct hyp_pool *pool;
	uint32_t obj;         /* shared-object id reported on every walk */
	enum pgt_flush flush;
	uint16_t tag;         /* VMID or SMMU unit */
};

/* Witness that the lock protecting the table is held.  Only the lock
 * helpers of the table's owner (npt.c, smmu.c) make one. */
struct pgt_locked { struct pgt *pgt; };

/* Take the root from a freshly set-up pool. */
void kcore_pgt_init(struct pgt_locked t, struct hyp_pool *pool, uint32_t obj,
		    enum pgt_flush flush, uint16_t tag);

/* The level-3 descriptor for gfn, 0 when no valid entry maps it. */
uint64_t kcore_pgt_lookup(struct pgt_locked t, uint64_t gfn);

/* True if the pool still holds the tables that mapping gfn needs. */
bool kcore_pgt_can_map(struct pgt_locked t, uint64_t gfn);

/* Map gfn with the leaf descriptor desc.  gfn must be unmapped and the pool
 * must hold the tables it needs (kcore_pgt_can_map); else KCore panics. */
void kcore_pgt_map(struct pgt_locked t, uint64_t gfn, uint64_t desc);

/* Break the entry for gfn; returns the old descriptor, or 0 (and does
 * nothing) when it was not valid. */
uint64_t kcore_pgt_unmap(struct pgt_locked t, uint64_t gfn);

/* Break every valid entry, in gfn order.  For each, before (if not NULL)
 * runs while the entry is still valid and after (if not NULL) once it is
 * broken and flushed from the TLBs. */
typedef void (*pgt_leaf_fn)(void *arg, uint64_t gfn, uint64_t desc);
void kcore_pgt_unmap_all(struct pgt_locked t, pgt_leaf_fn before, pgt_leaf_fn after, void *arg);

#endif
