/* The model oracles as the harness drives them: keep the reference model
 * in step with the hypervisor under test and check it by refinement and
 * isolation.
 *
 * Each call of the target, once it has returned, goes to the model too
 * (model_oracle_host_call and friends): the model runs the same operation
 * on the same CPU and the return codes must agree.  Calls that overlap on
 * several CPUs are handed over in the order they took effect.  Whenever no
 * call is in flight on any CPU, model_oracle_quiescent compares the states
 * and checks isolation; after a step that does not enter the target (an
 * access, a speculative TLB fill, an eviction) only isolation can change,
 * but calling it then is what catches reach through stale TLB entries.
 */
#ifndef ORACLES_MODEL_MODEL_ORACLE_H
#define ORACLES_MODEL_MODEL_ORACLE_H

#include <stdbool.h>
#include <stdint.h>

#include "hyp_target.h"
#include "model/ref/refmodel.h"
#include "model/state/refstate.h"
#include "violation.h"

/* Each check can be switched off on its own. */
enum model_check {
	MODEL_CHECK_RET = 1u << 0,       /* return codes (V_RET_MISMATCH) */
	MODEL_CHECK_STATE = 1u << 1,     /* abstract states (V_STATE_MISMATCH) */
	MODEL_CHECK_ISOLATION = 1u << 2, /* reach (V_KSERV/VM/DMA/TABLE_REACH) */
	MODEL_CHECK_ALL = 7u,
};

struct model_oracle {
	unsigned checks;                 /* MODEL_CHECK_* */
	const struct hyp_target *target;
	struct ref_model *model;
	struct ref_state *concrete;      /* scratch: the abstraction of the target's state */
};

/* Allocate once; false when memory is short.  The model verifies images
 * against the guest images in the machine's memory (ref_image.h). */
bool model_oracle_create(struct model_oracle *o, const struct hyp_target *t, unsigned checks);
void model_oracle_destroy(struct model_oracle *o);

/* After the target's init(boot) returned ret (and init_cpu ran on every
 * CPU): reset the model.  A layout either side refuses leaves nothing to
 * compare but the return codes. */
bool model_oracle_reset(struct model_oracle *o, const struct kcore_boot *boot, int64_t ret, struct violation *v);

/* A call of the target on cpu returned ret.  true: a violation, in *v. */
bool model_oracle_host_call(struct model_oracle *o, unsigned cpu, uint64_t op, uint64_t a0, uint64_t a1,
			    uint64_t a2, int64_t ret, struct violation *v);
bool model_oracle_guest_call(struct model_oracle *o, unsigned cpu, uint64_t op, uint64_t a0, int64_t ret,
			     struct violation *v);
bool model_oracle_kserv_fault(struct model_oracle *o, unsigned cpu, uint64_t pa, int64_t ret, struct violation *v);

/* No call in flight: the state and isolation checks that are enabled. */
bool model_oracle_quiescent(struct model_oracle *o, struct violation *v);

#endif
