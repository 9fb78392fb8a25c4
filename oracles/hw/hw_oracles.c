#include "hw/hw_oracles.h"

#include <stdlib.h>

#include "hw/cache_bypass.h"
#include "hw/lock_discipline.h"
#include "sim/machine.h"

struct hw_oracles {
	unsigned enabled;
	uint8_t reads[EV__COUNT]; /* per event kind: the enabled oracles that read it */
	bool machine_recent;    /* recent events from the machine's record, not ring */
	uint64_t step;
	struct tlb_oracle *tlb;
	struct lock_oracle lock;
	bool have;              /* a violation is recorded */
	struct violation first;
	uint64_t seen;          /* events fed since the reset */
	struct sim_event ring[VIOLATION_RECENT];
};

struct hw_oracles *hw_oracles_create(unsigned enabled)
{
	struct hw_oracles *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	h->tlb = tlb_oracle_create();
	if (!h->tlb) {
		free(h);
		return NULL;
	}
	hw_oracles_enable(h, enabled);
	h->step = VIOLATION_NO_STEP;
	hw_oracles_reset(h);
	return h;
}

void hw_oracles_destroy(struct hw_oracles *h)
{
	if (!h)
		return;
	tlb_oracle_destroy(h->tlb);
	free(h);
}

void hw_oracles_reset(struct hw_oracles *h)
{
	tlb_oracle_reset(h->tlb);
	lock_oracle_reset(&h->lock);
	h->have = false;
	h->seen = 0;
}

void hw_oracles_enable(struct hw_oracles *h, unsigned enabled)
{
	unsigned off = h->enabled & ~enabled;

	if (off & HW_ORACLE_TLB)
		tlb_oracle_reset(h->tlb);
	if (off & HW_ORACLE_LOCK)
		lock_oracle_reset(&h->lock);
	h->enabled = enabled & HW_ORACLE_ALL;
	for (unsigned k = 0; k < EV__COUNT; k++)
		h->reads[k] = (uint8_t)(((h->enabled & HW_ORACLE_TLB) && tlb_oracle_reads(k) ? HW_ORACLE_TLB : 0) |
					((h->enabled & HW_ORACLE_LOCK) && lock_oracle_reads(k) ? HW_ORACLE_LOCK : 0));
}

unsigned hw_oracles_reads(const struct hw_oracles *h, unsigned kind)
{
	return kind < EV__COUNT ? h->reads[kind] : 0;
}

void hw_oracles_recent_from_machine(struct hw_oracles *h)
{
	h->machine_recent = true;
}

unsigned hw_oracles_enabled(const struct hw_oracles *h)
{
	return h->enabled;
}

void hw_oracles_set_step(struct hw_oracles *h, uint64_t step)
{
	h->step = step;
}

/* Keep v as the first violation, with the step and the events before it. */
static void record(struct hw_oracles *h, const struct violation *v)
{
	unsigned n = h->seen < VIOLATION_RECENT ? (unsigned)h->seen : VIOLATION_RECENT;

	h->first = *v;
	h->first.step = h->step;
	if (h->machine_recent) {
		h->first.nrecent = sim_recent_events(h->first.recent, VIOLATION_RECENT);
	} else {
		h->first.nrecent = n;
		for (unsigned i = 0; i < n; i++)
			h->first.recent[i] = h->ring[(h->seen - n + i) % VIOLATION_RECENT];
	}
	h->have = true;
}

bool hw_oracles_feed(struct hw_oracles *h, const struct sim_event *ev)
{
	struct violation v;

	if (h->have)
		return true;
	if (!h->machine_recent) {
		h->ring[h->seen % VIOLATION_RECENT] = *ev;
		h->seen++;
	}
	unsigned reads = ev->kind < EV__COUNT ? h->reads[ev->kind] : 0;
	if ((reads & HW_ORACLE_TLB) && tlb_oracle_event(h->tlb, ev, &v))
		record(h, &v);
	else if ((reads & HW_ORACLE_LOCK) && lock_oracle_event(&h->lock, ev, &v))
		record(h, &v);
	return h->have;
}

void hw_oracles_event(void *ctx, const struct sim_event *ev)
{
	(void)hw_oracles_feed(ctx, ev);
}

bool hw_oracles_op_end(struct hw_oracles *h, unsigned cpu)
{
	struct violation v;

	if (h->have)
		return true;
	if ((h->enabled & HW_ORACLE_TLB) && tlb_oracle_op_end(h->tlb, cpu, &v))
		record(h, &v);
	else if ((h->enabled & HW_ORACLE_LOCK) && lock_oracle_op_end(&h->lock, cpu, &v))
		record(h, &v);
	return h->have;
}

bool hw_oracles_check_transfer(struct hw_oracles *h, uint64_t pfn, unsigned old_owner,
			       unsigned new_owner)
{
	return hw_oracles_check_transfer_skip(h, pfn, old_owner, new_owner, 0);
}

bool hw_oracles_check_transfer_skip(struct hw_oracles *h, uint64_t pfn, unsigned old_owner,
				    unsigned new_owner, uint64_t skip_lines)
{
	struct violation v;

	if (h->have)
		return true;
	if ((h->enabled & HW_ORACLE_CACHE) &&
	    cache_oracle_check_transfer_skip(pfn, old_owner, new_owner, skip_lines, &v))
		record(h, &v);
	return h->have;
}

const struct violation *hw_oracles_violation(const struct hw_oracles *h)
{
	return h->have ? &h->first : NULL;
}

struct tlb_oracle *hw_oracles_tlb(struct hw_oracles *h)
{
	return h->tlb;
}
