/* The host's stage-2 faults.  The host kernel is trusted with all memory:
 * any RAM page (guest memory and the hypervisor's own table pages
 * included) or device page is mapped at its own address on first touch,
 * and nothing is ever taken out again.  The attributes are KVM's: in nVHE
 * mode the host has no stage-2 at all and may read, write and execute
 * anything, and pKVM's host stage-2 maps memory (pages guests share
 * included) read-write-execute and device memory read-write, Device,
 * execute-never.  KCore's contract (kcore.h) differs for a VM's granted
 * page, which KServ may not execute. */
#include "hyp/s2desc.h"
#include "vanilla_ops.h"
#include "vanilla_state.h"

static int64_t map_into_host(uint64_t pfn, uint64_t attrs)
{
	vanilla_lock(KLOCK_KSERV_NPT, 0);
	struct pgt_locked t = vanilla_kserv_npt();
	int64_t ret = 0;

	if (kcore_pgt_lookup(t, pfn))
		ret = 0;
	else if (!kcore_pgt_can_map(t, pfn))
		ret = -KCORE_E_NOMEM;
	else
		kcore_pgt_map(t, pfn, pa_addr(pa_from_pfn(pfn)) | attrs);
	vanilla_unlock(KLOCK_KSERV_NPT, 0);
	return ret;
}

int64_t vanilla_op_kserv_fault(uint64_t pa)
{
	uint64_t pfn = pa >> PAGE_SHIFT;

	if (hyp_percpu_this(&vanilla_percpu)->vm != 0)
		return -KCORE_E_CPU_STATE;
	if (vanilla_is_mmio_pfn(pfn))
		return map_into_host(pfn, S2_PAGE_DEVICE_RW);
	if (vanilla_is_ram_pfn(pfn))
		return map_into_host(pfn, S2_PAGE_NORMAL_RW);
	return -KCORE_E_PFN;
}
