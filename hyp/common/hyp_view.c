#include "hyp_view.h"

bool hyp_view_vm(const struct hyp_view_source *src, unsigned vm, struct kcore_vm_view *out)
{
	const struct hyp_vm_slot *s = src->vm(vm);

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
	out->pool_used = s->state == VM_UNUSED ? 0 : src->vm_pool_used(vm);
	return true;
}

bool hyp_view_vm_brief(const struct hyp_view_source *src, unsigned vm, struct kcore_vm_brief *out)
{
	const struct hyp_vm_slot *s = src->vm(vm);

	if (!s)
		return false;
	*out = (struct kcore_vm_brief){ .state = s->state, .vmid = s->vmid, .npt_root = pa_addr(s->npt_root) };
	return true;
}

bool hyp_view_smmu(const struct hyp_view_source *src, unsigned unit, struct kcore_smmu_view *out)
{
	uint32_t used;

	if (!src->smmu(unit, &out->allocated, &out->owner, &out->root, &used))
		return false;
	out->pool_used = out->allocated ? used : 0;
	return true;
}

bool hyp_view_cpu(const struct hyp_view_source *src, unsigned cpu, struct kcore_cpu_view *out)
{
	const struct hyp_cpu *c = hyp_percpu_peek(src->percpu, cpu);

	if (!c)
		return false;
	out->vm = (int)c->vm;
	out->vcpu = (int)c->vcpu;
	return true;
}

void hyp_view_region(const struct hyp_view_source *src, struct kcore_region_view *out)
{
	const struct kcore_boot *boot = src->layout();

	out->base_pfn = boot->kcore_base_pfn;
	out->pages = boot->kcore_pages;
	out->kserv_root = pa_addr(src->host_root());
	out->kserv_pool_used = src->host_pool_used();
}
