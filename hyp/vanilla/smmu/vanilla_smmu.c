/* SMMU units, one stage-2 table each, built with the same page-table
 * library.  As in KVM with VFIO, the host programs DMA as it likes: a unit
 * may map any RAM page, whoever uses it; the page's DMA count is kept
 * only for the view. */
#include "hyp/arch.h"
#include "hyp/s2desc.h"
#include "vanilla_ops.h"
#include "vanilla_state.h"

struct smmu_unit {
	bool allocated;
	unsigned owner;    /* 0: the host, else VM handle */
	struct hyp_pool pool;
	struct pgt pgt;
};

static struct smmu_unit units[KCORE_SMMU_UNITS];

void vanilla_smmu_reset(void)
{
	for (unsigned u = 0; u < KCORE_SMMU_UNITS; u++) {
		units[u] = (struct smmu_unit){ .allocated = false };
		hyp_pool_setup_smmu(&units[u].pool, vanilla_layout(), u);
		arch_smmu_detach(u);
	}
}

static struct smmu_unit *unit_get(unsigned u, bool write)
{
	vanilla_assert_held(KLOCK_SMMU, 0);
	arch_note_access(KID(KOBJ_SMMU, u), write);
	return &units[u];
}

static struct pgt_locked unit_pgt(unsigned u)
{
	vanilla_assert_held(KLOCK_SMMU, 0);
	return (struct pgt_locked){ &units[u].pgt };
}

/* E_UNIT, then E_UNIT_STATE for a unit that should be allocated. */
static int64_t unit_checks(uint64_t unit)
{
	if (unit >= KCORE_SMMU_UNITS)
		return -KCORE_E_UNIT;
	if (!unit_get((unsigned)unit, false)->allocated)
		return -KCORE_E_UNIT_STATE;
	return 0;
}

static bool iova_in_range(uint64_t iova)
{
	return (iova >> PAGE_SHIFT) <= S2_MAX_GFN;
}

static int64_t smmu_alloc(uint64_t unit, uint64_t owner)
{
	if (unit >= KCORE_SMMU_UNITS)
		return -KCORE_E_UNIT;
	if (unit_get((unsigned)unit, false)->allocated)
		return -KCORE_E_UNIT_STATE;
	if (owner != 0) {
		if (!vanilla_vm_valid(owner))
			return -KCORE_E_VM;
		enum kcore_vm_state st = vanilla_vm_slot((unsigned)owner, false)->state;
		if (st != VM_READY && st != VM_VERIFIED)
			return -KCORE_E_VM_STATE;
	}

	struct smmu_unit *su = unit_get((unsigned)unit, true);
	hyp_pool_setup_smmu(&su->pool, vanilla_layout(), (unsigned)unit);
	kcore_pgt_init(unit_pgt((unsigned)unit), &su->pool, KID(KOBJ_SMMU, unit),
		       PGT_FLUSH_SMMU, (uint16_t)unit);
	su->allocated = true;
	su->owner = (unsigned)owner;
	arch_smmu_attach((unsigned)unit, su->pgt.root);
	return 0;
}

int64_t vanilla_op_smmu_alloc(uint64_t unit, uint64_t owner)
{
	vanilla_lock(KLOCK_CORE, 0);
	vanilla_lock(KLOCK_SMMU, 0);
	int64_t ret = smmu_alloc(unit, owner);

	vanilla_unlock(KLOCK_SMMU, 0);
	vanilla_unlock(KLOCK_CORE, 0);
	return ret;
}

/* One SMMU mapping of pfn more (+1) or fewer (-1). */
static void count_dma(uint64_t pfn, int delta)
{
	struct vanilla_page page = vanilla_page_get(pfn);

	if (delta < 0 && page.dma == 0)
		arch_panic("vanilla smmu: DMA count underflow");
	page.dma = (uint32_t)(page.dma + delta);
	vanilla_page_put(pfn, page);
}

static int64_t smmu_map(uint64_t unit, uint64_t iova, uint64_t pfn)
{
	int64_t ret = unit_checks(unit);

	if (ret)
		return ret;
	if ((iova & PAGE_MASK) || !iova_in_range(iova))
		return -KCORE_E_IOVA;
	if (!vanilla_is_ram_pfn(pfn))
		return -KCORE_E_PFN;

	struct pgt_locked t = unit_pgt((unsigned)unit);
	uint64_t ifn = iova >> PAGE_SHIFT;
	if (kcore_pgt_lookup(t, ifn))
		return -KCORE_E_MAPPED;
	if (!kcore_pgt_can_map(t, ifn))
		return -KCORE_E_NOMEM;

	vanilla_lock(KLOCK_S2PAGE, 0);
	count_dma(pfn, 1);
	/* Executable, as Linux's DMA API leaves it: its streaming and
	 * coherent mappings never ask the IOMMU for no-execute. */
	kcore_pgt_map(t, ifn, pa_addr(pa_from_pfn(pfn)) | S2_PAGE_NORMAL_RW);
	vanilla_unlock(KLOCK_S2PAGE, 0);
	return 0;
}

int64_t vanilla_op_smmu_map(uint64_t unit, uint64_t iova, uint64_t pfn)
{
	vanilla_lock(KLOCK_SMMU, 0);
	int64_t ret = smmu_map(unit, iova, pfn);

	vanilla_unlock(KLOCK_SMMU, 0);
	return ret;
}

static int64_t smmu_unmap(uint64_t unit, uint64_t iova)
{
	int64_t ret = unit_checks(unit);

	if (ret)
		return ret;
	if ((iova & PAGE_MASK) || !iova_in_range(iova))
		return -KCORE_E_IOVA;

	struct pgt_locked t = unit_pgt((unsigned)unit);
	uint64_t ifn = iova >> PAGE_SHIFT;
	if (!kcore_pgt_lookup(t, ifn))
		return -KCORE_E_UNMAPPED;

	vanilla_lock(KLOCK_S2PAGE, 0);
	uint64_t old = kcore_pgt_unmap(t, ifn);
	count_dma(s2_oa(old) >> PAGE_SHIFT, -1);
	vanilla_unlock(KLOCK_S2PAGE, 0);
	return 0;
}

int64_t vanilla_op_smmu_unmap(uint64_t unit, uint64_t iova)
{
	vanilla_lock(KLOCK_SMMU, 0);
	int64_t ret = smmu_unmap(unit, iova);

	vanilla_unlock(KLOCK_SMMU, 0);
	return ret;
}

static int64_t smmu_iova_to_phys(uint64_t unit, uint64_t iova)
{
	int64_t ret = unit_checks(unit);

	if (ret)
		return ret;
	if (!iova_in_range(iova))
		return -KCORE_E_IOVA;

	uint64_t desc = kcore_pgt_lookup(unit_pgt((unsigned)unit), iova >> PAGE_SHIFT);
	if (!desc)
		return -KCORE_E_UNMAPPED;
	return (int64_t)(s2_oa(desc) | (iova & PAGE_MASK));
}

int64_t vanilla_op_smmu_iova_to_phys(uint64_t unit, uint64_t iova)
{
	vanilla_lock(KLOCK_SMMU, 0);
	int64_t ret = smmu_iova_to_phys(unit, iova);

	vanilla_unlock(KLOCK_SMMU, 0);
	return ret;
}

static void unmapped_by_free(void *arg, uint64_t ifn, uint64_t desc)
{
	(void)arg, (void)ifn;
	count_dma(s2_oa(desc) >> PAGE_SHIFT, -1);
}

/* Every mapping gone, the unit blocked, its pool back.  KLOCK_SMMU and
 * KLOCK_S2PAGE held. */
static void free_unit(unsigned u)
{
	struct smmu_unit *su = unit_get(u, true);

	kcore_pgt_unmap_all(unit_pgt(u), NULL, unmapped_by_free, NULL);
	arch_smmu_tlbi(u);
	arch_smmu_detach(u);
	hyp_pool_release(&su->pool);
	su->allocated = false;
	su->owner = 0;
}

int64_t vanilla_op_smmu_free(uint64_t unit)
{
	vanilla_lock(KLOCK_SMMU, 0);
	int64_t ret = unit_checks(unit);

	if (!ret) {
		vanilla_lock(KLOCK_S2PAGE, 0);
		free_unit((unsigned)unit);
		vanilla_unlock(KLOCK_S2PAGE, 0);
	}
	vanilla_unlock(KLOCK_SMMU, 0);
	return ret;
}

void vanilla_smmu_free_owned_by(unsigned vm)
{
	for (unsigned u = 0; u < KCORE_SMMU_UNITS; u++) {
		const struct smmu_unit *su = unit_get(u, false);

		if (su->allocated && su->owner == vm)
			free_unit(u);
	}
}

bool vanilla_smmu_peek(unsigned unit, bool *allocated, unsigned *owner, uint64_t *root,
		       uint32_t *pool_used)
{
	if (unit >= KCORE_SMMU_UNITS)
		return false;
	*allocated = units[unit].allocated;
	*owner = units[unit].owner;
	*root = units[unit].allocated ? pa_addr(units[unit].pgt.root) : 0;
	*pool_used = units[unit].pool.used;
	return true;
}
