/* KCore as the hypervisor core. */
#include "core.h"

#include "hyp/arch.h"
#include "hyp/kcore_view.h"

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

int64_t core_guest_call(uint64_t op, uint64_t a0)
{
	return kcore_guest_call(op, a0);
}

bool core_cpu_in_guest(void)
{
	struct kcore_cpu_view v;

	return kcore_view_cpu(arch_cpu_id(), &v) && v.vm != 0;
}

bool core_vm_image_ipa(unsigned vm, uint64_t *ipa)
{
	struct kcore_vm_view v;

	if (!kcore_view_vm(vm, &v) || v.state == VM_UNUSED || !v.boot_set)
		return false;
	*ipa = v.boot_gfn << PAGE_SHIFT;
	return true;
}

bool core_page_is_host(uint64_t pfn)
{
	struct kcore_page_view v;

	return kcore_view_page(pfn, &v) && v.owner == KCORE_OWNER_KSERV;
}
