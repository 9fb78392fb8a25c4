/* The hypervisor under test, as the harness drives it: KCore, or the
 * unmodified-KVM baseline.  Both answer the operations of hyp/kcore.h and
 * expose the read-only view of hyp/kcore_view.h, so the same programs and
 * oracles run on either.
 *
 * One target runs at a time on the one machine: init sets it up from
 * scratch (also between inputs, after sim_restore), then init_cpu runs on
 * every CPU of the layout before any call. */
#ifndef KSERV_HYP_TARGET_H
#define KSERV_HYP_TARGET_H

#include <stdbool.h>
#include <stdint.h>

#include "hyp/kcore.h"
#include "hyp/kcore_view.h"

struct hyp_target {
	const char *name;
	/* Pages the target needs in the layout's region (boot.kcore_pages). */
	uint64_t (*region_pages_needed)(void);
	int64_t (*init)(const struct kcore_boot *boot);
	void (*init_cpu)(void);
	int64_t (*host_call)(uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2);
	int64_t (*guest_call)(uint64_t op, uint64_t a0);
	int64_t (*kserv_fault)(uint64_t pa);

	bool (*view_page)(uint64_t pfn, struct kcore_page_view *out);
	bool (*view_vm)(unsigned vm, struct kcore_vm_view *out);
	/* view_vm's answer read in place from a cache of views, NULL where
	 * view_vm says false.  A target itself leaves it NULL: then ask
	 * view_vm. */
	const struct kcore_vm_view *(*peek_vm)(unsigned vm);
	/* Of view_vm's answer, the fields of kcore_vm_brief only. */
	bool (*view_vm_brief)(unsigned vm, struct kcore_vm_brief *out);
	bool (*view_smmu)(unsigned unit, struct kcore_smmu_view *out);
	bool (*view_cpu)(unsigned cpu, struct kcore_cpu_view *out);
	void (*view_region)(struct kcore_region_view *out);
	/* The layout the target was last initialised with. */
	const struct kcore_boot *(*view_boot)(void);
};

/* VM vm's brief: the target's own, or made of its whole view where it
 * gives none; false where view_vm says false. */
static inline bool hyp_target_vm_brief(const struct hyp_target *t, unsigned vm, struct kcore_vm_brief *out)
{
	struct kcore_vm_view view;

	if (t->view_vm_brief)
		return t->view_vm_brief(vm, out);
	if (!t->view_vm(vm, &view))
		return false;
	*out = kcore_vm_brief_of(&view);
	return true;
}

extern const struct hyp_target target_kcore;
extern const struct hyp_target target_vanilla;

/* "kcore" or "vanilla"; NULL for anything else, NULL included. */
const struct hyp_target *target_by_name(const char *name);

#endif
