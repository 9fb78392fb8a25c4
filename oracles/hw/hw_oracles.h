/* The event-stream oracles behind one sink: TLB discipline and lock
 * discipline read the event kinds they judge, cache bypass checks each ownership transfer
 * the caller reports.  The first violation is kept, with the program step
 * the caller set and the last VIOLATION_RECENT events seen, oldest first;
 * after it nothing more is checked until a reset.
 *
 *   struct hw_oracles *h = hw_oracles_create(HW_ORACLE_ALL);
 *   sim_set_event_sink(hw_oracles_event, h);
 *   ... per step: hw_oracles_set_step(h, i); run it; hw_oracles_op_end(h, cpu);
 *   if (hw_oracles_violation(h)) ...
 *
 * Feeding an event costs a table lookup, and for a kind an enabled oracle
 * reads a switch and a few loads when no page-table work is pending;
 * nothing is allocated after create.
 */
#ifndef ORACLES_HW_HW_ORACLES_H
#define ORACLES_HW_HW_ORACLES_H

#include <stdbool.h>
#include <stdint.h>

#include "hw/tlb/tlb_discipline.h"
#include "sim/event.h"
#include "violation.h"

enum hw_oracle_set {
	HW_ORACLE_TLB = 1u << 0,
	HW_ORACLE_CACHE = 1u << 1,
	HW_ORACLE_LOCK = 1u << 2,
	HW_ORACLE_ALL = HW_ORACLE_TLB | HW_ORACLE_CACHE | HW_ORACLE_LOCK,
};

struct hw_oracles;

/* enabled: the HW_ORACLE_* to run.  NULL when out of memory. */
struct hw_oracles *hw_oracles_create(unsigned enabled);
void hw_oracles_destroy(struct hw_oracles *h);
/* Forget all state and the violation (between fuzz inputs); keeps the
 * enabled set and the step. */
void hw_oracles_reset(struct hw_oracles *h);
/* Switch oracles on or off; one switched off forgets what it knew, and
 * starts from nothing when switched on again. */
void hw_oracles_enable(struct hw_oracles *h, unsigned enabled);
unsigned hw_oracles_enabled(const struct hw_oracles *h);

/* The program step violations are charged to. */
void hw_oracles_set_step(struct hw_oracles *h, uint64_t step);

/* Feed one event.  Returns true if a violation is recorded (now or
 * before). */
bool hw_oracles_feed(struct hw_oracles *h, const struct sim_event *ev);
/* The same as a sim_event_fn: ctx is the struct hw_oracles. */
void hw_oracles_event(void *ctx, const struct sim_event *ev);
/* The HW_ORACLE_* among the enabled ones that read events of this kind.
 * With none, feeding such an event only keeps it among the recent ones,
 * so a caller that gets those from the machine may skip it. */
unsigned hw_oracles_reads(const struct hw_oracles *h, unsigned kind);
/* A violation's recent events are the machine's last ones
 * (sim_recent_events) instead of the last ones fed, and events are no
 * longer copied as they are fed: for a caller that feeds every event the
 * machine emits (or skips only those no enabled oracle reads) from the
 * machine's restore and the oracles' reset on. */
void hw_oracles_recent_from_machine(struct hw_oracles *h);
/* The operation on cpu returned: boundary checks (TLBIs completed, no lock
 * held).  Returns true if a violation is now recorded. */
bool hw_oracles_op_end(struct hw_oracles *h, unsigned cpu);
/* Page pfn changed owner (see cache_bypass.h).  Returns true if a
 * violation is now recorded. */
bool hw_oracles_check_transfer(struct hw_oracles *h, uint64_t pfn, unsigned old_owner,
			       unsigned new_owner);

/* The same, passing over the lines in skip_lines (cache_bypass.h). */
bool hw_oracles_check_transfer_skip(struct hw_oracles *h, uint64_t pfn, unsigned old_owner,
				    unsigned new_owner, uint64_t skip_lines);

/* The first violation, or NULL. */
const struct violation *hw_oracles_violation(const struct hw_oracles *h);
/* The TLB oracle, to declare roots (tlb_oracle_add_root). */
struct tlb_oracle *hw_oracles_tlb(struct hw_oracles *h);

#endif
