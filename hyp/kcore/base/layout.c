#include "base/layout.h"

#include "base/kmem.h"
#include "hyp/arch.h"

static struct kcore_boot layout;
static struct kcore_caps caps;

/* [base, base + pages) lies within [0, KCORE_MAX_PFN], with no overflow. */
static bool range_fits(uint64_t base, uint64_t pages)
{
	return base <= KCORE_MAX_PFN && pages <= KCORE_MAX_PFN + 1 - base;
}

uint64_t kcore_region_pages_needed(void)
{
	return KCORE_REGION_PAGES;
}

bool kcore_layout_fits(const struct kcore_boot *boot)
{
	if (!boot)
		return false;
	if (boot->ncpus == 0 || boot->ncpus > ARCH_MAX_CPUS || boot->ncpus > arch_cpu_count())
		return false;
	if (!kcore_caps_valid(&boot->caps))
		return false;
	if (boot->ram_pages == 0 || boot->ram_pages > KCORE_MAX_RAM_PAGES ||
	    !range_fits(boot->ram_base_pfn, boot->ram_pages))
		return false;

	uint64_t ram_end = boot->ram_base_pfn + boot->ram_pages;

	/* KCore's region: inside RAM and big enough for every pool. */
	if (boot->kcore_pages < kcore_region_pages_needed() ||
	    boot->kcore_base_pfn < boot->ram_base_pfn || boot->kcore_base_pfn >= ram_end ||
	    boot->kcore_pages > ram_end - boot->kcore_base_pfn)
		return false;

	/* Device memory: addressable and disjoint from RAM. */
	if (!range_fits(boot->mmio_base_pfn, boot->mmio_pages))
		return false;
	if (boot->mmio_pages != 0 && boot->mmio_base_pfn < ram_end &&
	    boot->ram_base_pfn < boot->mmio_base_pfn + boot->mmio_pages)
		return false;
	return true;
}

void kcore_layout_set(const struct kcore_boot *boot)
{
	const struct kcore_caps *c = &boot->caps;

	kcore_memcpy(&layout, boot, sizeof(layout));
	caps.vmids = kcore_cap(c->vmids, KCORE_MAX_VMIDS);
	caps.vm_pool_pages = kcore_cap(c->vm_pool_pages, KCORE_VM_POOL_PAGES);
	caps.smmu_pool_pages = kcore_cap(c->smmu_pool_pages, KCORE_SMMU_POOL_PAGES);
	caps.kserv_pool_pages = kcore_cap(c->kserv_pool_pages, KCORE_KSERV_POOL_PAGES);
	caps.max_share = kcore_cap(c->max_share, KCORE_MAX_SHARE);
}

const struct kcore_caps *kcore_caps(void)
{
	return &caps;
}

const struct kcore_boot *kcore_layout(void)
{
	return &layout;
}

bool kcore_is_ram_pfn(uint64_t pfn)
{
	return pfn >= layout.ram_base_pfn && pfn - layout.ram_base_pfn < layout.ram_pages;
}

bool kcore_is_mmio_pfn(uint64_t pfn)
{
	return pfn >= layout.mmio_base_pfn && pfn - layout.mmio_base_pfn < layout.mmio_pages;
}

uint64_t kcore_ram_index(uint64_t pfn)
{
	if (!kcore_is_ram_pfn(pfn))
		arch_panic("layout: RAM index of a pfn outside RAM");
	return pfn - layout.ram_base_pfn;
}
