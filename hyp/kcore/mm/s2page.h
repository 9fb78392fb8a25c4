/* The page ownership array: one entry per RAM page, protected by
 * KLOCK_S2PAGE.  Every access goes through kcore_s2page_get/put, which
 * demand the lock's witness and report the access to the lock discipline
 * oracle (arch_note_access). */
#ifndef KCORE_S2PAGE_H
#define KCORE_S2PAGE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/locks.h"

#define S2PAGE_NO_GFN UINT32_MAX

struct s2page {
	uint32_t gfn;    /* where the owning VM maps the page, or S2PAGE_NO_GFN */
	uint32_t dma;    /* SMMU mappings of the page */
	uint8_t owner;   /* KCORE_OWNER_* or VM handle */
	uint8_t share;   /* grant count */
};

/* Every RAM page KServ's, except KCore's own region.  Costs one entry per
 * RAM page of the current layout. */
void kcore_s2page_reset(void);

/* pfn must be a RAM page (callers check; anything else panics). */
struct s2page kcore_s2page_get(struct s2page_locked l, uint64_t pfn);
void kcore_s2page_put(struct s2page_locked l, uint64_t pfn, struct s2page page);

/* For the read-only view: no lock, no event.  False if pfn is not RAM. */
bool kcore_s2page_peek(uint64_t pfn, struct s2page *out);

#endif
