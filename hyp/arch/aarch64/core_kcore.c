/* KCore as the hypervisor core. */
#include "core.h"

const char core_name[] = "kcore";

bool core_has_stage2(void)
{
	return true;
}

uint64_t core_region_pages(void)
{
	return kcore_region_pages_needed();
}

int64_t core_init(const struct kcore_boot *boot)
{
	return kcore_init(boot);
}

void core_init_cpu(void)
{
	kcore_init_cpu();
}

int64_t core_host_call(uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2)
{
	/* A successful vcpu_run leaves the VM's stage-2 loaded on this CPU,
	 * and only the guest can end that.  This image cannot enter a guest
	 * yet, so returning to the host would run the host under the VM's
	 * tables: the operation is refused before KCore sees it. */
	if (op == HVC_VCPU_RUN)
		return -KCORE_E_OP;
	return kcore_host_call(op, a0, a1, a2);
}

int64_t core_kserv_fault(uint64_t pa)
{
	return kcore_kserv_fault(pa);
}
