/* hyp/kcore_view.h: KCore's state as host-side tools see it.  Reads only;
 * no locks, no events. */
#include "hyp/kcore_view.h"

#include "layout.h"
#include "npt.h"
#include "percpu.h"
#include "s2page.h"
#include "smmu.h"
#include "vm.h"

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

bool kcore_view_vm(unsigned vm, struct kcore_vm_view *out)
{
	const struct vm_slot *s = kcore_vm_peek(vm);

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
	out->pool_used = s->state == VM_UNUSED ? 0 : kcore_vm_npt_pool_used(vm);
	return true;
}

bool kcore_view_smmu(unsigned unit, struct kcore_smmu_view *out)
{
	uint32_t used;

	if (!kcore_smmu_peek(unit, &out->allocated, &out->owner, &out->root, &used))
		return false;
	out->pool_used = out->allocated ? used : 0;
	return true;
}

bool kcore_view_cpu(unsigned cpu, struct kcore_cpu_view *out)
{
	const struct kcore_cpu *c = kcore_percpu_peek(cpu);

	if (!c)
		return false;
	out->vm = (int)c->vm;
	out->vcpu = (int)c->vcpu;
	return true;
}

void kcore_view_region(struct kcore_region_view *out)
{
	const struct kcore_boot *boot = kcore_layout();

	out->base_pfn = boot->kcore_base_pfn;
	out->pages = boot->kcore_pages;
	out->kserv_root = pa_addr(kcore_kserv_npt_root());
	out->kserv_pool_used = kcore_kserv_npt_pool_used();
}

const struct kcore_boot *kcore_view_boot(void)
{
	return kcore_layout();
}
