/* Incremental isolation: see isolation_watch.h. */
#include "model/isolation/isolation_watch_state.h"

#include <stdlib.h>
#include <string.h>

#include "hyp/addr.h"

struct isolation_watch *isolation_watch_new(void)
{
	return calloc(1, sizeof(struct isolation_watch));
}

void isolation_watch_delete(struct isolation_watch *w)
{
	if (!w)
		return;
	free(w->page);
	page_log_release(&w->differs);
	free(w->pick);
	free(w);
}

/* Any touched page in [pa, pa + size)?  Outside RAM: any MMIO grant may have moved. */
static bool range_touched(const struct isolation_watch *w, const struct ref_state *m, uint64_t pa, uint64_t size,
			  bool model_moved)
{
	uint64_t first = pa >> PAGE_SHIFT, last = (pa + size - 1) >> PAGE_SHIFT;
	if (model_moved && w->mmio_moved && !(ref_is_ram(m, first) && ref_is_ram(m, last)))
		return true;
	/* most ranges lie wholly beside the few touched pages */
	if (w->ntouched == 0 || last < w->touched[0] || first > w->touched[w->ntouched - 1])
		return false;
	unsigned lo = 0, hi = w->ntouched;
	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		if (w->touched[mid] < first)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < w->ntouched && w->touched[lo] <= last;
}

static bool pick_grow(struct isolation_watch *w, unsigned need)
{
	if (need <= w->pick_cap)
		return true;
	uint32_t *p = realloc(w->pick, need * sizeof(*p));
	if (!p)
		return false;
	w->pick = p;
	w->pick_cap = need;
	return true;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* The leaves of tree that need a look, in IPA order, into w->pick;
 * returns how many, or -1 for all of them. */
static long pick_leaves(struct isolation_watch *w, const struct ref_state *m, const struct s2_tree *tree,
			uint64_t seen_version, bool model_moved)
{
	unsigned n = 0;
	if (tree->version != seen_version) {
		if (tree->prev_version != seen_version)
			return -1;
		if (!pick_grow(w, tree->nfresh))
			return -1;
		if (tree->nfresh)
			memcpy(w->pick, tree->fresh, tree->nfresh * sizeof(*w->pick));
		n = tree->nfresh;
	}
	if (!model_moved)
		return n;
	if (w->all_touched)
		return -1;
	const struct ref_state *s = m;
	uint64_t ram_lo = s->boot.ram_base_pfn << PAGE_SHIFT, ram_hi = ram_lo + (s->boot.ram_pages << PAGE_SHIFT);
	for (unsigned k = 0; k < w->ntouched; k++) {
		unsigned a, b;
		s2_tree_leaves_near(tree, w->touched[k] << PAGE_SHIFT, &a, &b);
		if (!pick_grow(w, n + (b - a)))
			return -1;
		for (unsigned j = a; j < b; j++)
			if (s2_key_holds(&tree->by_pa[j], w->touched[k] << PAGE_SHIFT))
				w->pick[n++] = s2_tree_leaf_index(tree, tree->by_pa[j].ipa);
	}
	/* leaves reaching outside RAM, at either end of the PA order: the
	 * MMIO grants may have moved */
	unsigned low = 0, high = tree->nleaves; /* by_pa[low, high): none of them (all with the grants unmoved) */
	while (w->mmio_moved && low < tree->nleaves && tree->by_pa[low].pa < ram_lo)
		low++;
	while (w->mmio_moved && high > low && tree->by_pa[high - 1].pa + tree->max_size > ram_hi)
		high--;
	if (!pick_grow(w, n + low + (tree->nleaves - high)))
		return -1;
	for (unsigned j = low ? 0 : high; j < tree->nleaves; j = j + 1 == low ? high : j + 1) {
		const struct s2_pa_key *l = &tree->by_pa[j];
		if (l->pa < ram_lo || l->pa + l->size > ram_hi)
			w->pick[n++] = s2_tree_leaf_index(tree, l->ipa);
	}
	if (n == 0)
		return 0; /* pick may still be unallocated, and qsort takes no NULL */
	qsort(w->pick, n, sizeof(*w->pick), cmp_u32);
	unsigned u = 0;
	for (unsigned k = 0; k < n; k++)
		if (u == 0 || w->pick[u - 1] != w->pick[k])
			w->pick[u++] = w->pick[k];
	return u;
}

/* One principal's tree: everything, or what changed. */
static bool check_principal(struct isolation_watch *w, struct reach *r, struct seen_principal *seen, bool live,
			    uint64_t root, uint32_t status, struct s2_trees *trees, bool full, bool model_moved)
{
	if (!live) {
		seen->live = false;
		return false;
	}
	bool all = full || !seen->live || seen->root != (root & S2_OA_MASK) || seen->status != status;
	if (!all && !model_moved && !w->mem_moved)
		return false; /* no frame moved, nothing the verdicts rest on either */
	const struct s2_tree *tree = s2_trees_get(trees, root);
	long n = all ? -1 : pick_leaves(w, r->s, tree, seen->version, model_moved);
	/* the frames' verdicts rest on the frame list and their pages' entries */
	bool frames = tree->frames_version != seen->frames_version || (model_moved && w->tables_touched);
	*seen = (struct seen_principal){ .live = true, .root = root & S2_OA_MASK, .version = tree->version,
					 .frames_version = tree->frames_version, .status = status };
	if (n < 0)
		return iso_check_tree(r, tree, NULL, 0);
	return (frames && iso_check_frames(r, tree)) || (n > 0 && iso_check_leaves(r, tree, w->pick, (unsigned)n));
}

/* Whether a page whose entry moved is one a tree reads as a table. */
static bool touched_tables(const struct isolation_watch *w, const struct s2_trees *trees)
{
	if (w->all_touched)
		return true;
	for (unsigned k = 0; k < w->ntouched; k++)
		if (s2_trees_read_frame(trees, w->touched[k]))
			return true;
	return false;
}

static uint32_t vm_status(const struct ref_state *m, unsigned vm, uint32_t live)
{
	return (uint32_t)m->vm[vm].state << 20 | live;
}

/* Tables in the full sweep's order: KServ, each live VM, each attached unit. */
static bool check_tables(struct isolation_watch *w, const struct ref_state *m, struct s2_trees *trees, bool full, bool model_moved, struct violation *v)
{
	struct reach r = { .s = m, .v = v, .who = P_KSERV, .cpu = -1, .via = "KServ's stage-2" };

	if (check_principal(w, &r, &w->kserv, true, w->want.kserv_root, 0, trees, full, model_moved))
		return true;
	r.who = P_VM;
	r.via = "the VM's stage-2";
	for (unsigned vm = 1; vm <= KCORE_MAX_VMS; vm++) {
		r.id = vm;
		if (check_principal(w, &r, &w->vm[vm], w->live[vm] != 0, w->want.vm_root[vm],
				    vm_status(m, vm, w->live[vm]), trees, full, model_moved))
			return true;
	}
	r.who = P_SMMU;
	r.via = "the unit's table";
	for (unsigned u = 0; u < SIM_SMMU_UNITS; u++) {
		struct sim_smmu_unit unit;
		sim_smmu_unit(u, &unit);
		r.id = u;
		if (check_principal(w, &r, &w->unit[u], unit.attached, unit.root, watch_unit_status(m, u), trees, full,
				    model_moved))
			return true;
	}
	return false;
}

#define WATCH_FILLS 64

/* No page moved: only the slots refilled since epoch `since` can need a
 * look, and the machine lists them; judged in the full sweep's order.
 * *listed: false if the machine lost count (then every slot is looked at). */
static bool check_refilled(struct isolation_watch *w, const struct ref_state *m, uint64_t since, unsigned slots,
			   bool *listed, struct violation *v)
{
	unsigned cpu[WATCH_FILLS], slot[WATCH_FILLS], key[WATCH_FILLS];
	int n = sim_tlb_fills_since(since, cpu, slot, WATCH_FILLS);

	*listed = n >= 0;
	for (int k = 0; k < n; k++) { /* insertion sort: a few keys */
		unsigned x = cpu[k] * slots + slot[k], j = (unsigned)k;
		for (; j > 0 && key[j - 1] > x; j--)
			key[j] = key[j - 1];
		key[j] = x;
	}
	for (int k = 0; k < n; k++) {
		unsigned c = key[k] / slots, i = key[k] % slots;
		struct sim_tlb_entry e;
		uint64_t gen, *seen = &w->tlb_gen[key[k] % WATCH_TLB_SLOTS];
		if (c >= m->boot.ncpus || c >= REF_MAX_CPUS || !sim_tlb_slot(c, i, &e, &gen) || gen == *seen)
			continue; /* gone, or listed twice */
		*seen = gen;
		if (iso_check_tlb_entry(m, w->live, c, &e, v))
			return true;
	}
	return false;
}

/* TLB entries, slot by slot in the full sweep's order: those refilled,
 * and with the model moved those reaching a touched page. */
static bool check_tlbs(struct isolation_watch *w, const struct ref_state *m, bool full, bool model_moved,
		       struct violation *v)
{
	unsigned slots = sim_tlb_slots();
	uint64_t epoch = sim_tlb_epoch();

	model_moved &= w->ntouched != 0 || w->mmio_moved || w->all_touched;
	if (!full && !model_moved && epoch == w->tlb_epoch)
		return false;
	uint64_t since = w->tlb_epoch;
	w->tlb_epoch = epoch;
	full |= slots > WATCH_TLB_SLOTS / REF_MAX_CPUS || (model_moved && w->all_touched);
	bool listed = false;
	if (!full && !model_moved && check_refilled(w, m, since, slots, &listed, v))
		return true;
	if (listed)
		return false;
	for (unsigned c = 0; c < m->boot.ncpus && c < REF_MAX_CPUS; c++)
		for (unsigned i = 0, left = sim_tlb_count(c); left && i < slots; i++) {
			struct sim_tlb_entry e;
			uint64_t gen, *seen = &w->tlb_gen[(c * slots + i) % WATCH_TLB_SLOTS];
			if (!sim_tlb_slot(c, i, &e, &gen))
				continue;
			left--;
			bool look = full || gen != *seen || (model_moved && range_touched(w, m, e.pa, e.size, true));
			*seen = gen;
			if (look && iso_check_tlb_entry(m, w->live, c, &e, v))
				return true;
		}
	return false;
}

/* The target's VM briefs, read after a call: each VM's root and VMID,
 * the live VMs.  Returns whether a VM's VMID was taken or given back;
 * *roots_moved: whether any root or known slot did. */
static bool take_briefs(struct isolation_watch *w, const struct hyp_target *t, bool *roots_moved)
{
	bool roots = false, vmids = false;

	for (unsigned vm = 1; vm <= KCORE_MAX_VMS; vm++) {
		struct kcore_vm_brief b;
		bool known = hyp_target_vm_brief(t, vm, &b), on = known && b.state != VM_UNUSED;
		uint32_t live = on ? (uint32_t)b.vmid + 1 : 0;
		uint64_t root = known ? b.npt_root : 0;
		roots |= known != w->want.known[vm] || root != w->want.vm_root[vm];
		vmids |= live != w->live[vm];
		w->live[vm] = live;
		w->want.known[vm] = known;
		w->want.vm_root[vm] = root;
		w->want.vmid[vm] = known ? b.vmid : 0;
	}
	*roots_moved = roots;
	return vmids;
}

/* Whether the model moved a CPU to another VM or the host since the
 * last look. */
static bool cpus_delta(struct isolation_watch *w, const struct ref_state *m)
{
	bool moved = false;
	for (unsigned c = 0; c < m->boot.ncpus && c < REF_MAX_CPUS; c++) {
		moved |= m->cpu[c].vm != w->cpu_vm[c];
		w->cpu_vm[c] = m->cpu[c].vm;
	}
	return moved;
}

bool isolation_watch_check(struct isolation_watch *w, struct ref_state *model, bool model_moved,
			   const struct hyp_target *t, struct s2_trees *trees, struct violation *v)
{
	bool full = !w->primed;
	uint64_t epoch = sim_watch_epoch(); /* the trees' frames: data writes leave it */
	uint64_t smmu_epoch = sim_smmu_epoch(), context_epoch = sim_context_epoch();

	/* Nothing the verdicts rest on moved since the last check, whose
	 * verdict was clean: no call into the target (the only code that
	 * moves its roots, views and the CPUs' contexts, and the model), no
	 * frame a tree reads touched, no unit register written, no TLB entry
	 * refilled or dropped. */
	w->reach_moved = false;
	if (!full && !model_moved && epoch == w->mem_epoch && smmu_epoch == w->smmu_epoch &&
	    context_epoch == w->context_epoch && sim_tlb_epoch() == w->tlb_epoch)
		return false;
	if (model_moved || full)
		full |= !watch_model_delta(w, model);
	w->mmio_moved = (model_moved || full) && watch_mmio_delta(w, model);
	w->tables_touched = model_moved && !full && touched_tables(w, trees);
	w->mem_moved = epoch != w->mem_epoch;
	w->mem_epoch = epoch;
	/* the statuses the tables' verdicts rest on: a unit's registers, and
	 * after a call (the only thing that changes the rest) each VM's
	 * state, root and VMID, KServ's root, each unit's owner */
	struct kcore_region_view region;
	t->view_region(&region);
	bool status_moved = smmu_epoch != w->smmu_epoch || region.kserv_root != w->want.kserv_root;
	w->smmu_epoch = smmu_epoch;
	w->want.kserv_root = region.kserv_root;
	bool tlb_full = full;
	if (model_moved || full) {
		bool roots_moved, vmids_moved = take_briefs(w, t, &roots_moved);
		tlb_full |= vmids_moved;
		status_moved |= roots_moved | vmids_moved | w->mmio_moved | watch_units_delta(w, model);
	}
	w->primed = true;
	if (full)
		model_moved = false; /* everything is looked at anyway */
	/* most calls move the model but no page entry nor MMIO grant, all
	 * that the tables' verdicts rest on besides each principal's status */
	bool pages_moved = model_moved && (w->ntouched != 0 || w->mmio_moved || w->all_touched);
	/* an IOTLB entry's verdict rests on the pages and the units' owners */
	w->reach_moved = full || pages_moved || status_moved;
	/* each principal would find its status, root and tree as last seen */
	bool tables_same = !full && !pages_moved && !w->mem_moved && !status_moved && w->tables_clean;
	w->tables_clean = false;
	if (!tables_same && check_tables(w, model, trees, full, pages_moved, v))
		return true;
	w->tables_clean = true;
	if (check_tlbs(w, model, tlb_full, model_moved, v))
		return true;
	/* each CPU had the context wanted loaded, and neither its context
	 * nor what is wanted (the model's CPUs, the roots) moved since */
	bool contexts_same = !full && !status_moved && context_epoch == w->context_epoch && w->contexts_plain &&
			     !(model_moved && cpus_delta(w, model));
	w->context_epoch = context_epoch;
	if (contexts_same)
		return false;
	w->contexts_plain = false;
	if (iso_check_contexts_as(model, &w->want, trees, &w->contexts_plain, v))
		return true;
	cpus_delta(w, model); /* what the plain verdict rests on */
	return false;
}

bool isolation_watch_reach_moved(const struct isolation_watch *w)
{
	return w->reach_moved;
}
