/* The machine's events as the checks read them: each event goes only to
 * the trackers and oracles that read its kind, from a table built once for
 * the oracles on, and the machine hands over only the kinds someone reads
 * (event_route_kinds), so an event nobody reads (cache maintenance by
 * line, for one) costs no call at all.  Nothing is copied per event: the
 * recent events a violation shows come from the machine's own record. */
#ifndef HARNESS_EVENT_ROUTE_H
#define HARNESS_EVENT_ROUTE_H

#include <stdbool.h>
#include <stdint.h>

#include "exec/checks/oracle_stats.h"
#include "exec/checks/track/check_transfers.h"
#include "exec/checks/track/check_verify.h"
#include "hw/hw_oracles.h"
#include "hyp_target.h"
#include "model/lin/call_pages.h"
#include "model/state/page_log.h"
#include "sim/event.h"

struct event_route {
	uint8_t readers[EV__COUNT]; /* per kind: enum event_reader below */
	uint32_t kinds;             /* bit 1u << kind: the kinds with a reader */
	const struct hyp_target *t;
	struct page_log *owner_writes; /* ownership entries KCore wrote (refinement) */
	uint64_t ram_pages;
	struct verify_watch *verify;
	struct transfers *transfers;
	struct hw_oracles *hw;
};

/* The readers for oracles (ORACLE_*) and the state they feed; hw takes
 * its recent events from the machine from now on. */
void event_route_build(struct event_route *r, unsigned oracles, const struct hyp_target *t,
		       struct page_log *owner_writes, uint64_t ram_pages, struct verify_watch *verify,
		       struct transfers *transfers, struct hw_oracles *hw);

/* The kinds some reader reads, for sim_set_event_kinds: feeding an event
 * of another kind does nothing. */
static inline uint32_t event_route_kinds(const struct event_route *r)
{
	return r->kinds;
}

enum event_reader {
	READ_OWNER_WRITES = 1u << 0,  /* call_pages: KCore wrote an ownership entry */
	READ_VERIFY = 1u << 1,        /* verify_watch: KCore read the image */
	READ_ACCESS_WRITES = 1u << 2, /* transfers: lines a CPU or device wrote */
	READ_HW = 1u << 3,            /* the TLB and lock discipline oracles */
};

/* Feed ev to its readers; true if the event oracles hold a violation.
 * Inline: the checks' sink is its one caller, once per event handed over. */
static inline bool event_route_feed(const struct event_route *r, const struct sim_event *ev)
{
	unsigned readers = ev->kind < EV__COUNT ? r->readers[ev->kind] : 0;

	if (readers & READ_OWNER_WRITES)
		call_pages_note_event(r->owner_writes, r->ram_pages, ev);
	if (readers & READ_VERIFY)
		verify_watch_event(r->verify, r->t, ev);
	if (readers & READ_ACCESS_WRITES) {
		oracle_stats.events[4]++;
		transfers_note_write(r->transfers, r->t, ev);
	}
	return (readers & READ_HW) && hw_oracles_feed(r->hw, ev);
}

#endif
