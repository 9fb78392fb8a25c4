/* KServ's stage-2 faults: KServ's table is an identity map filled on
 * demand, with only the pages KServ may reach: its own, those a VM has
 * granted, and device memory. */
#include "bugs.h"
#include "hyp/kcore.h"
#include "hyp/s2desc.h"
#include "layout.h"
#include "locks.h"
#include "npt.h"
#include "ops.h"
#include "percpu.h"
#include "s2page.h"

static bool kserv_may_reach(struct s2page page)
{
	if (page.owner == KCORE_OWNER_KSERV)
		return true;
	return page.owner >= 1 && page.owner <= KCORE_MAX_VMS && page.share > 0;
}

static int64_t map_into_kserv(uint64_t pfn, uint64_t attrs)
{
	struct kserv_npt_locked kserv = kcore_lock_kserv_npt();
	struct pgt_locked t = kcore_kserv_npt(kserv);
	int64_t ret = 0;

	if (kcore_pgt_lookup(t, pfn))
		ret = 0;
	else if (!kcore_pgt_can_map(t, pfn))
		ret = -KCORE_E_NOMEM;
	else
		kcore_pgt_map(t, pfn, pa_addr(pa_from_pfn(pfn)) | attrs);
	kcore_unlock_kserv_npt(kserv);
	return ret;
}

int64_t kcore_op_kserv_fault(uint64_t pa)
{
	uint64_t pfn = pa >> PAGE_SHIFT;

	if (kcore_cpu_in_guest(kcore_this_cpu()))
		return -KCORE_E_CPU_STATE;
	if (kcore_is_mmio_pfn(pfn))
		return map_into_kserv(pfn, S2_PAGE_DEVICE_RW);
	if (!kcore_is_ram_pfn(pfn))
		return -KCORE_E_PFN;

#if KCORE_BUG(KSERV_FAULT_UNLOCKED)
	/* Planted: one read "needs no lock", so the witness is made up. */
	if (!kserv_may_reach(kcore_s2page_get((struct s2page_locked){ 1 }, pfn)))
		return -KCORE_E_OWNER;
	return map_into_kserv(pfn, S2_PAGE_NORMAL_RW);
#endif
	/* The ownership lock stays held while the page is mapped, so the
	 * page cannot change hands between the check and the mapping. */
	struct s2page_locked pages = kcore_lock_s2page();
	int64_t ret = -KCORE_E_OWNER;

	if (kserv_may_reach(kcore_s2page_get(pages, pfn)))
		ret = map_into_kserv(pfn, S2_PAGE_NORMAL_RW);
	kcore_unlock_s2page(pages);
	return ret;
}
