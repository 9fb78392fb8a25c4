/* Abstraction of the target's concrete state. */
#include "model/refine/abstract.h"

#include <stdlib.h>
#include <string.h>

#include "model/refine/abs_map.h"
#include "model/s2/s2tree.h"
#include "model/state/ref_attr.h"

unsigned abs_desc_perm(uint64_t desc)
{
	return ref_desc_perm(desc);
}

unsigned abs_desc_mem(uint64_t desc)
{
	return ref_desc_mem(desc);
}

/* Whether two views hold the same bytes: word by word, without a call
 * (views are a few words, compared for every part at every check). */
static bool same_bytes(const void *a, const void *b, size_t size)
{
	uint64_t diff = 0;
	for (size_t i = 0; i + 8 <= size; i += 8) {
		uint64_t x, y;
		memcpy(&x, (const char *)a + i, 8);
		memcpy(&y, (const char *)b + i, 8);
		diff |= x ^ y;
	}
	for (size_t i = size & ~(size_t)7; i < size; i++)
		diff |= (uint8_t)(((const uint8_t *)a)[i] ^ ((const uint8_t *)b)[i]);
	return diff == 0;
}

/* Whether a map last found whole in tree build seen_tree (0: none) is
 * still that build's: then the map in out is what the tree holds. */
static bool still_seen(uint64_t seen_tree, const struct s2_tree *tree)
{
	return seen_tree != 0 && tree != NULL && tree->result != S2_SCAN_BUDGET && tree->version == seen_tree;
}

/* Each live VM's and unit's root, whether it is live (the slot's state
 * as out now holds it, kept here in a few bytes beside the rest), and
 * whether its map is known whole (from a complete kept tree: a walk could
 * find nothing more). */
struct roots {
	uint64_t vm[KCORE_MAX_VMS + 1], smmu[KCORE_SMMU_UNITS];
	bool vm_live[KCORE_MAX_VMS + 1], smmu_live[KCORE_SMMU_UNITS];
	bool vm_whole[KCORE_MAX_VMS + 1], smmu_whole[KCORE_SMMU_UNITS];
};

/* Walk the gfns and iovas the model names that the scans did not find. */
static void walk_model_named(struct ref_state *out, const struct ref_state *named, const struct roots *r)
{
	for (unsigned vm = 1; vm <= KCORE_MAX_VMS; vm++) {
		if (r->vm_whole[vm] || !r->vm_live[vm])
			continue;
		struct map_sink sink = abs_vm_sink(&out->vm[vm]);
		for (unsigned i = 0; i < named->vm[vm].map.n; i++)
			abs_walk_named(&sink, r->vm[vm], named->vm[vm].map.e[i].key);
	}
	for (unsigned u = 0; u < KCORE_SMMU_UNITS; u++) {
		if (r->smmu_whole[u] || !r->smmu_live[u])
			continue;
		struct map_sink sink = abs_smmu_sink(&out->smmu[u]);
		for (unsigned i = 0; i < named->smmu[u].map.n; i++)
			abs_walk_named(&sink, r->smmu[u], named->smmu[u].map.e[i].key);
	}
}

/* RAM page i from the ownership array; a VM's page at a gfn the scan of
 * that VM's tables did not find is walked there. */
static void abstract_page(struct ref_state *out, const struct hyp_target *t, const struct roots *r, uint64_t i)
{
	struct kcore_page_view pv;
	struct ref_page *page = ref_page_of(out, out->boot.ram_base_pfn + i);
	if (!t->view_page(out->boot.ram_base_pfn + i, &pv)) {
		*page = (struct ref_page){ .gfn = KCORE_NO_GFN, .owner = REF_OWNER_NONE };
		return;
	}
	*page = (struct ref_page){ .gfn = pv.gfn, .owner = pv.owner, .share = pv.share, .dma = pv.dma };
	if (pv.owner >= 1 && pv.owner <= KCORE_MAX_VMS && r->vm_live[pv.owner] && !r->vm_whole[pv.owner]) {
		struct map_sink sink = abs_vm_sink(&out->vm[pv.owner]);
		abs_walk_named(&sink, r->vm[pv.owner], pv.gfn);
	}
}

/* The fields of a VM slot a view shows (all reset for an unused slot,
 * as ref_state_shape leaves them). */
static bool vm_fields_match(const struct ref_vm *o, const struct kcore_vm_view *view)
{
	if (o->state != view->state || o->boot_set != view->boot_set || o->boot_gfn != view->boot_gfn ||
	    o->boot_npages != view->boot_npages || o->pool_used != view->pool_used)
		return false;
	for (unsigned c = 0; c < KCORE_MAX_VCPUS; c++)
		if (o->vcpu[c] != view->vcpu[c] || o->vcpu_cpu[c] != view->vcpu_cpu[c])
			return false;
	for (unsigned i = 0; i < KCORE_MAX_IMAGE_PAGES; i++)
		if (o->image_pfn[i] != view->image_pfn[i])
			return false;
	return true;
}

static void vm_fields_set(struct ref_vm *o, const struct kcore_vm_view *view)
{
	o->state = view->state;
	for (unsigned c = 0; c < KCORE_MAX_VCPUS; c++) {
		o->vcpu[c] = view->vcpu[c];
		o->vcpu_cpu[c] = view->vcpu_cpu[c];
	}
	o->boot_set = view->boot_set;
	o->boot_gfn = view->boot_gfn;
	o->boot_npages = view->boot_npages;
	for (unsigned i = 0; i < KCORE_MAX_IMAGE_PAGES; i++)
		o->image_pfn[i] = view->image_pfn[i];
	o->pool_used = view->pool_used;
}

/* What an unused slot (or a handle the target does not know) shows. */
static const struct kcore_vm_view *unused_view(void)
{
	static struct kcore_vm_view view;
	static bool built;

	if (!built) {
		view = (struct kcore_vm_view){ .state = VM_UNUSED };
		for (unsigned c = 0; c < KCORE_MAX_VCPUS; c++) {
			view.vcpu[c] = VCPU_UNUSED;
			view.vcpu_cpu[c] = -1;
		}
		built = true;
	}
	return &view;
}

/* The target's view of VM vm, read in place where a cache keeps it (into
 * local otherwise); an unused slot or unknown handle as unused_view.  The
 * slot's brief says whether it is unused: most slots are, in most checks,
 * and their whole view is then not read at all. */
static const struct kcore_vm_view *vm_view(const struct hyp_target *t, unsigned vm, struct kcore_vm_view *local)
{
	const struct kcore_vm_view *view;
	struct kcore_vm_brief brief;

	if (t->view_vm_brief && (!t->view_vm_brief(vm, &brief) || brief.state == VM_UNUSED))
		return unused_view();
	if (t->peek_vm)
		view = t->peek_vm(vm);
	else
		view = t->view_vm(vm, local) ? local : NULL;
	return view == NULL || view->state == VM_UNUSED ? unused_view() : view;
}

/* The fields written only where they differ from the last abstraction's,
 * whose generation then moves: a refinement that found them equal to the
 * model's needs no second look while neither side moved.  With the view
 * and the tree as seen last time (memo), nothing is read or written. */
static void abstract_vm(struct ref_vm *out, unsigned vm, const struct hyp_target *t, struct s2_trees *trees,
			struct abs_seen_vm *seen, struct roots *r)
{
	struct kcore_vm_view local;
	const struct kcore_vm_view *view = vm_view(t, vm, &local);
	/* an unused slot's view is always unused_view(): its state says all */
	bool same_view = seen != NULL && seen->valid &&
			 (view == unused_view() ? seen->view.state == VM_UNUSED
						: same_bytes(&seen->view, view, sizeof(*view)));
	bool live = view->state != VM_UNUSED;
	const struct s2_tree *tree = live && trees != NULL ? s2_trees_get(trees, view->npt_root) : NULL;

	r->vm[vm] = view->npt_root;
	r->vm_live[vm] = live;
	if (same_view && (!live || still_seen(seen->tree, tree))) {
		r->vm_whole[vm] = live;
		return;
	}
	struct map_sink sink = abs_vm_sink(out);
	if (!live) {
		out->map.n = 0;
		out->map.overflow = false;
	}
	if (!same_view && !vm_fields_match(out, view)) {
		vm_fields_set(out, view);
		ref_vm_moved(out);
	}
	if (live)
		r->vm_whole[vm] = tree ? abs_tree_into(tree, &sink) : abs_scan_into(NULL, view->npt_root, &sink);
	if (seen != NULL)
		*seen = (struct abs_seen_vm){ .valid = true, .tree = r->vm_whole[vm] ? out->map.from_tree : 0,
					      .view = *view };
}

static void abstract_smmu(struct ref_smmu *out, unsigned unit, const struct hyp_target *t, struct s2_trees *trees,
			  struct abs_seen_unit *seen, struct roots *r)
{
	struct kcore_smmu_view view;

	if (!t->view_smmu(unit, &view) || !view.allocated)
		view = (struct kcore_smmu_view){ .allocated = false };
	bool same_view = seen != NULL && seen->valid && same_bytes(&seen->view, &view, sizeof(view));
	const struct s2_tree *tree = view.allocated && trees != NULL ? s2_trees_get(trees, view.root) : NULL;
	r->smmu[unit] = view.root;
	r->smmu_live[unit] = view.allocated;
	if (same_view && (!view.allocated || still_seen(seen->tree, tree))) {
		r->smmu_whole[unit] = view.allocated;
		return;
	}
	struct map_sink sink = abs_smmu_sink(out);
	if (!view.allocated) {
		out->map.n = 0;
		out->map.overflow = false;
	}
	if (out->allocated != view.allocated || out->owner != view.owner || out->pool_used != view.pool_used) {
		out->allocated = view.allocated;
		out->owner = view.owner;
		out->pool_used = view.pool_used;
		ref_smmu_moved(out);
	}
	if (view.allocated)
		r->smmu_whole[unit] = tree ? abs_tree_into(tree, &sink) : abs_scan_into(NULL, view.root, &sink);
	if (seen != NULL)
		*seen = (struct abs_seen_unit){ .valid = true, .tree = r->smmu_whole[unit] ? out->map.from_tree : 0,
						.view = view };
}

/* KServ's stage-2, leaf by leaf, as it is (scanned, or from the kept
 * trees). */
static bool abstract_kserv(struct ref_state *out, struct s2_trees *trees, uint64_t root)
{
	if (out->kserv == NULL && (out->kserv = calloc(1, sizeof(*out->kserv))) == NULL)
		return false;
	struct ref_kserv_map *m = out->kserv;
	struct map_sink sink = { m->e, &m->n, REF_KSERV_MAP_CAP, &m->overflow, &m->from_tree, &m->from_n };
	abs_scan_into(trees, root, &sink);
	return true;
}

static bool same_boot(const struct kcore_boot *a, const struct kcore_boot *b)
{
	return a->ram_base_pfn == b->ram_base_pfn && a->ram_pages == b->ram_pages &&
	       a->kcore_base_pfn == b->kcore_base_pfn && a->kcore_pages == b->kcore_pages &&
	       a->mmio_base_pfn == b->mmio_base_pfn && a->mmio_pages == b->mmio_pages && a->ncpus == b->ncpus &&
	       a->caps.vmids == b->caps.vmids && a->caps.vm_pool_pages == b->caps.vm_pool_pages &&
	       a->caps.smmu_pool_pages == b->caps.smmu_pool_pages &&
	       a->caps.kserv_pool_pages == b->caps.kserv_pool_pages && a->caps.max_share == b->caps.max_share;
}

/* out sized and laid out for boot.  The abstraction writes every field
 * the shape resets, so a state already shaped for this layout (by an
 * earlier abstraction, or a copy) is left as it is: its fields keep their
 * generations where they did not move.  Only the kept path relies on it;
 * the sweeps reshape every time, as they always did. */
static bool shaped_for(struct ref_state *out, const struct kcore_boot *boot, bool kept, bool fills_all,
		       struct abs_memo *memo)
{
	if (!kept || out->page == NULL || !same_boot(&out->boot, boot)) {
		if (memo != NULL)
			abs_memo_forget(memo); /* the shape wrote every part */
		return ref_state_shape(out, boot, fills_all);
	}
	if (fills_all)
		page_log_set_all(&out->changed);
	return true;
}

static bool abstract(struct ref_state *out, const struct kcore_boot *boot, const struct hyp_target *t,
		     const struct ref_state *named, struct s2_trees *trees, struct abs_memo *memo, const uint32_t *idx,
		     unsigned n)
{
	struct kcore_region_view region;
	struct roots r = { 0 };

	if (!shaped_for(out, boot, trees != NULL, idx == NULL, memo))
		return false;
	for (unsigned vm = 1; vm <= KCORE_MAX_VMS; vm++)
		abstract_vm(&out->vm[vm], vm, t, trees, memo ? &memo->vm[vm] : NULL, &r);
	for (unsigned u = 0; u < KCORE_SMMU_UNITS; u++)
		abstract_smmu(&out->smmu[u], u, t, trees, memo ? &memo->smmu[u] : NULL, &r);
	if (idx == NULL) {
		for (uint64_t i = 0; i < out->boot.ram_pages; i++)
			abstract_page(out, t, &r, i);
	} else {
		for (unsigned j = 0; j < n; j++)
			abstract_page(out, t, &r, idx[j]);
	}
	if (named != NULL)
		walk_model_named(out, named, &r);
	t->view_region(&region);
	out->kserv_pool_used = region.kserv_pool_used;
	if (!abstract_kserv(out, trees, region.kserv_root))
		return false;
	for (unsigned c = 0; c < boot->ncpus; c++) {
		struct kcore_cpu_view cv;
		out->cpu[c] = t->view_cpu(c, &cv) ? (struct ref_cpu){ .vm = cv.vm, .vcpu = cv.vcpu } : (struct ref_cpu){ 0 };
	}
	return true;
}

bool abs_from_target(struct ref_state *out, const struct kcore_boot *boot, const struct hyp_target *t,
		     const struct ref_state *named)
{
	return abstract(out, boot, t, named, NULL, NULL, NULL, 0);
}

bool abs_from_target_pages(struct ref_state *out, const struct kcore_boot *boot, const struct hyp_target *t,
			   const struct ref_state *named, const uint32_t *idx, unsigned n)
{
	return abstract(out, boot, t, named, NULL, NULL, idx, n);
}

bool abs_from_target_kept(struct ref_state *out, const struct kcore_boot *boot, const struct hyp_target *t,
			  const struct ref_state *named, struct s2_trees *trees, struct abs_memo *memo,
			  const uint32_t *idx, unsigned n)
{
	return abstract(out, boot, t, named, trees, memo, idx, n);
}

void abs_memo_forget(struct abs_memo *memo)
{
	for (unsigned vm = 0; vm <= KCORE_MAX_VMS; vm++)
		memo->vm[vm].valid = false;
	for (unsigned u = 0; u < KCORE_SMMU_UNITS; u++)
		memo->smmu[u].valid = false;
}
