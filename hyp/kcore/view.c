/* hyp/kcore_view.h: KCore's state as host-side tools see it, built by
 * hyp/common/hyp_view.c.  Reads only; no locks, no events. */
#include "hyp/kcore_view.h"

#include "base/layout.h"
#include "hyp_view.h"
#include "mm/npt.h"
#include "mm/s2page.h"
#include "smmu/smmu.h"
#include "vm/percpu.h"
#include "vm/vm.h"

bool kcore_view_page(uint64_t pfn, struct kcore_page_view *out)
{
	struct s2page page;

	if (!kcore_s2page_peek(pfn, &page))
		return false;
	out->owner = page.owner;
	out->share = page.share;
	out->dma = page.dma;
	out->gfn = page.gfn == S2PAGE_NO_GFN ? KCORE_NO_GFN : page.gfn;
	return true;
}

static const struct hyp_view_source source = {
	.vm = kcore_vm_peek,
	.vm_pool_used = kcore_vm_npt_pool_used,
	.smmu = kcore_smmu_peek,
	.percpu = &kcore_percpu,
	.layout = kcore_layout,
	.host_root = kcore_kserv_npt_root,
	.host_pool_used = kcore_kserv_npt_pool_used,
};

HYP_VIEW_ENTRY_POINTS(kcore_view, source)
