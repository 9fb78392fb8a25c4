/* Lock discipline oracle: every access to shared KCore state holds the lock
 * kcore_locks.h assigns it, locks are taken in strictly increasing class
 * order, released only by their holder, and none outlives its operation.
 *
 * It keeps each CPU's lockset from EV_LOCK_ACQUIRE / EV_LOCK_RELEASE and
 * checks every EV_SHARED_ACCESS against it.  Reports (violation.h):
 *   lock-not-held    an object accessed without kobj_lock(obj) held by the
 *                    accessing CPU (an object of no known class has no lock
 *                    that could protect it, so it is reported too)
 *   lock-order       a lock taken whose class is not greater than every
 *                    class the CPU holds (taking one already held included)
 *   unlock-not-held  a release by a CPU that does not hold the lock
 *   lock-leaked      lock_oracle_op_end with locks still held
 * vm is the VM handle when the lock or object is per VM, else 0.
 */
#ifndef ORACLES_HW_LOCK_DISCIPLINE_H
#define ORACLES_HW_LOCK_DISCIPLINE_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/types.h"
#include "lock_names.h" /* the names its reports use */
#include "sim/event.h"
#include "violation.h"

/* KCore has five lock classes; room beyond that keeps a wrong history
 * checkable (its order violations are still reported). */
#define LOCK_MAX_HELD 16

struct lock_oracle {
	uint8_t nheld[ARCH_MAX_CPUS];
	uint32_t held[ARCH_MAX_CPUS][LOCK_MAX_HELD]; /* in acquisition order */
	bool overflow; /* a lockset was full: releases of untracked locks are not judged */
};

void lock_oracle_reset(struct lock_oracle *o);
/* Whether events of this kind can change the oracle's state (lock
 * acquire and release, shared accesses): feeding it any other is a no-op. */
bool lock_oracle_reads(unsigned kind);
/* Feed one event.  Returns true and fills *v on a violation. */
bool lock_oracle_event(struct lock_oracle *o, const struct sim_event *ev, struct violation *v);
/* The operation on cpu returned.  Returns true and fills *v if it left
 * locks held; the lockset is emptied either way. */
bool lock_oracle_op_end(struct lock_oracle *o, unsigned cpu, struct violation *v);

#endif
