/* The per-check cache of the target's VM views (check_views.h). */
#include "exec/checks/track/check_views.h"

#include <stdbool.h>
#include <string.h>

static struct {
	const struct hyp_target *real;
	bool valid[KCORE_MAX_VMS + 1], ok[KCORE_MAX_VMS + 1];
	struct kcore_vm_view vm[KCORE_MAX_VMS + 1];
	struct hyp_target t;
} V;

/* Handles past the slots have no view to keep: NULL, as view_vm says. */
static const struct kcore_vm_view *cached_peek_vm(unsigned vm)
{
	if (vm > KCORE_MAX_VMS)
		return NULL;
	if (!V.valid[vm]) {
		V.ok[vm] = V.real->view_vm(vm, &V.vm[vm]);
		V.valid[vm] = true;
	}
	return V.ok[vm] ? &V.vm[vm] : NULL;
}

static bool cached_view_vm(unsigned vm, struct kcore_vm_view *out)
{
	if (vm > KCORE_MAX_VMS)
		return V.real->view_vm(vm, out);
	const struct kcore_vm_view *view = cached_peek_vm(vm);
	if (view)
		*out = *view;
	return view != NULL;
}

/* From the whole view where this check already read it: a check reads
 * each slot's brief after every call, most of them never its whole view
 * (isolation alone). */
static bool cached_view_vm_brief(unsigned vm, struct kcore_vm_brief *out)
{
	if (vm > KCORE_MAX_VMS || !V.valid[vm])
		return hyp_target_vm_brief(V.real, vm, out);
	if (V.ok[vm])
		*out = kcore_vm_brief_of(&V.vm[vm]);
	return V.ok[vm];
}

void check_views_forget(void)
{
	memset(V.valid, 0, sizeof(V.valid));
}

const struct hyp_target *check_views(const struct hyp_target *t)
{
	if (V.real != t) {
		check_views_forget();
		V.real = t;
		V.t = *t;
		V.t.view_vm = cached_view_vm;
		V.t.peek_vm = cached_peek_vm;
		V.t.view_vm_brief = cached_view_vm_brief;
	}
	return &V.t;
}
