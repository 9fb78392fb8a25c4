/* Moving pages between KServ and a VM: map_vm_page (a page KServ offers
 * becomes the VM's), and the guest's grant and revoke (lend one of its
 * pages to KServ for I/O, and take it back). */
#include "base/bugs.h"
#include "base/kmem.h"
#include "base/layout.h"
#include "base/locks.h"
#include "base/ops.h"
#include "hyp/arch.h"
#include "hyp/kcore.h"
#include "hyp/s2desc.h"
#include "mm/npt.h"
#include "mm/s2page.h"
#include "vm/percpu.h"
#include "vm/vm.h"

static int64_t map_vm_page_checks(struct core_locked core, uint64_t vm, uint64_t gfn, uint64_t pfn)
{
	if (!kcore_vm_valid(core, vm))
		return -KCORE_E_VM;
	if (kcore_vm_slot(core, (unsigned)vm, false)->state != VM_VERIFIED)
		return -KCORE_E_VM_STATE;
	if (gfn > S2_MAX_GFN)
		return -KCORE_E_GFN;
	if (!kcore_is_ram_pfn(pfn))
		return -KCORE_E_PFN;
	return 0;
}

static int64_t page_offer_checks(struct s2page page)
{
	if (page.owner != KCORE_OWNER_KSERV)
		return -KCORE_E_OWNER;
#if !KCORE_BUG(VM_PAGE_DMA_MAPPED)
	if (page.dma)
		return -KCORE_E_DMA;
#endif
	return 0;
}

/* The page leaves KServ (stage-2 entry and TLBs) before its lines are
 * cleaned, so nothing KServ wrote can linger in the cache for the VM to see
 * differently through a non-cacheable mapping, and only then appears in
 * the VM's table. */
static void move_page_to_vm(struct vm_npt_locked npt, struct s2page_locked pages,
			    unsigned vm, uint64_t gfn, uint64_t pfn)
{
	struct s2page page = kcore_s2page_get(pages, pfn);

	page.owner = (uint8_t)vm;
	page.gfn = (uint32_t)gfn;
	kcore_s2page_put(pages, pfn, page);

	struct kserv_npt_locked kserv = kcore_lock_kserv_npt();
	kcore_kserv_unmap_page(kserv, pfn);
	kcore_unlock_kserv_npt(kserv);

	kcore_page_clean_to_poc(pfn);
	kcore_pgt_map(kcore_vm_npt(npt), gfn, pa_addr(pa_from_pfn(pfn)) | KCORE_S2_VM_RAM);
}

int64_t kcore_op_map_vm_page(uint64_t vm, uint64_t gfn, uint64_t pfn)
{
	struct core_locked core = kcore_lock_core();
	int64_t ret = map_vm_page_checks(core, vm, gfn, pfn);

	if (ret) {
		kcore_unlock_core(core);
		return ret;
	}

	struct vm_npt_locked npt = kcore_lock_vm_npt((unsigned)vm);
	struct s2page_locked pages = kcore_lock_s2page();

	if (kcore_pgt_lookup(kcore_vm_npt(npt), gfn))
		ret = -KCORE_E_MAPPED;
	else
		ret = page_offer_checks(kcore_s2page_get(pages, pfn));
#if KCORE_BUG(REMAP_WITHOUT_BBM)
	/* Planted: a mapped gfn is moved to the new page in place. */
	if (ret == -KCORE_E_MAPPED)
		ret = page_offer_checks(kcore_s2page_get(pages, pfn));
#endif
#if KCORE_BUG(PAGE_TWO_GFNS)
	/* Planted: a page the VM already owns counts as offered. */
	if (ret == -KCORE_E_OWNER && kcore_s2page_get(pages, pfn).owner == vm)
		ret = 0;
#endif
#if KCORE_BUG(MAP_LOCK_GAP)
	/* Planted: the ownership lock is let go while the table is sized. */
	kcore_unlock_s2page(pages);
#endif
	if (!ret && !kcore_pgt_can_map(kcore_vm_npt(npt), gfn))
		ret = -KCORE_E_NOMEM;
#if KCORE_BUG(MAP_LOCK_GAP)
	pages = kcore_lock_s2page();
#endif
	if (!ret)
		move_page_to_vm(npt, pages, (unsigned)vm, gfn, pfn);

	kcore_unlock_s2page(pages);
	kcore_unlock_vm_npt(npt);
	kcore_unlock_core(core);
	return ret;
}

/* The RAM page the calling guest has at gfn, or 0 with *err set. */
static uint64_t guest_ram_page(struct vm_npt_locked npt, struct s2page_locked pages,
			       uint64_t gfn, int64_t *err)
{
	uint64_t desc = kcore_pgt_lookup(kcore_vm_npt(npt), gfn);
	uint64_t pfn = s2_oa(desc) >> PAGE_SHIFT;

	*err = -KCORE_E_UNMAPPED;
#if KCORE_BUG(GRANT_UNOWNED_GFN)
	/* Planted: the reverse map is searched by gfn alone; the first page
	 * recorded at gfn wins, whichever VM owns it. */
	(void)desc;
	for (uint64_t i = 0; i < kcore_layout()->ram_pages; i++) {
		struct s2page p;
		pfn = kcore_layout()->ram_base_pfn + i;
		if (kcore_s2page_peek(pfn, &p) && p.gfn == gfn && p.owner >= 1 &&
		    p.owner <= KCORE_MAX_VMS) {
			*err = 0;
			return pfn;
		}
	}
	return 0;
#endif
	if (!desc || s2_is_device(desc) || !kcore_is_ram_pfn(pfn))
		return 0;

	struct s2page page = kcore_s2page_get(pages, pfn);
	if (page.owner != npt.vm || page.gfn != gfn)
		arch_panic("memops: VM maps a RAM page it does not own");
	*err = 0;
	return pfn;
}

/* Count one grant more (delta +1) or less (-1) on a page of the VM. */
static int64_t apply_share_change(struct s2page_locked pages, uint64_t pfn, int delta)
{
	struct s2page page = kcore_s2page_get(pages, pfn);

	if (delta > 0 && page.share >= kcore_caps()->max_share)
		return -KCORE_E_SHARE_LIMIT;
#if !KCORE_BUG(SHARE_UNDERFLOW)
	if (delta < 0 && page.share == 0)
		return -KCORE_E_NOT_SHARED;
#endif
	page.share = (uint8_t)(page.share + delta);
	kcore_s2page_put(pages, pfn, page);

	if (page.share == 0) {
		/* Last grant gone: KServ loses the page now. */
		struct kserv_npt_locked kserv = kcore_lock_kserv_npt();
		kcore_kserv_unmap_page(kserv, pfn);
		kcore_unlock_kserv_npt(kserv);
	}
	return page.share;
}

/* grant or revoke from the vCPU running on this CPU. */
static int64_t change_share(uint64_t gfn, int delta)
{
	struct hyp_cpu *cpu = hyp_percpu_this(&kcore_percpu);

	if (!hyp_cpu_in_guest(cpu))
		return -KCORE_E_CPU_STATE;
	if (gfn > S2_MAX_GFN)
		return -KCORE_E_GFN;

	struct vm_npt_locked npt = kcore_lock_vm_npt(cpu->vm);
	struct s2page_locked pages = kcore_lock_s2page();
	int64_t ret;
	uint64_t pfn = guest_ram_page(npt, pages, gfn, &ret);

	if (!ret)
		ret = apply_share_change(pages, pfn, delta);
	kcore_unlock_s2page(pages);
	kcore_unlock_vm_npt(npt);
	return ret;
}

int64_t kcore_op_grant(uint64_t gfn)
{
	return change_share(gfn, 1);
}

int64_t kcore_op_revoke(uint64_t gfn)
{
	return change_share(gfn, -1);
}
