/* SMMU units as the rest of KCore sees them (the operations are in ops.h). */
#ifndef KCORE_SMMU_H
#define KCORE_SMMU_H

#include <stdbool.h>
#include <stdint.h>

#include "base/locks.h"

/* Every unit free and detached (kcore_init). */
void kcore_smmu_reset(void);

/* Free every unit vm owns (clear_vm), dropping the DMA counts. */
void kcore_smmu_free_owned_by(struct smmu_locked l, struct s2page_locked pages, unsigned vm);

/* For the read-only view: no lock, no event. */
bool kcore_smmu_peek(unsigned unit, bool *allocated, unsigned *owner, uint64_t *root,
		     uint32_t *pool_used);

#endif
