/* The machine layout every run uses: the model's RAM and MMIO ranges, and
 * KCore's region at the start of RAM, sized by the target. */
#include "exec/machine/exec_layout.h"

#include "hyp/addr.h"

void exec_layout(const struct sim_config *cfg, const struct hyp_target *t, struct kcore_boot *boot)
{
	boot->ram_base_pfn = cfg->ram_base >> PAGE_SHIFT;
	boot->ram_pages = cfg->ram_bytes >> PAGE_SHIFT;
	boot->kcore_base_pfn = boot->ram_base_pfn;
	boot->kcore_pages = t->region_pages_needed();
	boot->mmio_base_pfn = cfg->mmio_base >> PAGE_SHIFT;
	boot->mmio_pages = cfg->mmio_bytes >> PAGE_SHIFT;
	boot->ncpus = cfg->ncpus;
	boot->caps = (struct kcore_caps){ 0 }; /* each program chooses its own */
}
