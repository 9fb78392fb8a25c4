/* The oracles as the executor drives them.
 *
 * Calls into the target are buffered in a window while any CPU is inside
 * one; when the machine is quiescent again (no call in flight) the window
 * is replayed on the reference model (oracles/model/linearize.h).  Then
 * the abstract states are compared, the isolation check runs, and pages
 * whose owner changed are checked for scrubbing and cleaning. */
#include "exec/checks/checks.h"
#include "exec/checks/checks_writes.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "abstract.h"
#include "exec/checks/oracle_mask.h"
#include "hw_oracles.h"
#include "exec/checks/oracle_stats.h"
#include "hyp/kcore_locks.h"
#include "isolation.h"
#include "isolation_watch.h"
#include "linearize.h"
#include "ref_image.h"
#include "refinement.h"
#include "refmodel.h"
#include "s2tree.h"
#include "exec/machine/sched.h"
#include "ref_reach.h"
#include "sim/machine.h"

/* The oracles that need the reference model to follow the run (integrity
 * asks it what KServ may write). */
#define MODEL_FOLLOWERS (ORACLE_REFINE | ORACLE_ISOLATION | ORACLE_CACHE | ORACLE_INTEGRITY)

#define WINDOW_MAX LIN_WINDOW_MAX


static struct {
	const struct hyp_target *t;
	unsigned oracles;
	struct kcore_boot boot;
	struct ref_model *model;
	struct lin_search lin;    /* the window's replay on the model */
	bool model_lost;          /* the model could not follow: its checks stop */
	bool model_diverged;      /* lost because the target broke the contract (refinement off) */
	bool off;                 /* a run only observed (the noninterference twin) */
	bool thorough;            /* every page compared at the end of a run */
	struct pending_verify {
		bool active;
		int verdict;          /* -1 until the target reads the image */
		uint64_t vm;
	} verify[ARCH_MAX_CPUS];
	struct ref_state *abs;
	uint32_t *owner;          /* owner of each RAM page at the last quiescent point */
	struct hw_oracles *hw;
	struct s2_trees trees;    /* the tables as last read: one scan for abstraction and isolation */
	struct isolation_watch *iso;
	bool sweep;               /* ORACLE_THOROUGH: full sweeps instead of the incremental checks */
	/* RAM pages whose ownership entry may have changed since the last
	 * state check: the ones KCore wrote (from the event stream) and the
	 * ones the window's calls name.  Comparing only those keeps a state
	 * check independent of the size of RAM; the check at the end of each
	 * run compares every page. */
	struct page_log dirty;
	struct page_log owner_changed; /* pages whose C.owner is not the boot owner */
	struct writes_since writes;
	unsigned in_flight;
	uint64_t seq, step;
	struct call_record win[WINDOW_MAX];
	unsigned nwin;
	bool win_overflow;
	bool violated;
	struct violation v;
} C;

/* The target's views of its VMs, read once per check: the abstraction,
 * the isolation check and its context check all ask for them, and
 * nothing changes while no call is in flight.  view_cache_t is C.t with
 * view_vm answered from here. */
static struct {
	bool valid[KCORE_MAX_VMS + 1], ok[KCORE_MAX_VMS + 1];
	struct kcore_vm_view vm[KCORE_MAX_VMS + 1];
	struct hyp_target t;
} V;

static bool cached_view_vm(unsigned vm, struct kcore_vm_view *out)
{
	if (vm > KCORE_MAX_VMS)
		return C.t->view_vm(vm, out);
	if (!V.valid[vm]) {
		V.ok[vm] = C.t->view_vm(vm, &V.vm[vm]);
		V.valid[vm] = true;
	}
	*out = V.vm[vm];
	return V.ok[vm];
}

/* C.t for one check: call at its start. */
static const struct hyp_target *views_for_check(void)
{
	memset(V.valid, 0, sizeof(V.valid));
	V.t = *C.t;
	V.t.view_vm = cached_view_vm;
	return &V.t;
}

static void keep(const struct violation *v)
{
	if (C.violated)
		return;
	C.violated = true;
	C.v = *v;
	if (C.v.step == UINT64_MAX)
		C.v.step = C.step;
	if (C.v.nrecent == 0) {
		struct sim_event ev[VIOLATION_RECENT];
		C.v.nrecent = sim_recent_events(ev, VIOLATION_RECENT);
		memcpy(C.v.recent, ev, C.v.nrecent * sizeof(ev[0]));
	}
}

void checks_report(const struct violation *v)
{
	keep(v);
}

void checks_enable(bool on)
{
	C.off = !on;
}

bool checks_violated(void)
{
	return C.violated;
}

const struct violation *checks_violation(void)
{
	return &C.v;
}

static void dirty_add(uint64_t i)
{
	if (i < C.boot.ram_pages)
		page_log_add(&C.dirty, i);
}

static void dirty_add_pfn(uint64_t pfn)
{
	if (pfn >= C.boot.ram_base_pfn)
		dirty_add(pfn - C.boot.ram_base_pfn);
}

static void dirty_clear(void)
{
	page_log_clear(&C.dirty);
}

/* A successful write by a CPU (vmid 0 is KServ) or a device. */
static void note_write(const struct sim_event *ev)
{
	if (!(ev->d & SIM_ACC_WRITE) || (ev->d >> 8) != SIM_OK || ev->c == ~0ull)
		return;
	bool kserv = ev->a == 0;
	if (ev->kind == EV_DMA_ACCESS) {
		struct kcore_smmu_view u;
		kserv = C.t->view_smmu((unsigned)ev->a, &u) && u.allocated && u.owner == 0;
	}
	struct page_writes *e = writes_slot(&C.writes, ev->c >> PAGE_SHIFT);
	if (!e)
		return;
	uint64_t bit = 1ull << ((ev->c & PAGE_MASK) / CACHE_LINE_SIZE);
	if (kserv)
		e->kserv_lines |= bit;
	else
		e->vm_lines |= bit;
}

/* KCore names an ownership entry by the low 16 bits of its index: every
 * page those bits could mean is a candidate. */
static void note_kcore_write(const struct sim_event *ev)
{
	if (ev->kind != EV_SHARED_ACCESS || !ev->b || KID_CLASS(ev->a) != KOBJ_S2PAGE)
		return;
	for (uint64_t i = KID_INDEX(ev->a); i < C.boot.ram_pages; i += 0x10000)
		dirty_add(i);
}

static void note_image_read(const struct sim_event *ev);

/* The event oracles keep their own first violation; take it over. */
static void take_hw_violation(void)
{
	const struct violation *v = hw_oracles_violation(C.hw);
	if (v && !C.violated) {
		keep(v);
		sched_stop();
	}
}

static void on_event(void *ctx, const struct sim_event *ev)
{
	(void)ctx;
	if (C.off)
		return;
	if (C.oracles & ORACLE_REFINE) {
		oracle_stats.events[1]++;
		note_kcore_write(ev);
		note_image_read(ev);
	}
	if ((C.oracles & ORACLE_CACHE) && (ev->kind == EV_CPU_ACCESS || ev->kind == EV_DMA_ACCESS)) {
		oracle_stats.events[4]++;
		note_write(ev);
	}
	if (!(C.oracles & (ORACLE_TLB | ORACLE_LOCK)))
		return;
	oracle_stats.events[3] += (C.oracles & ORACLE_TLB) != 0;
	oracle_stats.events[5] += (C.oracles & ORACLE_LOCK) != 0;
	hw_oracles_event(C.hw, ev);
	if (!C.violated && hw_oracles_violation(C.hw))
		take_hw_violation();
}

static unsigned hw_set(unsigned oracles)
{
	return ((oracles & ORACLE_TLB) ? HW_ORACLE_TLB : 0) | ((oracles & ORACLE_CACHE) ? HW_ORACLE_CACHE : 0) |
	       ((oracles & ORACLE_LOCK) ? HW_ORACLE_LOCK : 0);
}

int checks_setup(const struct kcore_boot *boot, const struct hyp_target *t, unsigned oracles, bool thorough)
{
	C.thorough = thorough;
	C.t = t;
	C.oracles = oracles;
	C.boot = *boot;
	C.model = ref_new();
	C.abs = calloc(1, sizeof(*C.abs));
	C.owner = calloc(boot->ram_pages, sizeof(*C.owner));
	C.hw = hw_oracles_create(hw_set(oracles));
	C.iso = isolation_watch_new();
	C.sweep = oracles & ORACLE_THOROUGH;
	if (!C.model || !C.abs || !C.owner || !C.hw || !C.iso ||
	    !s2_trees_init(&C.trees, boot->ram_base_pfn << PAGE_SHIFT, boot->ram_pages << PAGE_SHIFT) || !page_log_size(&C.dirty, boot->ram_pages) ||
	    !page_log_size(&C.owner_changed, boot->ram_pages))
		return -1;
	lin_init(&C.lin, &C.boot);
	lin_attach(&C.lin, C.model);
	if (oracles & (ORACLE_TLB | ORACLE_LOCK | ORACLE_REFINE | ORACLE_CACHE))
		sim_set_event_sink(on_event, NULL);
	return 0;
}

void checks_teardown(void)
{
	sim_set_event_sink(NULL, NULL);
	hw_oracles_destroy(C.hw);
	isolation_watch_delete(C.iso);
	s2_trees_release(&C.trees);
	ref_delete(C.model);
	lin_release(&C.lin);
	ref_state_release(C.abs);
	free(C.abs);
	free(C.owner);
	page_log_release(&C.dirty);
	page_log_release(&C.owner_changed);
	memset(&C, 0, sizeof(C));
}

/* Tell the TLB oracle which tables are whose: KServ's, each live VM's and
 * each allocated SMMU unit's.  Cheap, and idempotent for known roots. */
static void register_roots(void)
{
	struct tlb_oracle *tlb = hw_oracles_tlb(C.hw);
	struct kcore_region_view r;
	struct kcore_vm_view vm;
	struct kcore_smmu_view u;
	if (!(C.oracles & ORACLE_TLB))
		return;
	C.t->view_region(&r);
	tlb_oracle_add_root(tlb, r.kserv_root, 0, 0);
	for (unsigned i = 1; i <= KCORE_MAX_VMS; i++)
		if (C.t->view_vm(i, &vm) && vm.state != VM_UNUSED)
			tlb_oracle_add_root(tlb, vm.npt_root, vm.vmid, (int)i);
	for (unsigned i = 0; i < KCORE_SMMU_UNITS; i++)
		if (C.t->view_smmu(i, &u) && u.allocated)
			tlb_oracle_add_smmu_root(tlb, u.root, i, (int)u.owner);
}

/* C.owner back to the boot owners (the model's, just reset): only the
 * pages whose entry check_transfer changed, unless too many did. */
static void reset_owners(void)
{
	const struct page_log *l = &C.owner_changed;

	if (l->all)
		for (uint64_t i = 0; i < C.boot.ram_pages; i++)
			C.owner[i] = C.model->st.page[i].owner;
	else
		for (unsigned j = 0; j < l->n; j++)
			C.owner[l->idx[j]] = C.model->st.page[l->idx[j]].owner;
	page_log_clear(&C.owner_changed);
}

void checks_set_caps(const struct kcore_caps *caps)
{
	C.boot.caps = *caps;
}

void checks_reset(unsigned ncpus)
{
	(void)ncpus;
	if (C.off) {
		C.violated = false;
		C.in_flight = 0;
		C.seq = 0;
		return;
	}
	C.in_flight = 0;
	C.seq = 0;
	C.nwin = 0;
	C.win_overflow = false;
	C.violated = false;
	C.model_lost = false;
	C.model_diverged = false;
	memset(C.verify, 0, sizeof(C.verify));
	C.step = UINT64_MAX;
	hw_oracles_reset(C.hw);
	if (C.oracles & MODEL_FOLLOWERS) {
		ref_init(C.model, &C.boot);
		reset_owners();
		/* KCore's pages start as the model's; the full check at the
		 * end of the run holds this to account */
		ref_state_copy(C.abs, &C.model->st);
		dirty_clear();
		isolation_watch_reset(C.iso, &C.model->st);
	}
	writes_clear(&C.writes);
}

void checks_set_step(uint64_t step)
{
	C.step = step;
	hw_oracles_set_step(C.hw, step);
}

/* Whether the image of the VM being verified matches, read now: the model
 * replays the call later, when the pages may hold something else (the VM
 * may have written them, or a reclaim zeroed them). */
static int image_ok_now(uint64_t vm)
{
	struct kcore_vm_view v;
	uint64_t pfn[KCORE_MAX_IMAGE_PAGES];
	if (vm > KCORE_MAX_VMS || !C.t->view_vm((unsigned)vm, &v) || !v.boot_set ||
	    v.boot_npages == 0 || v.boot_npages > KCORE_MAX_IMAGE_PAGES)
		return -1;
	for (unsigned i = 0; i < v.boot_npages; i++)
		pfn[i] = v.image_pfn[i];
	return ref_image_match_sim(NULL, pfn, (unsigned)v.boot_npages);
}

uint64_t checks_call_begin(struct call_record *c)
{
	c->image_ok = -1;
	if (!C.off) {
		if (C.seq == 0)
			register_roots(); /* the tables the target set up at init */
		if (c->kind == CALL_HOST && c->op == HVC_VERIFY_VM_IMAGE && c->cpu < ARCH_MAX_CPUS) {
			C.verify[c->cpu].vm = c->a0;
			C.verify[c->cpu].active = true;
			C.verify[c->cpu].verdict = -1;
		}
	}
	C.in_flight++;
	return C.seq++;
}

/* The image of a verify in flight on cpu is judged when the target first
 * reads page contents for it (its hash): before that a concurrent
 * remap_vm_image may still be filling it, after it the VM may write it. */
static void note_image_read(const struct sim_event *ev)
{
	if (ev->kind != EV_PHYS_READ || ev->cpu >= ARCH_MAX_CPUS)
		return;
	struct pending_verify *p = &C.verify[ev->cpu];
	if (p->active && p->verdict < 0)
		p->verdict = image_ok_now(p->vm);
}


void checks_call_end(const struct call_record *c)
{
	if (C.off) {
		C.in_flight--;
		return;
	}
	struct call_record r = *c;
	if (r.cpu < ARCH_MAX_CPUS && C.verify[r.cpu].active) {
		r.image_ok = C.verify[r.cpu].verdict;
		C.verify[r.cpu].active = false;
	}
	r.end = C.seq++;
	r.step = C.step;
	C.in_flight--;
	if (C.nwin < WINDOW_MAX)
		C.win[C.nwin++] = r;
	else
		C.win_overflow = true;
	if (!C.violated && hw_oracles_op_end(C.hw, c->cpu))
		take_hw_violation();
	if (r.kind == CALL_HOST && (r.op == HVC_REGISTER_VM || r.op == HVC_SMMU_ALLOC) && r.ret >= 0)
		register_roots();
}

static void describe(const struct call_record *c, char *buf, size_t n)
{
	static const char *kind[] = { "hvc", "guest hvc", "kserv fault" };
	snprintf(buf, n, "%s %llu on cpu%u", kind[c->kind], (unsigned long long)(c->kind == CALL_KSERV_FAULT ? c->a0 : c->op), c->cpu);
}

/* Call bad returned what the model, standing just before it, does not. */
static void report_ret(unsigned bad)
{
	char what[64];
	struct violation v;
	describe(&C.win[bad], what, sizeof(what));
	if (refine_check_ret(what, lin_apply(&C.lin, C.model, &C.win[bad]), C.win[bad].ret, &v)) {
		v.step = C.win[bad].step;
		v.cpu = (int)C.win[bad].cpu;
		keep(&v);
	}
}

/* Replay the window on the model.  A window the model cannot follow
 * leaves it behind KCore: the model checks stop for this run. */
static void check_window(void)
{
	unsigned bad = 0;
	if (C.win_overflow) {
		C.model_lost = true;
		return;
	}
	switch (lin_replay(&C.lin, C.model, C.win, C.nwin, C.oracles & ORACLE_REFINE, &bad)) {
	case LIN_MATCH: return;
	case LIN_MISMATCH: report_ret(bad); return;
	default:
		/* Without refinement, a replay is lost only where the target
		 * broke the contract. */
		C.model_lost = true;
		C.model_diverged = !(C.oracles & ORACLE_REFINE);
		return;
	}
}

/* Pages whose owner changed since the last quiescent point must show the
 * new owner scrubbed (from a VM or KCore to KServ) or cleaned (to a VM). */
static void check_transfer(uint64_t i)
{
	uint32_t now = C.model->st.page[i].owner;
	if (now == C.owner[i])
		return;
	uint64_t pfn = C.boot.ram_base_pfn + i, skip = 0;
	const struct page_writes *e = C.writes.n ? writes_find(&C.writes, pfn) : NULL;
	if (e)
		skip = now == KCORE_OWNER_KSERV ? e->kserv_lines : e->vm_lines;
	if (!C.violated && !C.writes.overflow && hw_oracles_check_transfer_skip(C.hw, pfn, C.owner[i], now, skip))
		take_hw_violation();
	C.owner[i] = now;
	page_log_add(&C.owner_changed, i);
}

static void check_transfers(void)
{
	if (C.dirty.all)
		for (uint64_t i = 0; i < C.boot.ram_pages; i++)
			check_transfer(i);
	else
		for (unsigned j = 0; j < C.dirty.n; j++)
			check_transfer(C.dirty.idx[j]);
}

/* Pages the last abstraction (C.abs, not yet refreshed) shows a unit
 * mapping: at iova page key, or all of them. */
static void unit_pages(uint64_t unit, uint64_t key, bool all)
{
	if (unit >= KCORE_SMMU_UNITS)
		return;
	const struct ref_smmu_map *m = &C.abs->smmu[unit].map;
	if (m->overflow) {
		page_log_set_all(&C.dirty);
		return;
	}
	for (unsigned i = 0; i < m->n; i++)
		if (all || (m->e[i].key <= key && key < m->e[i].key + m->e[i].pages))
			for (uint32_t p = 0; p < m->e[i].pages; p++)
				dirty_add_pfn((m->e[i].pa >> PAGE_SHIFT) + p);
}

/* A VM's image pages (as the model and the last abstraction know them)
 * and, for a reclaim, every page it mapped and every page its units map. */
static void vm_pages(uint64_t vm, bool reclaim)
{
	if (vm < 1 || vm > KCORE_MAX_VMS)
		return;
	for (unsigned i = 0; i < KCORE_MAX_IMAGE_PAGES; i++) {
		dirty_add_pfn(C.abs->vm[vm].image_pfn[i]);
		dirty_add_pfn(C.model->st.vm[vm].image_pfn[i]);
	}
	if (!reclaim)
		return;
	const struct ref_vm_map *m = &C.abs->vm[vm].map;
	if (m->overflow) {
		page_log_set_all(&C.dirty);
		return;
	}
	for (unsigned i = 0; i < m->n; i++)
		for (uint32_t p = 0; p < m->e[i].pages; p++)
			dirty_add_pfn((m->e[i].pa >> PAGE_SHIFT) + p);
	for (unsigned u = 0; u < KCORE_SMMU_UNITS; u++)
		if (C.abs->smmu[u].allocated && C.abs->smmu[u].owner == vm)
			unit_pages(u, 0, true);
}

/* The pages the window's calls may have changed in the model: with the
 * pages KCore wrote, every page whose entry can differ. */
static void window_pages(void)
{
	for (unsigned i = 0; i < C.nwin; i++) {
		const struct call_record *c = &C.win[i];
		if (c->kind == CALL_GUEST && (c->op == GHVC_GRANT || c->op == GHVC_REVOKE) && c->cpu < REF_MAX_CPUS) {
			int vm = C.model->st.cpu[c->cpu].vm;
			const struct ref_map_entry *e = vm > 0 && vm <= KCORE_MAX_VMS
				? ref_map_covering(C.model->st.vm[vm].map.e, C.model->st.vm[vm].map.n, c->a0) : NULL;
			if (e)
				dirty_add_pfn(e->pa >> PAGE_SHIFT);
			continue;
		}
		if (c->kind != CALL_HOST)
			continue;
		switch (c->op) {
		case HVC_REMAP_VM_IMAGE: dirty_add_pfn(c->a1); break;
		case HVC_MAP_VM_PAGE:
		case HVC_SMMU_MAP: dirty_add_pfn(c->a2); break;
		case HVC_VERIFY_VM_IMAGE: vm_pages(c->a0, false); break;
		case HVC_CLEAR_VM: vm_pages(c->a0, true); break;
		case HVC_SMMU_UNMAP: unit_pages(c->a0, c->a1 >> PAGE_SHIFT, false); break;
		case HVC_SMMU_FREE: unit_pages(c->a0, 0, true); break;
		default: break;
		}
	}
}

/* Compare the abstraction of the target with the model: the dirty pages
 * only, or every page. */
static void check_state(const struct hyp_target *t, bool full)
{
	struct violation v;
	bool whole = full || C.dirty.all;
	const uint32_t *idx = whole ? NULL : C.dirty.idx;
	bool ok = C.sweep ? abs_from_target_pages(C.abs, &C.boot, t, &C.model->st, idx, C.dirty.n)
			  : abs_from_target_kept(C.abs, &C.boot, t, &C.model->st, &C.trees, idx, C.dirty.n);
	if (!ok)
		return;
	bool bad = full || C.dirty.all ? refine_check_state(&C.model->st, C.abs, &v)
				       : refine_check_state_pages(&C.model->st, C.abs, C.dirty.idx, C.dirty.n, &v);
	if (!bad)
		return;
	/* One fault seen by both: isolation's verdict is the more specific. */
	struct violation iso;
	if ((C.oracles & ORACLE_ISOLATION) && isolation_check(&C.model->st, C.t, &iso))
		v = iso;
	keep(&v);
}

static bool window_transfers(void)
{
	for (unsigned i = 0; i < C.nwin; i++) {
		const struct call_record *c = &C.win[i];
		if (c->kind == CALL_HOST && c->ret >= 0 &&
		    (c->op == HVC_REMAP_VM_IMAGE || c->op == HVC_VERIFY_VM_IMAGE || c->op == HVC_MAP_VM_PAGE ||
		     c->op == HVC_CLEAR_VM))
			return true;
	}
	return false;
}

static void quiescent(void)
{
	struct violation v;
	bool model = C.oracles & MODEL_FOLLOWERS;
	if (model && C.nwin && !C.model_lost)
		check_window();
	if (C.model_lost) {
		dirty_clear();
		writes_clear(&C.writes);
		C.nwin = 0;
		C.win_overflow = false;
		return;
	}
	if (C.nwin)
		window_pages();
	const struct hyp_target *t = views_for_check();
	if (!C.violated && (C.oracles & ORACLE_REFINE) && C.nwin) {
		oracle_stats.steps[1]++;
		check_state(t, false);
	}
	oracle_stats.steps[2] += !C.violated && (C.oracles & ORACLE_ISOLATION);
	if (!C.violated && (C.oracles & ORACLE_ISOLATION) &&
	    (C.sweep ? isolation_check(&C.model->st, t, &v)
		     : isolation_watch_check(C.iso, &C.model->st, C.nwin != 0, t, &C.trees, &v)))
		keep(&v);
	if (!C.violated && (C.oracles & ORACLE_CACHE) && window_transfers()) {
		oracle_stats.steps[4]++;
		check_transfers();
	}
	dirty_clear();
	writes_clear(&C.writes);
	C.nwin = 0;
	C.win_overflow = false;
}

/* A model the target left behind by breaking the contract still says what
 * the contract gave KServ up to that point; one the checker gave up on
 * (a window too large) does not. */
bool checks_kserv_may_write(uint64_t pfn, bool *known)
{
	*known = !C.off && (C.oracles & MODEL_FOLLOWERS) && (!C.model_lost || C.model_diverged);
	return *known && (ref_kserv_may(&C.model->st, pfn) & REF_PERM_W);
}

bool checks_idle(void)
{
	return C.in_flight == 0;
}

bool checks_call_end_verdict(unsigned cpu)
{
	if (!C.violated && !C.off && (C.oracles & (ORACLE_TLB | ORACLE_LOCK)) && hw_oracles_op_end(C.hw, cpu))
		take_hw_violation();
	return C.violated;
}

void checks_step_done(unsigned cpu)
{
	(void)cpu;
	/* the event oracles check every step, online */
	oracle_stats.steps[3] += !C.off && !C.violated && (C.oracles & ORACLE_TLB);
	oracle_stats.steps[5] += !C.off && !C.violated && (C.oracles & ORACLE_LOCK);
	if (C.in_flight == 0 && !C.violated && !C.off)
		quiescent();
}

void checks_final(void)
{
	if (C.in_flight != 0 || C.violated || C.off)
		return;
	quiescent();
	if (C.thorough && !C.violated && !C.model_lost && (C.oracles & ORACLE_REFINE))
		check_state(views_for_check(), true);
	dirty_clear();
}
