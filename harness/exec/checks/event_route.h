/* The machine's events as the checks read them: each event goes only to
 * the trackers and oracles that read its kind, from a table built once for
 * the oracles on, and the machine hands over only the kinds someone reads
 * (event_route_kinds), so an event nobody reads (cache maintenance by
 * line, for one) costs no call at all.  Nothing is copied per event: the recent events a
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

bool event_route_deliver(const struct event_route *r, unsigned readers, const struct sim_event *ev);

/* Feed ev to its readers; true if the event oracles hold a violation. */
static inline bool event_route_feed(const struct event_route *r, const struct sim_event *ev)
{
	unsigned readers = ev->kind < EV__COUNT ? r->readers[ev->kind] : 0;
	return readers && event_route_deliver(r, readers, ev);
}

#endif
