/* The image verdicts of verify calls in flight (check_verify.h). */
#include "exec/checks/track/check_verify.h"

#include <string.h>

#include "model/ref/ref_image.h"

void verify_watch_reset(struct verify_watch *w)
{
	memset(w, 0, sizeof(*w));
}

void verify_watch_begin(struct verify_watch *w, const struct call_record *c)
{
	if (c->kind != CALL_HOST || c->op != HVC_VERIFY_VM_IMAGE || c->cpu >= ARCH_MAX_CPUS)
		return;
	w->cpu[c->cpu] = (struct pending_verify){ .active = true, .verdict = -1, .vm = c->a0 };
}

static int image_ok_now(const struct hyp_target *t, uint64_t vm)
{
	struct kcore_vm_view v;
	uint64_t pfn[KCORE_MAX_IMAGE_PAGES];
	if (vm > KCORE_MAX_VMS || !t->view_vm((unsigned)vm, &v) || !v.boot_set ||
	    v.boot_npages == 0 || v.boot_npages > KCORE_MAX_IMAGE_PAGES)
		return -1;
	for (unsigned i = 0; i < v.boot_npages; i++)
		pfn[i] = v.image_pfn[i];
	return ref_image_match_sim(NULL, pfn, (unsigned)v.boot_npages);
}

void verify_watch_event(struct verify_watch *w, const struct hyp_target *t, const struct sim_event *ev)
{
	if (ev->kind != EV_PHYS_READ || ev->cpu >= ARCH_MAX_CPUS)
		return;
	struct pending_verify *p = &w->cpu[ev->cpu];
	if (p->active && p->verdict < 0)
		p->verdict = image_ok_now(t, p->vm);
}

void verify_watch_end(struct verify_watch *w, struct call_record *r)
{
	if (r->cpu < ARCH_MAX_CPUS && w->cpu[r->cpu].active) {
		r->image_ok = w->cpu[r->cpu].verdict;
		w->cpu[r->cpu].active = false;
	}
}
