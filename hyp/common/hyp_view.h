/* The read-only view of hyp/kcore_view.h, built the same way for KCore
 * and the baseline from what each tells of its state.  Reads only: no
 * locks, no events.  How a page is seen differs (the baseline has no
 * owners), so each hypervisor writes its page view itself. */
#ifndef HYP_VIEW_H
#define HYP_VIEW_H

#include <stdbool.h>
#include <stdint.h>

#include "hyp/addr.h"
#include "hyp/kcore.h"
#include "hyp/kcore_view.h"
#include "hyp_guest.h"

/* A hypervisor's state as the view reads it.  NULL or false: no such
 * VM, unit or CPU. */
struct hyp_view_source {
	const struct hyp_vm_slot *(*vm)(unsigned vm);
	uint32_t (*vm_pool_used)(unsigned vm);
	bool (*smmu)(unsigned unit, bool *allocated, unsigned *owner, uint64_t *root,
		     uint32_t *pool_used);
	const struct hyp_percpu *percpu;
	const struct kcore_boot *(*layout)(void);
	paddr_t (*host_root)(void);
	uint32_t (*host_pool_used)(void);
};

/* Inline, so that each entry point below reads its constant source with
 * direct calls: the checks read every VM's, unit's and CPU's view after
 * every call. */
static inline bool hyp_view_vm(const struct hyp_view_source *src, unsigned vm, struct kcore_vm_view *out)
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

static inline bool hyp_view_vm_brief(const struct hyp_view_source *src, unsigned vm, struct kcore_vm_brief *out)
{
	const struct hyp_vm_slot *s = src->vm(vm);

	if (!s)
		return false;
	*out = (struct kcore_vm_brief){ .state = s->state, .vmid = s->vmid, .npt_root = pa_addr(s->npt_root) };
	return true;
}

static inline bool hyp_view_smmu(const struct hyp_view_source *src, unsigned unit, struct kcore_smmu_view *out)
{
	uint32_t used;

	if (!src->smmu(unit, &out->allocated, &out->owner, &out->root, &used))
		return false;
	out->pool_used = out->allocated ? used : 0;
	return true;
}

static inline bool hyp_view_cpu(const struct hyp_view_source *src, unsigned cpu, struct kcore_cpu_view *out)
{
	const struct hyp_cpu *c = hyp_percpu_peek(src->percpu, cpu);

	if (!c)
		return false;
	out->vm = (int)c->vm;
	out->vcpu = (int)c->vcpu;
	return true;
}

static inline void hyp_view_region(const struct hyp_view_source *src, struct kcore_region_view *out)
{
	const struct kcore_boot *boot = src->layout();

	out->base_pfn = boot->kcore_base_pfn;
	out->pages = boot->kcore_pages;
	out->kserv_root = pa_addr(src->host_root());
	out->kserv_pool_used = src->host_pool_used();
}

/* Defines p##_vm, p##_vm_brief, p##_smmu, p##_cpu, p##_region and p##_boot, the view's
 * entry points but for the page, over the source src. */
#define HYP_VIEW_ENTRY_POINTS(p, src) \
	bool p##_vm(unsigned vm, struct kcore_vm_view *out) \
	{ return hyp_view_vm(&(src), vm, out); } \
	bool p##_vm_brief(unsigned vm, struct kcore_vm_brief *out) \
	{ return hyp_view_vm_brief(&(src), vm, out); } \
	bool p##_smmu(unsigned unit, struct kcore_smmu_view *out) \
	{ return hyp_view_smmu(&(src), unit, out); } \
	bool p##_cpu(unsigned cpu, struct kcore_cpu_view *out) \
	{ return hyp_view_cpu(&(src), cpu, out); } \
	void p##_region(struct kcore_region_view *out) \
	{ hyp_view_region(&(src), out); } \
	const struct kcore_boot *p##_boot(void) \
	{ return (src).layout(); }

#endif
