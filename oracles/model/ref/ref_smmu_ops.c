/* The model's SMMU operations: per-unit DMA maps owned by KServ or a VM. */
#include "hyp/addr.h"
#include "model/ref/ref_ops.h"
#include "model/state/ref_attr.h"

/* The unit if the index is in range (E_UNIT) and it is allocated
 * (E_UNIT_STATE); else NULL with *err set. */
static struct ref_smmu *allocated_unit(struct ref_model *m, uint64_t unit, int64_t *err)
{
	if (unit >= KCORE_SMMU_UNITS) {
		*err = REF_ERR(KCORE_E_UNIT);
		return NULL;
	}
	if (!m->st.smmu[unit].allocated) {
		*err = REF_ERR(KCORE_E_UNIT_STATE);
		return NULL;
	}
	return &m->st.smmu[unit];
}

static bool iova_in_range(uint64_t iova)
{
	return (iova >> PAGE_SHIFT) <= S2_MAX_GFN;
}

void ref_smmu_release(struct ref_model *m, unsigned unit)
{
	struct ref_smmu *s = &m->st.smmu[unit];

	for (unsigned i = 0; i < s->map.n; i++)
		ref_page_of(&m->st, s->map.e[i].pa >> PAGE_SHIFT)->dma--;
	s->map.n = 0;
	s->allocated = false;
	s->owner = 0;
	ref_pool_release(&m->smmu_pool[unit]);
	s->pool_used = 0;
	ref_smmu_moved(s);
	ref_smmu_map_moved(s);
}

int64_t ref_op_smmu_alloc(struct ref_model *m, uint64_t unit, uint64_t owner)
{
	struct ref_vm *v;

	if (unit >= KCORE_SMMU_UNITS)
		return REF_ERR(KCORE_E_UNIT);
	if (m->st.smmu[unit].allocated)
		return REF_ERR(KCORE_E_UNIT_STATE);
	if (owner != KCORE_OWNER_KSERV) {
		v = ref_valid_vm(m, owner);
		if (v == NULL)
			return REF_ERR(KCORE_E_VM);
		if (v->state != VM_READY && v->state != VM_VERIFIED)
			return REF_ERR(KCORE_E_VM_STATE);
	}
	m->st.smmu[unit].allocated = true;
	m->st.smmu[unit].owner = (unsigned)owner;
	ref_pool_create(&m->smmu_pool[unit], kcore_cap(m->st.boot.caps.smmu_pool_pages, KCORE_SMMU_POOL_PAGES));
	m->st.smmu[unit].pool_used = ref_pool_used(&m->smmu_pool[unit]);
	ref_smmu_moved(&m->st.smmu[unit]);
	return KCORE_OK;
}

int64_t ref_op_smmu_map(struct ref_model *m, uint64_t unit, uint64_t iova, uint64_t pfn)
{
	int64_t err = 0;
	struct ref_smmu *s = allocated_unit(m, unit, &err);
	struct ref_page *p;
	struct ref_attr a = ref_attr_of(REF_MAP_SMMU);
	struct ref_map_entry e = {
		.key = iova >> PAGE_SHIFT, .pa = pfn << PAGE_SHIFT, .pages = 1, .perm = a.perm, .mem = a.mem,
	};

	if (s == NULL)
		return err;
	if ((iova & PAGE_MASK) != 0 || !iova_in_range(iova))
		return REF_ERR(KCORE_E_IOVA);
	p = ref_page_of(&m->st, pfn);
	if (p == NULL)
		return REF_ERR(KCORE_E_PFN);
	if (ref_map_find(s->map.e, s->map.n, e.key) != NULL)
		return REF_ERR(KCORE_E_MAPPED);
	if (p->owner != s->owner)
		return REF_ERR(KCORE_E_OWNER);
	if (ref_pool_full_for(&m->smmu_pool[unit], e.key))
		return REF_ERR(KCORE_E_NOMEM);
	ref_map_insert(s->map.e, &s->map.n, REF_SMMU_MAP_CAP, e);
	ref_pool_add(&m->smmu_pool[unit], e.key);
	s->pool_used = ref_pool_used(&m->smmu_pool[unit]);
	ref_smmu_moved(s);
	ref_smmu_map_moved(s);
	p->dma++;
	return KCORE_OK;
}

int64_t ref_op_smmu_unmap(struct ref_model *m, uint64_t unit, uint64_t iova)
{
	int64_t err = 0;
	struct ref_smmu *s = allocated_unit(m, unit, &err);
	const struct ref_map_entry *e;
	uint64_t pfn;

	if (s == NULL)
		return err;
	if ((iova & PAGE_MASK) != 0 || !iova_in_range(iova))
		return REF_ERR(KCORE_E_IOVA);
	e = ref_map_find(s->map.e, s->map.n, iova >> PAGE_SHIFT);
	if (e == NULL)
		return REF_ERR(KCORE_E_UNMAPPED);
	pfn = e->pa >> PAGE_SHIFT;
	ref_map_remove(s->map.e, &s->map.n, iova >> PAGE_SHIFT);
	ref_smmu_map_moved(s);
	ref_page_of(&m->st, pfn)->dma--;
	return KCORE_OK;
}

int64_t ref_op_smmu_iova_to_phys(struct ref_model *m, uint64_t unit, uint64_t iova)
{
	int64_t err = 0;
	struct ref_smmu *s = allocated_unit(m, unit, &err);
	const struct ref_map_entry *e;

	if (s == NULL)
		return err;
	if (!iova_in_range(iova))
		return REF_ERR(KCORE_E_IOVA);
	e = ref_map_find(s->map.e, s->map.n, iova >> PAGE_SHIFT);
	if (e == NULL)
		return REF_ERR(KCORE_E_UNMAPPED);
	return (int64_t)(e->pa | (iova & PAGE_MASK));
}

int64_t ref_op_smmu_free(struct ref_model *m, uint64_t unit)
{
	int64_t err = 0;

	if (allocated_unit(m, unit, &err) == NULL)
		return err;
	ref_smmu_release(m, (unsigned)unit);
	return KCORE_OK;
}
