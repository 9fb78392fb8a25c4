/* The baseline's model against real KVM, step by step: every step that
 * ran on both must have observed the same (compare_match.c says what is
 * compared per kind). */
#ifndef HARNESS_COMPARE_MATCH_H
#define HARNESS_COMPARE_MATCH_H

#include "compare/compare.h"

#define MATCH_MAX_DIFFS 64

enum match_verdict { MATCH_SAME, MATCH_DIFFERENT, MATCH_EXPLAINED };

struct step_diff {
	unsigned step;
	enum match_verdict verdict;     /* DIFFERENT or EXPLAINED */
	char model[48], kvm[48];        /* what each observed */
	char why[160];                  /* EXPLAINED: the reason */
};

struct case_match {
	unsigned same, different, explained, not_applicable;
	struct step_diff diff[MATCH_MAX_DIFFS];
	unsigned ndiff;
};

void match_case(const struct kvm_case *c, struct case_match *m);

#endif
