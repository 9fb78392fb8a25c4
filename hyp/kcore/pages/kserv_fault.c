/* KServ's stage-2 faults: KServ's table is an identity map filled on
 * demand, with only the pages KServ may reach: its own, those a VM has
 * granted, and device memory. */
#include "base/bugs.h"
#include "base/layout.h"
#include "base/locks.h"
#include "base/ops.h"
#include "hyp/kcore.h"
#include "hyp/s2desc.h"
#include "mm/npt.h"
#include "mm/s2page.h"
#include "vm/percpu.h"

/* The attributes KServ gets for a RAM page (kcore.h), or 0 if it may not
 * reach it: its own pages executable, a VM's granted page only readable
 * and writable. */
static uint64_t kserv_ram_attrs(struct s2page page)
{
	if (page.owner == KCORE_OWNER_KSERV)
		return KCORE_S2_KSERV_RAM;
	if (page.owner >= 1 && page.owner <= KCORE_MAX_VMS && page.share > 0)
		return KCORE_S2_KSERV_SHARED;
	return 0;
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

	if (hyp_cpu_in_guest(hyp_percpu_this(&kcore_percpu)))
		return -KCORE_E_CPU_STATE;
	if (kcore_is_mmio_pfn(pfn))
		return map_into_kserv(pfn, KCORE_S2_KSERV_MMIO);
	if (!kcore_is_ram_pfn(pfn))
		return -KCORE_E_PFN;

#if KCORE_BUG(KSERV_FAULT_UNLOCKED)
	/* Planted: one read "needs no lock", so the witness is made up. */
	uint64_t unlocked = kserv_ram_attrs(kcore_s2page_get((struct s2page_locked){ 1 }, pfn));
	if (unlocked == 0)
		return -KCORE_E_OWNER;
	return map_into_kserv(pfn, unlocked);
#endif
	/* The ownership lock stays held while the page is mapped, so the
	 * page cannot change hands between the check and the mapping. */
	struct s2page_locked pages = kcore_lock_s2page();
	uint64_t attrs = kserv_ram_attrs(kcore_s2page_get(pages, pfn));
	int64_t ret = attrs != 0 ? map_into_kserv(pfn, attrs) : -KCORE_E_OWNER;

	kcore_unlock_s2page(pages);
	return ret;
}
