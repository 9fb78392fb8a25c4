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
	return kcore_host_call(op, a0, a1, a2);
}

int64_t core_kserv_fault(uint64_t pa)
{
	return kcore_kserv_fault(pa);
}
