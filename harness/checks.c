/* The oracles as the executor drives them.
 *
 * Calls into the target are buffered in a window while any CPU is inside
 * one; when the machine is quiescent again (no call in flight) the window
 * is replayed on the reference model.  One call: its return code must
 * match.  Several overlapping calls: KCore serialised them in some order
 * consistent with real time, not necessarily the order they returned in,
 * so the model tries the orders that respect real time (A before B when A
 * returned before B began) until one reproduces every return code.  Then
 * the abstract states are compared, the isolation check runs, and pages
 * whose owner changed are checked for scrubbing and cleaning. */
#include "checks.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "abstract.h"
#include "exec.h"
#include "hw_oracles.h"
#include "isolation.h"
#include "ref_image.h"
#include "refinement.h"
#include "refmodel.h"
#include "sched.h"
#include "sim/machine.h"

#define WINDOW_MAX 16     /* calls in one window; more and the model checks stop */
#define SEARCH_BUDGET 512 /* model calls one window's order search may make */

static struct {
	const struct hyp_target *t;
	unsigned oracles;
	struct kcore_boot boot;
	struct ref_model *model;
	struct ref_model *snap[WINDOW_MAX + 1]; /* search depth snapshots, and the window start */
	bool model_lost;          /* the model could not follow: its checks stop */
	unsigned searches_abandoned;
	struct ref_state *abs;
	uint32_t *owner;          /* owner of each RAM page at the last quiescent point */
	struct hw_oracles *hw;
	unsigned in_flight;
	uint64_t seq, step;
	struct call_record win[WINDOW_MAX];
	unsigned nwin;
	bool win_overflow;
	bool violated;
	struct violation v;
} C;

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

bool checks_violated(void)
{
	return C.violated;
}

const struct violation *checks_violation(void)
{
	return &C.v;
}

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
	hw_oracles_event(ctx, ev);
	if (!C.violated && hw_oracles_violation(C.hw))
		take_hw_violation();
}

static unsigned hw_set(unsigned oracles)
{
	return ((oracles & ORACLE_TLB) ? HW_ORACLE_TLB : 0) | ((oracles & ORACLE_CACHE) ? HW_ORACLE_CACHE : 0) |
	       ((oracles & ORACLE_LOCK) ? HW_ORACLE_LOCK : 0);
}

int checks_setup(const struct kcore_boot *boot, const struct hyp_target *t, unsigned oracles)
{
	C.t = t;
	C.oracles = oracles;
	C.boot = *boot;
	C.model = ref_new();
	C.abs = calloc(1, sizeof(*C.abs));
	C.owner = calloc(boot->ram_pages, sizeof(*C.owner));
	C.hw = hw_oracles_create(hw_set(oracles));
	if (!C.model || !C.abs || !C.owner || !C.hw)
		return -1;
	ref_set_image_check(C.model, ref_image_match_sim, NULL);
	if (oracles & (ORACLE_TLB | ORACLE_LOCK))
		sim_set_event_sink(on_event, C.hw);
	return 0;
}

void checks_teardown(void)
{
	sim_set_event_sink(NULL, NULL);
	hw_oracles_destroy(C.hw);
	ref_delete(C.model);
	for (unsigned d = 0; d <= WINDOW_MAX; d++)
		ref_delete(C.snap[d]);
	ref_state_release(C.abs);
	free(C.abs);
	free(C.owner);
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

void checks_reset(unsigned ncpus)
{
	(void)ncpus;
	C.in_flight = 0;
	C.seq = 0;
	C.nwin = 0;
	C.win_overflow = false;
	C.violated = false;
	C.model_lost = false;
	C.step = UINT64_MAX;
	hw_oracles_reset(C.hw);
	if (C.oracles & (ORACLE_REFINE | ORACLE_ISOLATION | ORACLE_CACHE)) {
		ref_init(C.model, &C.boot);
		for (uint64_t i = 0; i < C.boot.ram_pages; i++)
			C.owner[i] = C.model->st.page[i].owner;
	}
}

void checks_set_step(uint64_t step)
{
	C.step = step;
	hw_oracles_set_step(C.hw, step);
}

uint64_t checks_call_begin(unsigned cpu)
{
	(void)cpu;
	if (C.seq == 0)
		register_roots(); /* the tables the target set up at init */
	C.in_flight++;
	return C.seq++;
}

void checks_call_end(const struct call_record *c)
{
	struct call_record r = *c;
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

static int64_t apply(struct ref_model *m, const struct call_record *c)
{
	switch (c->kind) {
	case CALL_HOST: return ref_host_call(m, c->cpu, c->op, c->a0, c->a1, c->a2);
	case CALL_GUEST: return ref_guest_call(m, c->cpu, c->op, c->a0);
	default: return ref_kserv_fault(m, c->cpu, c->a0);
	}
}

static void describe(const struct call_record *c, char *buf, size_t n)
{
	static const char *kind[] = { "hvc", "guest hvc", "kserv fault" };
	snprintf(buf, n, "%s %llu on cpu%u", kind[c->kind], (unsigned long long)(c->kind == CALL_KSERV_FAULT ? c->a0 : c->op), c->cpu);
}

static void model_copy(struct ref_model *d, const struct ref_model *s)
{
	if (!ref_copy(d, s))
		abort(); /* d was sized for the same layout at setup */
}

/* The snapshot for search depth d, made on first use. */
static struct ref_model *snap_at(unsigned d)
{
	if (!C.snap[d]) {
		C.snap[d] = ref_new();
		if (!C.snap[d])
			return NULL;
		ref_set_image_check(C.snap[d], ref_image_match_sim, NULL);
		ref_init(C.snap[d], &C.boot);
	}
	return C.snap[d];
}

/* Can call i go next, given the calls already placed?  Not if another
 * unplaced call returned before i began. */
static bool may_go_next(unsigned i, const bool *placed)
{
	for (unsigned j = 0; j < C.nwin; j++)
		if (!placed[j] && j != i && C.win[j].end < C.win[i].begin)
			return false;
	return true;
}

enum { LIN_FOUND, LIN_NONE, LIN_GAVE_UP };

/* Depth-first search for an order of the window, consistent with real
 * time, in which the model returns what the target returned (the search
 * of a linearizability checker).  Snapshots undo a wrong choice. */
static int linearize(unsigned depth, bool *placed, unsigned *budget)
{
	if (depth == C.nwin)
		return LIN_FOUND;
	struct ref_model *snap = snap_at(depth);
	if (!snap)
		return LIN_GAVE_UP;
	model_copy(snap, C.model);
	for (unsigned i = 0; i < C.nwin; i++) {
		if (placed[i] || !may_go_next(i, placed))
			continue;
		if ((*budget)-- == 0)
			return LIN_GAVE_UP;
		if (apply(C.model, &C.win[i]) == C.win[i].ret) {
			placed[i] = true;
			int r = linearize(depth + 1, placed, budget);
			if (r != LIN_NONE)
				return r;
			placed[i] = false;
		}
		model_copy(C.model, snap);
	}
	return LIN_NONE;
}

static void report_ret(unsigned bad)
{
	char what[64];
	struct violation v;
	describe(&C.win[bad], what, sizeof(what));
	if (refine_check_ret(what, apply(C.model, &C.win[bad]), C.win[bad].ret, &v)) {
		v.step = C.win[bad].step;
		v.cpu = (int)C.win[bad].cpu;
		keep(&v);
	}
}

/* Replay the window on the model.  One call, or calls that did not
 * overlap: in order.  Overlapping calls: KCore serialised them in some
 * order consistent with real time, not necessarily the order they
 * returned in, so search for one.  A window too large to search leaves
 * the model behind KCore: the model checks stop for this run. */
static void check_window(void)
{
	if (C.win_overflow) {
		C.model_lost = true;
		return;
	}
	struct ref_model *start = C.nwin > 1 ? snap_at(WINDOW_MAX) : NULL;
	if (start)
		model_copy(start, C.model);
	for (unsigned i = 0; i < C.nwin; i++) {
		if (apply(C.model, &C.win[i]) == C.win[i].ret)
			continue;
		if (!start || !(C.oracles & ORACLE_REFINE)) {
			if (C.oracles & ORACLE_REFINE)
				report_ret(i); /* model now stands after calls 0..i-1 */
			else
				C.model_lost = true;
			return;
		}
		bool placed[WINDOW_MAX] = { false };
		unsigned budget = SEARCH_BUDGET;
		model_copy(C.model, start);
		int r = linearize(0, placed, &budget);
		if (r == LIN_FOUND)
			return;
		if (r == LIN_GAVE_UP) {
			C.model_lost = true;
			C.searches_abandoned++;
			return;
		}
		model_copy(C.model, start);
		for (unsigned j = 0; j < C.nwin; j++)
			if (apply(C.model, &C.win[j]) != C.win[j].ret) {
				model_copy(C.model, start);
				for (unsigned k = 0; k < j; k++)
					apply(C.model, &C.win[k]);
				report_ret(j);
				return;
			}
		return;
	}
}

/* Pages whose owner changed since the last quiescent point must show the
 * new owner scrubbed (from a VM or KCore to KServ) or cleaned (to a VM). */
static void check_transfers(void)
{
	for (uint64_t i = 0; i < C.boot.ram_pages; i++) {
		uint32_t now = C.model->st.page[i].owner;
		if (now == C.owner[i])
			continue;
		if (!C.violated && hw_oracles_check_transfer(C.hw, C.boot.ram_base_pfn + i, C.owner[i], now))
			take_hw_violation();
		C.owner[i] = now;
	}
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
	bool model = C.oracles & (ORACLE_REFINE | ORACLE_ISOLATION | ORACLE_CACHE);
	if (model && C.nwin && !C.model_lost)
		check_window();
	if (C.model_lost) {
		C.nwin = 0;
		C.win_overflow = false;
		return;
	}
	if (!C.violated && (C.oracles & ORACLE_REFINE) && C.nwin) {
		abs_from_target(C.abs, &C.boot, C.t, &C.model->st);
		if (refine_check_state(&C.model->st, C.abs, &v))
			keep(&v);
	}
	if (!C.violated && (C.oracles & ORACLE_ISOLATION) && isolation_check(&C.model->st, C.t, &v))
		keep(&v);
	if (!C.violated && (C.oracles & ORACLE_CACHE) && window_transfers())
		check_transfers();
	C.nwin = 0;
	C.win_overflow = false;
}

void checks_step_done(unsigned cpu)
{
	(void)cpu;
	if (C.in_flight == 0 && !C.violated)
		quiescent();
}

void checks_final(void)
{
	if (C.in_flight == 0 && !C.violated)
		quiescent();
}
