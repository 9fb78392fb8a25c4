/* The baseline's state in the shape of hyp/kcore_view.h.  Without
 * ownership every page reports the host as its owner and no gfn; VMs,
 * SMMU units, CPUs and the region where the tables live report what they
 * do on KCore.  Reads only: no locks, no events. */
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

bool vanilla_view_vm(unsigned vm, struct kcore_vm_view *out)
{
	const struct vanilla_vm *s = vanilla_vm_peek(vm);

	if (!s)
		return false;
	out->state = s->state;
	out->vmid = s->vmid;
	out->npt_root = pa_addr(s->npt_root);
	for (unsigned v = 0; v < KCORE_MAX_VCPUS; v++) {
		out->vcpu[v] = s->vcpu[v];
		out->vcpu_cpu[v] = s->vcpu_cpu[v];
	}
	out->boot_set = s->boot_set;
	out->boot_gfn = s->boot_gfn;
	out->boot_npages = s->boot_npages;
	for (unsigned i = 0; i < KCORE_MAX_IMAGE_PAGES; i++)
		out->image_pfn[i] = (s->image_filled & (1u << i)) ? s->image_pfn[i] : 0;
	out->pool_used = s->state == VM_UNUSED ? 0 : vanilla_vm_npt_pool_used(vm);
	return true;
}

bool vanilla_view_smmu(unsigned unit, struct kcore_smmu_view *out)
{
	uint32_t used;

	if (!vanilla_smmu_peek(unit, &out->allocated, &out->owner, &out->root, &used))
		return false;
	out->pool_used = out->allocated ? used : 0;
	return true;
}

bool vanilla_view_cpu(unsigned cpu, struct kcore_cpu_view *out)
{
	const struct vanilla_cpu *c = vanilla_cpu_peek(cpu);

	if (!c)
		return false;
	out->vm = (int)c->vm;
	out->vcpu = (int)c->vcpu;
	return true;
}

void vanilla_view_region(struct kcore_region_view *out)
{
	const struct kcore_boot *boot = vanilla_layout();

	out->base_pfn = boot->kcore_base_pfn;
	out->pages = boot->kcore_pages;
	out->kserv_root = pa_addr(vanilla_kserv_npt_root());
	out->kserv_pool_used = vanilla_kserv_npt_pool_used();
}

const struct kcore_boot *vanilla_view_boot(void)
{
	return vanilla_layout();
}
