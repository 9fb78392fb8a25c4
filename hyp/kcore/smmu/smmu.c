/* SMMU units: one stage-2 table per unit, built with the same pgtable.c.
 * A unit belongs to KServ or to a VM and only ever maps pages its owner
 * owns; the page's DMA count keeps such pages from changing hands. */
#include "smmu/smmu.h"

#include "base/bugs.h"
#include "base/layout.h"
#include "base/ops.h"
#include "hyp/arch.h"
#include "hyp/kcore.h"
#include "hyp/kcore_locks.h"
#include "hyp/s2desc.h"
#include "hyp_pool.h"
#include "mm/pgtable.h"
#include "mm/s2page.h"
#include "vm/vm.h"

struct smmu_unit {
	bool allocated;
	unsigned owner;    /* 0: KServ, else VM handle */
	struct hyp_pool pool;
	struct pgt pgt;
};

static struct smmu_unit units[KCORE_SMMU_UNITS];

void kcore_smmu_reset(void)
{
	for (unsigned u = 0; u < KCORE_SMMU_UNITS; u++) {
		units[u].allocated = false;
		units[u].owner = 0;
		hyp_pool_setup_smmu(&units[u].pool, kcore_layout(), u);
		arch_smmu_detach(u);
	}
}

static struct smmu_unit *unit_get(struct smmu_locked l, unsigned u, bool write)
{
	(void)l;
	arch_note_access(KID(KOBJ_SMMU, u), write);
	return &units[u];
}

static struct pgt_locked unit_pgt(struct smmu_locked l, unsigned u)
{
	(void)l;
	return (struct pgt_locked){ &units[u].pgt };
}

/* E_UNIT, then E_UNIT_STATE for a unit that should be allocated. */
static int64_t unit_checks(struct smmu_locked l, uint64_t unit)
{
	if (unit >= KCORE_SMMU_UNITS)
		return -KCORE_E_UNIT;
	if (!unit_get(l, (unsigned)unit, false)->allocated)
		return -KCORE_E_UNIT_STATE;
	return 0;
}

static int64_t smmu_alloc(struct core_locked core, struct smmu_locked l, uint64_t unit, uint64_t owner)
{
	if (unit >= KCORE_SMMU_UNITS)
		return -KCORE_E_UNIT;
	if (unit_get(l, (unsigned)unit, false)->allocated)
		return -KCORE_E_UNIT_STATE;
	if (owner != 0) {
		if (!kcore_vm_valid(core, owner))
			return -KCORE_E_VM;
		enum kcore_vm_state st = kcore_vm_slot(core, (unsigned)owner, false)->state;
		if (st != VM_READY && st != VM_VERIFIED)
			return -KCORE_E_VM_STATE;
	}

	struct smmu_unit *su = unit_get(l, (unsigned)unit, true);
	hyp_pool_setup_smmu(&su->pool, kcore_layout(), (unsigned)unit);
	kcore_pgt_init(unit_pgt(l, (unsigned)unit), &su->pool, KID(KOBJ_SMMU, unit),
		       PGT_FLUSH_SMMU, (uint16_t)unit);
	su->allocated = true;
	su->owner = (unsigned)owner;
	arch_smmu_attach((unsigned)unit, su->pgt.root);
	return 0;
}

int64_t kcore_op_smmu_alloc(uint64_t unit, uint64_t owner)
{
	struct core_locked core = kcore_lock_core();
	struct smmu_locked l = kcore_lock_smmu();
	int64_t ret = smmu_alloc(core, l, unit, owner);

	kcore_unlock_smmu(l);
	kcore_unlock_core(core);
	return ret;
}

static bool iova_in_range(uint64_t iova)
{
	return (iova >> PAGE_SHIFT) <= S2_MAX_GFN;
}

static int64_t smmu_map(struct smmu_locked l, uint64_t unit, uint64_t iova, uint64_t pfn)
{
	int64_t ret = unit_checks(l, unit);

	if (ret)
		return ret;
	if ((iova & PAGE_MASK) || !iova_in_range(iova))
		return -KCORE_E_IOVA;
	if (!kcore_is_ram_pfn(pfn))
		return -KCORE_E_PFN;

	struct pgt_locked t = unit_pgt(l, (unsigned)unit);
	uint64_t ifn = iova >> PAGE_SHIFT;
	if (kcore_pgt_lookup(t, ifn))
		return -KCORE_E_MAPPED;

	struct s2page_locked pages = kcore_lock_s2page();
	struct s2page page = kcore_s2page_get(pages, pfn);
	unsigned owner = unit_get(l, (unsigned)unit, false)->owner;
#if KCORE_BUG(SMMU_FOREIGN_PAGE)
	/* Planted: KServ's own units are left to the host's IOMMU driver. */
	if (owner != 0 && page.owner != owner)
#else
	if (page.owner != owner)
#endif
		ret = -KCORE_E_OWNER;
	else if (!kcore_pgt_can_map(t, ifn))
		ret = -KCORE_E_NOMEM;
	if (!ret) {
		page.dma++;
		kcore_s2page_put(pages, pfn, page);
		kcore_pgt_map(t, ifn, pa_addr(pa_from_pfn(pfn)) | KCORE_S2_SMMU);
	}
	kcore_unlock_s2page(pages);
	return ret;
}

int64_t kcore_op_smmu_map(uint64_t unit, uint64_t iova, uint64_t pfn)
{
	struct smmu_locked l = kcore_lock_smmu();
	int64_t ret = smmu_map(l, unit, iova, pfn);

	kcore_unlock_smmu(l);
	return ret;
}

/* One SMMU mapping of pfn fewer. */
static void drop_dma(struct s2page_locked pages, uint64_t pfn)
{
	struct s2page page = kcore_s2page_get(pages, pfn);

	if (page.dma == 0)
		arch_panic("smmu: DMA count underflow");
	page.dma--;
	kcore_s2page_put(pages, pfn, page);
}

static int64_t smmu_unmap(struct smmu_locked l, uint64_t unit, uint64_t iova)
{
	int64_t ret = unit_checks(l, unit);

	if (ret)
		return ret;
	if ((iova & PAGE_MASK) || !iova_in_range(iova))
		return -KCORE_E_IOVA;

	struct pgt_locked t = unit_pgt(l, (unsigned)unit);
	uint64_t ifn = iova >> PAGE_SHIFT;
	if (!kcore_pgt_lookup(t, ifn))
		return -KCORE_E_UNMAPPED;

	struct s2page_locked pages = kcore_lock_s2page();
	uint64_t old = kcore_pgt_unmap(t, ifn);
	drop_dma(pages, s2_oa(old) >> PAGE_SHIFT);
	kcore_unlock_s2page(pages);
	return 0;
}

int64_t kcore_op_smmu_unmap(uint64_t unit, uint64_t iova)
{
	struct smmu_locked l = kcore_lock_smmu();
	int64_t ret = smmu_unmap(l, unit, iova);

	kcore_unlock_smmu(l);
	return ret;
}

static int64_t smmu_iova_to_phys(struct smmu_locked l, uint64_t unit, uint64_t iova)
{
	int64_t ret = unit_checks(l, unit);

	if (ret)
		return ret;
	if (!iova_in_range(iova))
		return -KCORE_E_IOVA;

	uint64_t desc = kcore_pgt_lookup(unit_pgt(l, (unsigned)unit), iova >> PAGE_SHIFT);
	if (!desc)
		return -KCORE_E_UNMAPPED;
	return (int64_t)(s2_oa(desc) | (iova & PAGE_MASK));
}

int64_t kcore_op_smmu_iova_to_phys(uint64_t unit, uint64_t iova)
{
	struct smmu_locked l = kcore_lock_smmu();
	int64_t ret = smmu_iova_to_phys(l, unit, iova);

	kcore_unlock_smmu(l);
	return ret;
}

/* The unit can no longer reach the page: one DMA mapping fewer. */
static void unmapped_by_free(void *arg, uint64_t ifn, uint64_t desc)
{
	struct s2page_locked *pages = arg;

	(void)ifn;
	drop_dma(*pages, s2_oa(desc) >> PAGE_SHIFT);
}

/* Every mapping gone, the unit blocked, its pool back. */
static void free_unit(struct smmu_locked l, struct s2page_locked pages, unsigned u)
{
	struct smmu_unit *su = unit_get(l, u, true);

	kcore_pgt_unmap_all(unit_pgt(l, u), NULL, unmapped_by_free, &pages);
	arch_smmu_tlbi(u);
	arch_smmu_detach(u);
	hyp_pool_release(&su->pool);
	su->allocated = false;
	su->owner = 0;
}

int64_t kcore_op_smmu_free(uint64_t unit)
{
	struct smmu_locked l = kcore_lock_smmu();
	int64_t ret = unit_checks(l, unit);

	if (!ret) {
		struct s2page_locked pages = kcore_lock_s2page();
		free_unit(l, pages, (unsigned)unit);
		kcore_unlock_s2page(pages);
	}
	kcore_unlock_smmu(l);
	return ret;
}

void kcore_smmu_free_owned_by(struct smmu_locked l, struct s2page_locked pages, unsigned vm)
{
	for (unsigned u = 0; u < KCORE_SMMU_UNITS; u++) {
		const struct smmu_unit *su = unit_get(l, u, false);

		if (su->allocated && su->owner == vm)
			free_unit(l, pages, u);
	}
}

bool kcore_smmu_peek(unsigned unit, bool *allocated, unsigned *owner, uint64_t *root, uint32_t *pool_used)
{
	if (unit >= KCORE_SMMU_UNITS)
		return false;
	*allocated = units[unit].allocated;
	*owner = units[unit].owner;
	*root = units[unit].allocated ? pa_addr(units[unit].pgt.root) : 0;
	*pool_used = units[unit].pool.used;
	return true;
}
