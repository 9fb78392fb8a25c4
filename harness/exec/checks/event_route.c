/* Events to their readers (event_route.h). */
#include "exec/checks/event_route.h"

#include "call_pages.h"
#include "exec/checks/oracle_mask.h"
#include "exec/checks/oracle_stats.h"

enum event_reader {
	READ_OWNER_WRITES = 1u << 0,  /* call_pages: KCore wrote an ownership entry */
	READ_VERIFY = 1u << 1,        /* verify_watch: KCore read the image */
	READ_ACCESS_WRITES = 1u << 2, /* transfers: lines a CPU or device wrote */
	READ_HW = 1u << 3,            /* the TLB and lock discipline oracles */
};

void event_route_build(struct event_route *r, unsigned oracles, const struct hyp_target *t,
		       struct page_log *owner_writes, uint64_t ram_pages, struct verify_watch *verify,
		       struct transfers *transfers, struct hw_oracles *hw)
{
	*r = (struct event_route){ .t = t, .owner_writes = owner_writes, .ram_pages = ram_pages,
				   .verify = verify, .transfers = transfers, .hw = hw };
	hw_oracles_recent_from_machine(hw);
	for (unsigned k = 0; k < EV__COUNT; k++) {
		unsigned m = 0;
		if ((oracles & ORACLE_REFINE) && call_pages_event_reads(k))
			m |= READ_OWNER_WRITES;
		if ((oracles & ORACLE_REFINE) && verify_watch_reads(k))
			m |= READ_VERIFY;
		if ((oracles & ORACLE_CACHE) && transfers_reads(k))
			m |= READ_ACCESS_WRITES;
		if (hw_oracles_reads(hw, k))
			m |= READ_HW;
		r->readers[k] = (uint8_t)m;
		if (m)
			r->kinds |= 1u << k;
	}
}

bool event_route_deliver(const struct event_route *r, unsigned readers, const struct sim_event *ev)
{
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
