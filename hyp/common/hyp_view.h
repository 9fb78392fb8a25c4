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

bool hyp_view_vm(const struct hyp_view_source *src, unsigned vm, struct kcore_vm_view *out);
bool hyp_view_vm_brief(const struct hyp_view_source *src, unsigned vm, struct kcore_vm_brief *out);
bool hyp_view_smmu(const struct hyp_view_source *src, unsigned unit, struct kcore_smmu_view *out);
bool hyp_view_cpu(const struct hyp_view_source *src, unsigned cpu, struct kcore_cpu_view *out);
void hyp_view_region(const struct hyp_view_source *src, struct kcore_region_view *out);

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
