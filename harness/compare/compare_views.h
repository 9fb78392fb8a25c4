/* Runs on every target seen the same way: per step a view
 * (compare_outcome.h) and the order the steps ran in. */
#ifndef HARNESS_COMPARE_VIEWS_H
#define HARNESS_COMPARE_VIEWS_H

#include "compare/compare.h"
#include "compare/compare_outcome.h"

struct target_run {
	struct step_view view[PROGRAM_MAX_STEPS];
	unsigned order[PROGRAM_MAX_STEPS];
	unsigned n;
	struct outcome out;
};

/* A run of the machine model (KCore or the baseline's model). */
void views_from_model(const struct program *p, const struct exec_result *r, struct target_run *t);
/* A run on KVM.  Grants and revokes have no KVM meaning; the guest's
 * intent to share a page is taken from the baseline's run, so that a
 * page it shared is not counted as a break on KVM either. */
void views_from_kvm(const struct kvm_case *c, struct target_run *t);

#endif
