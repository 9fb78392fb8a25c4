/* May-reach queries on the abstract state. */
#include "ref_reach.h"

#include "hyp/addr.h"

unsigned ref_kserv_may(const struct ref_state *s, uint64_t pfn)
{
	const struct ref_page *p = ref_page_get(s, pfn);

	if (p == NULL)
		return ref_is_mmio(s, pfn) ? REF_PERM_RW : 0;
	if (p->owner == KCORE_OWNER_KSERV)
		return ref_in_kcore_region(s, pfn) ? 0 : REF_PERM_RW;
	if (p->owner != KCORE_OWNER_KCORE && p->share > 0)
		return REF_PERM_RW;
	return 0;
}

/* Permission an exact map entry gives for key -> pfn. */
static unsigned map_may(const struct ref_map_entry *e, unsigned n, uint64_t key, uint64_t pfn)
{
	const struct ref_map_entry *hit = ref_map_find(e, n, key);

	return hit != NULL && hit->pages == 1 && hit->pa == pfn << PAGE_SHIFT ? hit->perm : 0;
}

unsigned ref_vm_may(const struct ref_state *s, unsigned vm, uint64_t gfn, uint64_t pfn)
{
	const struct ref_vm *v;

	if (vm < 1 || vm > KCORE_MAX_VMS)
		return 0;
	v = &s->vm[vm];
	if (v->state == VM_UNUSED || ref_kcore_private(s, pfn))
		return 0;
	return map_may(v->map.e, v->map.n, gfn, pfn);
}

unsigned ref_smmu_may(const struct ref_state *s, unsigned unit, uint64_t iova_pfn, uint64_t pfn)
{
	const struct ref_smmu *u;

	if (unit >= KCORE_SMMU_UNITS)
		return 0;
	u = &s->smmu[unit];
	if (!u->allocated || ref_kcore_private(s, pfn))
		return 0;
	return map_may(u->map.e, u->map.n, iova_pfn, pfn);
}

bool ref_kcore_private(const struct ref_state *s, uint64_t pfn)
{
	const struct ref_page *p = ref_page_get(s, pfn);

	return ref_in_kcore_region(s, pfn) || (p != NULL && p->owner == KCORE_OWNER_KCORE);
}
