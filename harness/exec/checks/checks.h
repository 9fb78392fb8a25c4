/* The oracles as the executor sees them: told about every KCore call and
 * every finished step, they run the per-event checks online (TLB, locks)
 * and the state checks (refinement, isolation, cache) whenever no call is
 * in flight on any CPU. */
#ifndef HARNESS_CHECKS_H
#define HARNESS_CHECKS_H

#include <stdbool.h>
#include <stdint.h>

#include "hyp_target.h"
#include "model/lin/linearize.h" /* struct call_record */
#include "violation.h"

int checks_setup(const struct kcore_boot *boot, const struct hyp_target *t, unsigned oracles, bool thorough);
void checks_teardown(void);
/* A fresh run on a freshly initialised target. */
/* The capacities of the next run's layout (kcore_boot.caps). */
void checks_set_caps(const struct kcore_caps *caps);
void checks_reset(unsigned ncpus);

void checks_set_step(uint64_t step);
/* A call to the target starts (kind, cpu, op and arguments filled in);
 * returns its sequence number, and notes in c what the checks need to
 * know about the moment it began. */
uint64_t checks_call_begin(struct call_record *c);
void checks_call_end(const struct call_record *c);
/* A step ended on cpu: the quiescent checks run if nothing is in flight. */
void checks_step_done(unsigned cpu);
void checks_final(void);
/* The run is over (violation or not): counts the events the oracles were
 * fed (oracle_stats). */
void checks_run_done(void);

/* Report a violation found by the executor itself (a KCore panic, a
 * deadlock).  The first violation of a run is kept. */
void checks_report(const struct violation *v);
/* KCore panicked on cpu at the end of a call: run the event oracles'
 * end-of-call checks for it now; true if they (or an earlier check) hold
 * a violation. */
bool checks_call_end_verdict(unsigned cpu);
/* Whether the contract lets KServ write page pfn now, by the reference
 * model as of the last quiescent point; *known false when the model is not
 * following this run. */
bool checks_kserv_may_write(uint64_t pfn, bool *known);
/* No call in flight on any CPU: the model stands where the machine does. */
bool checks_idle(void);
bool checks_violated(void);
/* Off: a run that is only observed (the noninterference twin); a KCore
 * panic or a deadlock is still reported. */
void checks_enable(bool on);
const struct violation *checks_violation(void);

#endif
