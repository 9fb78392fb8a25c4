/* No hypervisor core: the platform alone.  The host runs with stage-2
 * translation off, so it never takes a stage-2 fault, no hypercall other
 * than the platform's has a meaning, and no CPU ever runs a guest. */
#include "core.h"

#include "arch_aarch64.h"
#include "hyp/addr.h"

const char core_name[] = "none";

bool core_has_stage2(void)
{
	return false;
}

uint64_t core_region_pages(void)
{
	return 0;
}

int64_t core_init(const struct kcore_boot *boot)
{
	(void)boot;
	return KCORE_OK;
}

void core_init_cpu(void)
{
}

int64_t core_host_call(uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2)
{
	(void)op;
	(void)a0;
	(void)a1;
	(void)a2;
	return -KCORE_E_OP;
}

int64_t core_kserv_fault(uint64_t pa)
{
	(void)pa;
	return -KCORE_E_PFN;
}

int64_t core_guest_call(uint64_t op, uint64_t a0)
{
	(void)op;
	(void)a0;
	return -KCORE_E_OP;
}

bool core_cpu_in_guest(void)
{
	return false;
}

bool core_vm_image_ipa(unsigned vm, uint64_t *ipa)
{
	(void)vm;
	(void)ipa;
	return false;
}

bool core_page_is_host(uint64_t pfn)
{
	return arch_is_ram(pfn << PAGE_SHIFT, PAGE_SIZE);
}
