/* The oracles as the executor drives them.
 *
 * Calls into the target are buffered in a window while any CPU is inside
 * one; when the machine is quiescent again (no call in flight) the window
 * is replayed on the reference model (oracles/model/lin/linearize.h).  Then
 * the abstract states are compared, the isolation check runs, and pages
 * whose owner changed are checked for scrubbing and cleaning. */
#include "exec/checks/checks.h"
#include "exec/checks/event_route.h"
#include "exec/checks/track/check_roots.h"
#include "exec/checks/track/check_transfers.h"
#include "exec/checks/track/check_verify.h"
#include "exec/checks/track/check_views.h"

#include <stdlib.h>
#include <string.h>

#include "exec/checks/oracle_mask.h"
#include "exec/checks/oracle_stats.h"
#include "exec/machine/sched.h"
#include "hw/hw_oracles.h"
#include "model/isolation/isolation.h"
#include "model/isolation/isolation_iotlb.h"
#include "model/isolation/isolation_watch.h"
#include "model/lin/call_pages.h"
#include "model/lin/linearize.h"
#include "model/ref/refmodel.h"
#include "model/refine/abstract.h"
#include "model/refine/refinement.h"
#include "model/s2/s2tree.h"
#include "model/state/ref_reach.h"
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
	struct verify_watch verify;
	struct ref_state *abs;
	struct transfers transfers; /* the cache check's owners and writes */
	struct hw_oracles *hw;
	struct event_route route; /* the events to the state above that reads them */
	struct s2_trees trees;    /* the tables as last read: one scan for abstraction and isolation */
	struct isolation_watch *iso;
	struct iotlb_watch iotlb;
	bool sweep;               /* ORACLE_THOROUGH: full sweeps instead of the incremental checks */
	/* RAM pages whose ownership entry may have changed since the last
	 * state check: the ones KCore wrote (from the event stream) and the
	 * ones the window's calls name.  Comparing only those keeps a state
	 * check independent of the size of RAM; the check at the end of each
	 * run compares every page. */
	struct page_log dirty;
	struct refine_memo refine_memo; /* what the state check last found equal */
	struct abs_memo abs_memo;       /* what the abstraction into abs last saw */
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
	(void)ctx;
	if (!C.off && event_route_feed(&C.route, ev) && !C.violated)
		take_hw_violation();
}

void checks_enable(bool on)
{
	C.off = !on; /* a run only observed is handed no event */
	sim_set_event_kinds(on_event, on ? event_route_kinds(&C.route) : 0);
}

/* Every event the machine emitted in the run was fed to the oracles
 * that read events (each judges the kinds it reads). */
void checks_run_done(void)
{
	if (C.off)
		return;
	uint64_t n = sim_event_count();
	oracle_stats.events[1] += (C.oracles & ORACLE_REFINE) ? n : 0;
	oracle_stats.events[3] += (C.oracles & ORACLE_TLB) ? n : 0;
	oracle_stats.events[5] += (C.oracles & ORACLE_LOCK) ? n : 0;
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
	C.hw = hw_oracles_create(hw_set(oracles));
	C.iso = isolation_watch_new();
	C.sweep = oracles & ORACLE_THOROUGH;
	if (!C.model || !C.abs || !C.hw || !C.iso || !transfers_setup(&C.transfers, boot->ram_pages) ||
	    !s2_trees_init(&C.trees, boot->ram_base_pfn << PAGE_SHIFT, boot->ram_pages << PAGE_SHIFT) ||
	    !page_log_size(&C.dirty, boot->ram_pages))
		return -1;
	lin_init(&C.lin, &C.boot);
	lin_attach(&C.lin, C.model);
	event_route_build(&C.route, oracles, t, &C.dirty, boot->ram_pages, &C.verify, &C.transfers, C.hw);
	if (oracles & (ORACLE_TLB | ORACLE_LOCK | ORACLE_REFINE | ORACLE_CACHE))
		sim_set_event_sink(on_event, NULL);
	checks_enable(true);
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
	transfers_release(&C.transfers);
	refine_memo_release(&C.refine_memo);
	page_log_release(&C.dirty);
	memset(&C, 0, sizeof(C));
}

static void register_roots(void)
{
	if (C.oracles & ORACLE_TLB)
		roots_register(C.hw, C.t);
}

void checks_set_caps(const struct kcore_caps *caps)
{
	C.boot.caps = *caps;
}

void checks_reset(unsigned ncpus)
{
	(void)ncpus;
	check_views_forget();
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
	verify_watch_reset(&C.verify);
	C.step = UINT64_MAX;
	hw_oracles_reset(C.hw);
	if (C.oracles & MODEL_FOLLOWERS) {
		ref_init(C.model, &C.boot);
		transfers_reset(&C.transfers, &C.model->st);
		/* KCore's pages start as the model's; the full check at the
		 * end of the run holds this to account */
		ref_state_copy(C.abs, &C.model->st);
		abs_memo_forget(&C.abs_memo);
		page_log_clear(&C.dirty);
		isolation_watch_reset(C.iso, &C.model->st);
		refine_memo_forget(&C.refine_memo);
		C.iotlb = (struct iotlb_watch){ 0 };
	}
	writes_clear(&C.transfers.writes);
}

void checks_set_step(uint64_t step)
{
	C.step = step;
	hw_oracles_set_step(C.hw, step);
}

uint64_t checks_call_begin(struct call_record *c)
{
	check_views_forget();
	c->image_ok = -1;
	if (!C.off) {
		if (C.seq == 0)
			register_roots(); /* the tables the target set up at init */
		verify_watch_begin(&C.verify, c);
	}
	C.in_flight++;
	return C.seq++;
}

void checks_call_end(const struct call_record *c)
{
	if (C.off) {
		C.in_flight--;
		return;
	}
	/* recorded in its window slot at once: one copy per call */
	struct call_record lost, *r = C.nwin < WINDOW_MAX ? &C.win[C.nwin++] : &lost;
	C.win_overflow |= r == &lost;
	*r = *c;
	verify_watch_end(&C.verify, r);
	r->end = C.seq++;
	r->step = C.step;
	C.in_flight--;
	if (!C.violated && hw_oracles_op_end(C.hw, c->cpu))
		take_hw_violation();
	if (r->kind == CALL_HOST && (r->op == HVC_REGISTER_VM || r->op == HVC_SMMU_ALLOC) && r->ret >= 0)
		register_roots();
}

/* Replay the window on the model.  A window the model cannot follow
 * leaves it behind the target: the model checks stop for this run. */
static void check_window(void)
{
	struct violation v;
	if (C.win_overflow) {
		C.model_lost = true;
		return;
	}
	switch (lin_check(&C.lin, C.model, C.win, C.nwin, C.oracles & ORACLE_REFINE, &v)) {
	case LIN_MATCH: return;
	case LIN_MISMATCH: keep(&v); return;
	default:
		/* Without refinement, a replay is lost only where the target
		 * broke the contract. */
		C.model_lost = true;
		C.model_diverged = !(C.oracles & ORACLE_REFINE);
		return;
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
			  : abs_from_target_kept(C.abs, &C.boot, t, &C.model->st, &C.trees, &C.abs_memo, idx,
						 C.dirty.n);
	if (!ok)
		return;
	bool bad;
	if (whole)
		bad = refine_check_state(&C.model->st, C.abs, &v);
	else if (C.sweep)
		bad = refine_check_state_pages(&C.model->st, C.abs, C.dirty.idx, C.dirty.n, &v);
	else
		bad = refine_check_state_since(&C.refine_memo, &C.model->st, C.abs, C.dirty.idx, C.dirty.n, &v);
	if (!bad)
		return;
	/* One fault seen by both: isolation's verdict is the more specific. */
	struct violation iso;
	if ((C.oracles & ORACLE_ISOLATION) && isolation_check(&C.model->st, C.t, &iso))
		v = iso;
	keep(&v);
}

static void quiescent(void)
{
	struct violation v;
	bool model = C.oracles & MODEL_FOLLOWERS;
	if (model && C.nwin && !C.model_lost)
		check_window();
	if (C.model_lost) {
		page_log_clear(&C.dirty);
		writes_clear(&C.transfers.writes);
		C.nwin = 0;
		C.win_overflow = false;
		return;
	}
	if (C.nwin)
		call_pages_log(&C.dirty, &C.model->st, C.abs, C.win, C.nwin);
	const struct hyp_target *t = check_views(C.t);
	if (!C.violated && (C.oracles & ORACLE_REFINE) && C.nwin) {
		oracle_stats.steps[1]++;
		check_state(t, false);
	}
	oracle_stats.steps[2] += !C.violated && (C.oracles & ORACLE_ISOLATION);
	if (!C.violated && (C.oracles & ORACLE_ISOLATION) &&
	    (C.sweep ? isolation_check(&C.model->st, t, &v)
		     : isolation_watch_check(C.iso, &C.model->st, C.nwin != 0, t, &C.trees, &v)))
		keep(&v);
	if (!C.violated && (C.oracles & ORACLE_ISOLATION) &&
	    (C.sweep ? isolation_iotlb_check(&C.model->st, &v)
		     : isolation_iotlb_watch(&C.iotlb, &C.model->st, isolation_watch_reach_moved(C.iso), &v)))
		keep(&v);
	if (!C.violated && (C.oracles & ORACLE_CACHE) && call_pages_transfer(C.win, C.nwin)) {
		oracle_stats.steps[4]++;
		if (transfers_check(&C.transfers, &C.dirty, &C.model->st, C.hw))
			take_hw_violation();
	}
	page_log_clear(&C.dirty);
	writes_clear(&C.transfers.writes);
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
		check_state(check_views(C.t), true);
	page_log_clear(&C.dirty);
}
