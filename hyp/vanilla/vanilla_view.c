/* The baseline's state in the shape of hyp/kcore_view.h, built by
 * hyp/common/hyp_view.c.  Without ownership every page reports the host
 * as its owner and no gfn; VMs, SMMU units, CPUs and the region where the
 * tables live report what they do on KCore.  Reads only: no locks, no
 * events. */
#include "hyp_view.h"
#include "vanilla.h"
#include "vanilla_state.h"

bool vanilla_view_page(uint64_t pfn, struct kcore_page_view *out)
{
	struct vanilla_page page;

	if (!vanilla_page_peek(pfn, &page))
		return false;
	out->owner = KCORE_OWNER_KSERV;
	out->share = page.share;
	out->dma = page.dma;
	out->gfn = KCORE_NO_GFN;
	return true;
}

static const struct hyp_view_source source = {
	.vm = vanilla_vm_peek,
	.vm_pool_used = vanilla_vm_npt_pool_used,
	.smmu = vanilla_smmu_peek,
	.percpu = &vanilla_percpu,
	.layout = vanilla_layout,
	.host_root = vanilla_kserv_npt_root,
	.host_pool_used = vanilla_kserv_npt_pool_used,
};

HYP_VIEW_ENTRY_POINTS(vanilla_view, source)
