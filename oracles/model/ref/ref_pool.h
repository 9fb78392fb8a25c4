/* The page-table pool rule of kcore.h, as sets of table keys.
 *
 * Mapping gfn needs the root, the level-2 table of gfn >> 18 and the
 * level-3 table of gfn >> 9; a pool only grows until it is released, so its
 * use is 1 + |{gfn >> 18}| + |{gfn >> 9}| over every gfn it ever mapped.
 */
#ifndef ORACLES_MODEL_REF_POOL_H
#define ORACLES_MODEL_REF_POOL_H

#include <stdbool.h>
#include <stdint.h>

#include "hyp/kcore.h"

#define REF_POOL_MAX KCORE_KSERV_POOL_PAGES /* the largest pool */

struct ref_pool {
	unsigned cap;        /* pool size in pages; 0: not created */
	unsigned n2, n3;
	uint64_t l2[REF_POOL_MAX], l3[REF_POOL_MAX];
};

/* A fresh pool holding only its root. */
void ref_pool_create(struct ref_pool *p, unsigned cap);
void ref_pool_release(struct ref_pool *p);
uint64_t ref_pool_used(const struct ref_pool *p);
/* Would mapping gfn take more pages than the pool has left? */
bool ref_pool_full_for(const struct ref_pool *p, uint64_t gfn);
/* Record that gfn is mapped; the caller checked ref_pool_full_for. */
void ref_pool_add(struct ref_pool *p, uint64_t gfn);

#endif
