/* The machine's events as the checks read them: each event goes only to
 * the trackers and oracles that read its kind, from a table built once for
 * the oracles on, so an event nobody reads (most cache maintenance, for
 * one) costs a lookup.  Nothing is copied per event: the recent events a
 * violation shows come from the machine's own record. */
#ifndef HARNESS_EVENT_ROUTE_H
#define HARNESS_EVENT_ROUTE_H

#include <stdbool.h>
#include <stdint.h>

#include "exec/checks/track/check_transfers.h"
#include "exec/checks/track/check_verify.h"
#include "hw_oracles.h"
#include "hyp_target.h"
#include "page_log.h"
#include "sim/event.h"

struct event_route {
	uint8_t readers[EV__COUNT]; /* per kind: enum event_reader of event_route.c */
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

bool event_route_deliver(const struct event_route *r, unsigned readers, const struct sim_event *ev);

/* Feed ev to its readers; true if the event oracles hold a violation. */
static inline bool event_route_feed(const struct event_route *r, const struct sim_event *ev)
{
	unsigned readers = ev->kind < EV__COUNT ? r->readers[ev->kind] : 0;
	return readers && event_route_deliver(r, readers, ev);
}

#endif
