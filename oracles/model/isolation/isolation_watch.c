/* Incremental isolation: see isolation_watch.h. */
#include "model/isolation/isolation_watch.h"

#include <stdlib.h>
#include <string.h>

#include "hyp/addr.h"
#include "model/isolation/isolation_reach.h"
#include "sim/machine.h"

#define WATCH_TOUCHED_MAX 256  /* more model pages changed at once: check everything */
#define WATCH_TLB_SLOTS (REF_MAX_CPUS * 256)

/* What a principal's verdicts were last computed from. */
struct seen_principal {
	bool live;
	uint64_t root, version, frames_version;
	uint32_t status;   /* VM: state and VMID; unit: model owner and allocation */
};

struct isolation_watch {
	bool primed;                                /* a first full check was made */
	bool pages_ready;                           /* page[] is the model's but for differs */
	struct seen_principal kserv, vm[KCORE_MAX_VMS + 1], unit[SIM_SMMU_UNITS];
	uint32_t live[KCORE_MAX_VMS + 1];           /* VMID + 1 per live VM */
	struct iso_contexts want;                   /* each VM's root and VMID, KServ's root, at this check */
	uint64_t tlb_epoch;
	uint64_t mem_epoch;                         /* sim_watch_epoch at the last check */
	bool mem_moved;                             /* a tree's frame, at this check */
	uint64_t tlb_gen[WATCH_TLB_SLOTS];
	struct ref_page *page;                      /* the model's pages as last checked */
	uint64_t npages;
	struct page_log differs;                    /* pages of page[] not at their boot value */
	uint64_t touched[WATCH_TOUCHED_MAX];        /* pfns whose model entry moved, sorted */
	unsigned ntouched;
	bool all_touched;
	uint64_t mmio_sig[KCORE_MAX_VMS + 1];       /* see mmio_delta */
	bool mmio_moved;                            /* at this check */
	bool tables_touched;                        /* a touched page was read as a table */
	uint32_t *pick;                             /* scratch: leaf positions to check */
	unsigned pick_cap;
};

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


/* The model's page entries against page[]: which pfns moved. */
static bool same_page(const struct ref_page *a, const struct ref_page *b)
{
	return a->owner == b->owner && a->share == b->share && a->gfn == b->gfn && a->dma == b->dma;
}

static void note_page(struct isolation_watch *w, const struct ref_state *m, uint64_t i)
{
	if (same_page(&w->page[i], &m->page[i]))
		return;
	w->page[i] = m->page[i];
	page_log_add(&w->differs, i);
	if (w->ntouched == WATCH_TOUCHED_MAX)
		w->all_touched = true;
	else
		w->touched[w->ntouched++] = m->boot.ram_base_pfn + i;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* page[] as model's pages, whole. */
static bool pages_sync_all(struct isolation_watch *w, const struct ref_state *m)
{
	if (w->npages != m->boot.ram_pages || !w->page) {
		free(w->page);
		w->page = malloc((m->boot.ram_pages ? m->boot.ram_pages : 1) * sizeof(*w->page));
		w->npages = w->page ? m->boot.ram_pages : 0;
		if (!w->page || !page_log_size(&w->differs, m->boot.ram_pages))
			return w->pages_ready = false;
	}
	memcpy(w->page, m->page, m->boot.ram_pages * sizeof(*w->page));
	page_log_clear(&w->differs);
	return w->pages_ready = true;
}

/* Fills touched[] with the pages whose model entry moved since the last
 * check; false when everything must be checked. */
static bool model_delta(struct isolation_watch *w, struct ref_state *m)
{
	unsigned n;
	const uint32_t *idx = ref_state_take_recent(m, &n);

	w->ntouched = 0;
	w->all_touched = false;
	if (!w->pages_ready || w->npages != m->boot.ram_pages || idx == NULL || w->differs.all) {
		pages_sync_all(w, m);
		return false;
	}
	for (unsigned j = 0; j < n; j++)
		note_page(w, m, idx[j]);
	if (w->all_touched || w->differs.all)
		return false;
	if (w->ntouched) /* touched may be unallocated; qsort takes no NULL */
		qsort(w->touched, w->ntouched, sizeof(w->touched[0]), cmp_u64);
	return true;
}

void isolation_watch_reset(struct isolation_watch *w, struct ref_state *model)
{
	unsigned n;
	ref_state_take_recent(model, &n); /* the reset itself: page[] follows below */
	w->primed = false;
	if (!w->pages_ready || w->npages != model->boot.ram_pages || w->differs.all) {
		pages_sync_all(w, model);
		return;
	}
	for (unsigned j = 0; j < w->differs.n; j++)
		w->page[w->differs.idx[j]] = model->page[w->differs.idx[j]];
	page_log_clear(&w->differs);
}

/* The model's MMIO grants may have moved: a VM's map changed size or the
 * VM its state (its map only grows while it lives). */
static bool mmio_delta(struct isolation_watch *w, const struct ref_state *m)
{
	bool moved = false;
	for (unsigned vm = 1; vm <= KCORE_MAX_VMS; vm++) {
		uint64_t sig = (uint64_t)m->vm[vm].state << 32 | m->vm[vm].map.n;
		moved |= sig != w->mmio_sig[vm];
		w->mmio_sig[vm] = sig;
	}
	return moved;
}

/* Any touched page in [pa, pa + size)?  Outside RAM: any MMIO grant may have moved. */
static bool range_touched(const struct isolation_watch *w, const struct ref_state *m, uint64_t pa, uint64_t size,
			  bool model_moved)
{
	uint64_t first = pa >> PAGE_SHIFT, last = (pa + size - 1) >> PAGE_SHIFT;
	if (model_moved && w->mmio_moved && !(ref_is_ram(m, first) && ref_is_ram(m, last)))
		return true;
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

static uint32_t unit_status(const struct ref_state *m, unsigned u)
{
	if (u >= KCORE_SMMU_UNITS)
		return 0;
	return (uint32_t)m->smmu[u].allocated << 20 | m->smmu[u].owner;
}

/* Tables in the full sweep's order: KServ, each live VM, each attached unit. */
static bool check_tables(struct isolation_watch *w, const struct ref_state *m, const struct hyp_target *t,
			 struct s2_trees *trees, bool full, bool model_moved, struct violation *v)
{
	struct kcore_region_view region;
	struct reach r = { .s = m, .v = v, .who = P_KSERV, .cpu = -1, .via = "KServ's stage-2" };

	t->view_region(&region);
	w->want.kserv_root = region.kserv_root;
	if (check_principal(w, &r, &w->kserv, true, region.kserv_root, 0, trees, full, model_moved))
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
		if (check_principal(w, &r, &w->unit[u], unit.attached, unit.root, unit_status(m, u), trees, full,
				    model_moved))
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
	w->tlb_epoch = epoch;
	full |= slots > WATCH_TLB_SLOTS / REF_MAX_CPUS || (model_moved && w->all_touched);
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

bool isolation_watch_check(struct isolation_watch *w, struct ref_state *model, bool model_moved,
			   const struct hyp_target *t, struct s2_trees *trees, struct violation *v)
{
	uint32_t live[KCORE_MAX_VMS + 1];
	bool full = !w->primed;
	uint64_t epoch = sim_watch_epoch(); /* the trees' frames: data writes leave it */

	/* Nothing the verdicts rest on moved since the last check, whose
	 * verdict was clean: no call into the target (the only code that
	 * moves its roots, views, units and the CPUs' contexts, and the
	 * model), no frame a tree reads touched, no TLB entry refilled or
	 * dropped. */
	if (!full && !model_moved && epoch == w->mem_epoch && sim_tlb_epoch() == w->tlb_epoch)
		return false;
	if (model_moved || full)
		full |= !model_delta(w, model);
	w->mmio_moved = (model_moved || full) && mmio_delta(w, model);
	w->tables_touched = model_moved && !full && touched_tables(w, trees);
	w->mem_moved = epoch != w->mem_epoch;
	w->mem_epoch = epoch;
	/* the live VMs, listed once for the whole check; only a call into
	 * the target changes them, and calls move the model */
	bool tlb_full = full;
	if (model_moved || full) {
		live[0] = 0;
		for (unsigned vm = 1; vm <= KCORE_MAX_VMS; vm++) {
			struct kcore_vm_brief b;
			bool known = hyp_target_vm_brief(t, vm, &b), on = known && b.state != VM_UNUSED;
			live[vm] = on ? (uint32_t)b.vmid + 1 : 0;
			w->want.known[vm] = known;
			w->want.vm_root[vm] = known ? b.npt_root : 0;
			w->want.vmid[vm] = known ? b.vmid : 0;
		}
		/* a VMID taken or given back changes whose TLB entries are whose */
		tlb_full |= memcmp(live, w->live, sizeof(live)) != 0;
		memcpy(w->live, live, sizeof(live));
	}
	w->primed = true;
	if (full)
		model_moved = false; /* everything is looked at anyway */
	/* most calls move the model but no page entry nor MMIO grant, all
	 * that the tables' verdicts rest on besides each principal's status */
	bool pages_moved = model_moved && (w->ntouched != 0 || w->mmio_moved || w->all_touched);
	return check_tables(w, model, t, trees, full, pages_moved, v) ||
	       check_tlbs(w, model, tlb_full, model_moved, v) ||
	       iso_check_contexts_as(model, &w->want, trees, v);
}
