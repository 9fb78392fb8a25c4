/* Page-table pool accounting by table keys. */
#include "model/ref/ref_pool.h"

static bool has(const uint64_t *keys, unsigned n, uint64_t key)
{
	for (unsigned i = 0; i < n; i++)
		if (keys[i] == key)
			return true;
	return false;
}

static unsigned pages_needed(const struct ref_pool *p, uint64_t gfn)
{
	return (unsigned)!has(p->l2, p->n2, gfn >> 18) + (unsigned)!has(p->l3, p->n3, gfn >> 9);
}

void ref_pool_create(struct ref_pool *p, unsigned cap)
{
	p->cap = cap < REF_POOL_MAX ? cap : REF_POOL_MAX;
	p->n2 = p->n3 = 0;
}

/* Only a pool in use is written: a reset releases every pool, and a
 * released one left unwritten stays shared with a forked parent. */
void ref_pool_release(struct ref_pool *p)
{
	if (p->cap == 0 && p->n2 == 0 && p->n3 == 0)
		return;
	p->cap = 0;
	p->n2 = p->n3 = 0;
}

uint64_t ref_pool_used(const struct ref_pool *p)
{
	return p->cap == 0 ? 0 : 1u + p->n2 + p->n3;
}

bool ref_pool_full_for(const struct ref_pool *p, uint64_t gfn)
{
	return ref_pool_used(p) + pages_needed(p, gfn) > p->cap;
}

void ref_pool_add(struct ref_pool *p, uint64_t gfn)
{
	/* Guarded so that a caller's slip cannot write past the key arrays:
	 * used <= cap <= REF_POOL_MAX keeps n2 + n3 < REF_POOL_MAX. */
	if (ref_pool_full_for(p, gfn))
		return;
	if (!has(p->l2, p->n2, gfn >> 18))
		p->l2[p->n2++] = gfn >> 18;
	if (!has(p->l3, p->n3, gfn >> 9))
		p->l3[p->n3++] = gfn >> 9;
}
