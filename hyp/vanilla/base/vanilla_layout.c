/* The machine layout the baseline was booted with.  The same boot record
 * as KCore's: RAM, the region that holds the hypervisor's tables, device
 * memory, CPUs. */
#include <stddef.h>

#include "hyp/arch.h"
#include "hyp/s2desc.h"
#include "vanilla.h"
#include "vanilla_state.h"

static struct kcore_boot layout;

/* The host's stage-2 maps every page at its own address, so RAM and device
 * memory must lie inside the 39-bit IPA space. */
static bool range_fits(uint64_t base, uint64_t pages)
{
	return base <= S2_MAX_GFN && pages <= S2_MAX_GFN + 1 - base;
}

static bool region_fits(const struct kcore_boot *boot)
{
	uint64_t ram_end = boot->ram_base_pfn + boot->ram_pages;

	return boot->kcore_pages >= vanilla_region_pages_needed() &&
	       boot->kcore_base_pfn >= boot->ram_base_pfn && boot->kcore_base_pfn < ram_end &&
	       boot->kcore_pages <= ram_end - boot->kcore_base_pfn;
}

static bool mmio_fits(const struct kcore_boot *boot)
{
	uint64_t ram_end = boot->ram_base_pfn + boot->ram_pages;

	if (!range_fits(boot->mmio_base_pfn, boot->mmio_pages))
		return false;
	return boot->mmio_pages == 0 || boot->mmio_base_pfn >= ram_end ||
	       boot->ram_base_pfn >= boot->mmio_base_pfn + boot->mmio_pages;
}

bool vanilla_layout_fits(const struct kcore_boot *boot)
{
	if (boot == NULL)
		return false;
	if (boot->ncpus == 0 || boot->ncpus > ARCH_MAX_CPUS || boot->ncpus > arch_cpu_count())
		return false;
	/* The per-page counters have room for KCORE_MAX_RAM_PAGES. */
	if (boot->ram_pages == 0 || boot->ram_pages > KCORE_MAX_RAM_PAGES ||
	    !range_fits(boot->ram_base_pfn, boot->ram_pages))
		return false;
	return region_fits(boot) && mmio_fits(boot) && kcore_caps_valid(&boot->caps);
}

void vanilla_layout_set(const struct kcore_boot *boot)
{
	layout = *boot;
}

const struct kcore_boot *vanilla_layout(void)
{
	return &layout;
}

bool vanilla_is_ram_pfn(uint64_t pfn)
{
	return pfn >= layout.ram_base_pfn && pfn - layout.ram_base_pfn < layout.ram_pages;
}

bool vanilla_is_mmio_pfn(uint64_t pfn)
{
	return pfn >= layout.mmio_base_pfn && pfn - layout.mmio_base_pfn < layout.mmio_pages;
}
