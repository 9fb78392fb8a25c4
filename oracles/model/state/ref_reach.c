/* May-reach queries on the abstract state. */
#include "model/state/ref_reach.h"

#include "hyp/addr.h"
#include "model/state/ref_attr.h"

unsigned ref_kserv_may(const struct ref_state *s, uint64_t pfn)
{
	enum ref_map_kind k;

	return ref_kserv_kind(s, pfn, &k) ? ref_attr_of(k).perm : 0;
}

/* Has the VM ioremapped the device page pfn?  The entry at gfn answers
 * for the tables KCore builds; a scan covers any other gfn. */
static unsigned vm_mmio_may(const struct ref_vm *v, uint64_t gfn, uint64_t pfn)
{
	const struct ref_map_entry *hit = ref_map_find(v->map.e, v->map.n, gfn);

	if (hit != NULL && hit->pa == pfn << PAGE_SHIFT)
		return hit->perm;
	for (unsigned i = 0; i < v->map.n; i++)
		if (v->map.e[i].pa == pfn << PAGE_SHIFT)
			return v->map.e[i].perm;
	return 0;
}

unsigned ref_vm_may(const struct ref_state *s, unsigned vm, uint64_t gfn, uint64_t pfn)
{
	const struct ref_page *p = ref_page_get(s, pfn);

	if (vm < 1 || vm > KCORE_MAX_VMS || s->vm[vm].state == VM_UNUSED || ref_kcore_private(s, pfn))
		return 0;
	if (p != NULL)
		return p->owner == vm ? ref_attr_of(REF_MAP_VM_RAM).perm | ref_attr_of(REF_MAP_VM_IMAGE).perm : 0;
	return ref_is_mmio(s, pfn) ? vm_mmio_may(&s->vm[vm], gfn, pfn) : 0;
}

unsigned ref_smmu_may(const struct ref_state *s, unsigned unit, uint64_t iova_pfn, uint64_t pfn)
{
	const struct ref_page *p = ref_page_get(s, pfn);

	(void)iova_pfn;
	if (unit >= KCORE_SMMU_UNITS || !s->smmu[unit].allocated || p == NULL || ref_kcore_private(s, pfn))
		return 0;
	return p->owner == s->smmu[unit].owner ? ref_attr_of(REF_MAP_SMMU).perm : 0;
}

bool ref_kcore_private(const struct ref_state *s, uint64_t pfn)
{
	const struct ref_page *p = ref_page_get(s, pfn);

	return ref_in_kcore_region(s, pfn) || (p != NULL && p->owner == KCORE_OWNER_KCORE);
}
