/* Shortening a failing program: the fewest steps and schedule choices that
 * still give a violation of the same kind. */
#ifndef HARNESS_MINIMIZE_H
#define HARNESS_MINIMIZE_H

#include "program/program.h"
#include "violation.h"

struct minimize_stats {
	unsigned runs;
	unsigned steps_before, steps_after;
	unsigned sched_before, sched_after;
};

/* p must give a violation of kind on the current executor; it is
 * shortened in place, running at most max_runs programs.  Returns false if
 * p does not fail with kind to begin with. */
bool minimize_program(struct program *p, enum violation_kind kind, unsigned max_runs,
		      struct minimize_stats *st);

#endif
