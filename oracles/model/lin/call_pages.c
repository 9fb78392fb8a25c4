/* The pages a window of calls may have changed. */
#include "model/lin/call_pages.h"

#include "hyp/addr.h"
#include "hyp/kcore_locks.h"

struct pages {
	struct page_log *dirty;
	const struct ref_state *model, *abs;
};

static void add_pfn(const struct pages *p, uint64_t pfn)
{
	uint64_t base = p->model->boot.ram_base_pfn;
	if (pfn >= base && pfn - base < p->model->boot.ram_pages)
		page_log_add(p->dirty, pfn - base);
}

/* Pages the last abstraction shows a unit mapping: at iova page key, or
 * all of them. */
static void unit_pages(const struct pages *p, uint64_t unit, uint64_t key, bool all)
{
	if (unit >= KCORE_SMMU_UNITS)
		return;
	const struct ref_smmu_map *m = &p->abs->smmu[unit].map;
	if (m->overflow) {
		page_log_set_all(p->dirty);
		return;
	}
	for (unsigned i = 0; i < m->n; i++)
		if (all || (m->e[i].key <= key && key < m->e[i].key + m->e[i].pages))
			for (uint32_t k = 0; k < m->e[i].pages; k++)
				add_pfn(p, (m->e[i].pa >> PAGE_SHIFT) + k);
}

/* A VM's image pages (as the model and the last abstraction know them)
 * and, for a reclaim, every page it mapped and every page its units map. */
static void vm_pages(const struct pages *p, uint64_t vm, bool reclaim)
{
	if (vm < 1 || vm > KCORE_MAX_VMS)
		return;
	for (unsigned i = 0; i < KCORE_MAX_IMAGE_PAGES; i++) {
		add_pfn(p, p->abs->vm[vm].image_pfn[i]);
		add_pfn(p, p->model->vm[vm].image_pfn[i]);
	}
	if (!reclaim)
		return;
	const struct ref_vm_map *m = &p->abs->vm[vm].map;
	if (m->overflow) {
		page_log_set_all(p->dirty);
		return;
	}
	for (unsigned i = 0; i < m->n; i++)
		for (uint32_t k = 0; k < m->e[i].pages; k++)
			add_pfn(p, (m->e[i].pa >> PAGE_SHIFT) + k);
	for (unsigned u = 0; u < KCORE_SMMU_UNITS; u++)
		if (p->abs->smmu[u].allocated && p->abs->smmu[u].owner == vm)
			unit_pages(p, u, 0, true);
}

/* The page a guest's grant or revoke names, through the model's map of
 * the VM running on its CPU. */
static void guest_page(const struct pages *p, const struct call_record *c)
{
	if (c->cpu >= REF_MAX_CPUS)
		return;
	int vm = p->model->cpu[c->cpu].vm;
	const struct ref_map_entry *e = vm > 0 && vm <= KCORE_MAX_VMS
		? ref_map_covering(p->model->vm[vm].map.e, p->model->vm[vm].map.n, c->a0) : NULL;
	if (e)
		add_pfn(p, e->pa >> PAGE_SHIFT);
}

static void host_pages(const struct pages *p, const struct call_record *c)
{
	switch (c->op) {
	case HVC_REMAP_VM_IMAGE: add_pfn(p, c->a1); break;
	case HVC_MAP_VM_PAGE:
	case HVC_SMMU_MAP: add_pfn(p, c->a2); break;
	case HVC_VERIFY_VM_IMAGE: vm_pages(p, c->a0, false); break;
	case HVC_CLEAR_VM: vm_pages(p, c->a0, true); break;
	case HVC_SMMU_UNMAP: unit_pages(p, c->a0, c->a1 >> PAGE_SHIFT, false); break;
	case HVC_SMMU_FREE: unit_pages(p, c->a0, 0, true); break;
	default: break;
	}
}

void call_pages_log(struct page_log *dirty, const struct ref_state *model, const struct ref_state *last_abs,
		    const struct call_record *win, unsigned n)
{
	const struct pages p = { dirty, model, last_abs };
	for (unsigned i = 0; i < n; i++) {
		const struct call_record *c = &win[i];
		if (c->kind == CALL_GUEST && (c->op == GHVC_GRANT || c->op == GHVC_REVOKE))
			guest_page(&p, c);
		else if (c->kind == CALL_HOST)
			host_pages(&p, c);
	}
}

void call_pages_note_event(struct page_log *dirty, uint64_t ram_pages, const struct sim_event *ev)
{
	if (ev->kind != EV_SHARED_ACCESS || !ev->b || KID_CLASS(ev->a) != KOBJ_S2PAGE)
		return;
	for (uint64_t i = KID_INDEX(ev->a); i < ram_pages; i += 0x10000)
		page_log_add(dirty, i);
}

bool call_pages_transfer(const struct call_record *win, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		const struct call_record *c = &win[i];
		if (c->kind == CALL_HOST && c->ret >= 0 &&
		    (c->op == HVC_REMAP_VM_IMAGE || c->op == HVC_VERIFY_VM_IMAGE || c->op == HVC_MAP_VM_PAGE ||
		     c->op == HVC_CLEAR_VM))
			return true;
	}
	return false;
}
