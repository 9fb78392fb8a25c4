/* Events to their readers (event_route.h). */
#include "exec/checks/event_route.h"

#include "exec/checks/oracle_mask.h"

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
