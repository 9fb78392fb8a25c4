/* Replaying a window of calls on the reference model.
 *
 * Calls into the target are collected while any CPU is inside one; when
 * none is, the window is replayed on the model.  One call, or calls that
 * did not overlap: in order, and each return code must match.  Several
 * overlapping calls: the target serialised them in some order consistent
 * with real time (A before B when A returned before B began), not
 * necessarily the order they returned in, so the model tries such orders,
 * depth first with snapshots to undo a wrong choice (the search of a
 * linearizability checker), until one reproduces every return code.
 */
#ifndef ORACLES_MODEL_LINEARIZE_H
#define ORACLES_MODEL_LINEARIZE_H

#include <stdbool.h>
#include <stdint.h>

#include "hyp/kcore.h"
#include "model/ref/refmodel.h"

#define LIN_WINDOW_MAX 16   /* calls in one window; more and the model checks stop */
#define LIN_SEARCH_BUDGET 512 /* model calls one window's search may make */

enum call_kind { CALL_HOST, CALL_GUEST, CALL_KSERV_FAULT };

struct call_record {
	enum call_kind kind;
	unsigned cpu;
	uint64_t op, a0, a1, a2;
	int64_t ret;
	uint64_t step;
	uint64_t begin, end;   /* call sequence numbers at entry and exit */
	int image_ok;          /* verify_vm_image: did the image match when the target read it (-1: unknown) */
};

struct lin_search {
	const struct kcore_boot *boot;
	struct ref_model *snap[LIN_WINDOW_MAX + 1]; /* per search depth, and the window start; made on first use */
	int image_verdict;     /* of the verify call being replayed, or -1 */
	unsigned abandoned;    /* searches that ran out of budget */
};

enum lin_result {
	LIN_MATCH,       /* the model stands after the window, every return code matched */
	LIN_MISMATCH,    /* call *bad returned what no order allows; the model stands just before it */
	LIN_LOST,        /* the model could not follow (window too large, search out of budget) */
};

/* For models of the layout boot; l keeps a pointer to boot. */
void lin_init(struct lin_search *l, const struct kcore_boot *boot);
void lin_release(struct lin_search *l);
/* Make model verify images as the replayed call saw them (call_record's
 * image_ok), else as they are in the machine's memory now. */
void lin_attach(struct lin_search *l, struct ref_model *model);
/* One call on the model; its return code. */
int64_t lin_apply(struct lin_search *l, struct ref_model *m, const struct call_record *c);
/* Replay win[0..n) on model; search: look for another order when the
 * calls overlap and the given one fails (false: a failing call ends the
 * replay as LIN_LOST). */
enum lin_result lin_replay(struct lin_search *l, struct ref_model *model, const struct call_record *win, unsigned n,
			   bool search, unsigned *bad);

/* A window judged (lin_check.c): lin_replay, and for a call that returned
 * what no order allows, its V_RET_MISMATCH in v (the step and CPU of that
 * call).  LIN_MISMATCH only with v filled. */
struct violation;
enum lin_result lin_check(struct lin_search *l, struct ref_model *model, const struct call_record *win, unsigned n,
			  bool search, struct violation *v);

#endif
