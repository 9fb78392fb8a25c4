/* Relaxed ordering of table writes and TLB invalidation, as the Arm ARM
 * allows it (B2.3, D8.13 "TLB maintenance requirements"):
 *
 * - A descriptor write by one CPU is visible to that CPU's own walks at
 *   once, and to other CPUs' walkers and the SMMU's only once the writer's
 *   next DSB completes (or earlier, when a program publishes them).  Until
 *   then they walk the old descriptor: each CPU keeps its unpublished
 *   writes, with the value they replaced, in a small buffer.
 * - A TLBI completes at the issuer's next DSB: until then every CPU may
 *   still use the entries it matches.  At completion it removes the
 *   entries filled before it was issued; later fills came from what the
 *   walkers saw after it, which the issuer ordered with its own DSB.
 * - A TLBI issued while the issuer's own descriptor writes are still
 *   unpublished is not ordered after them: another CPU's walker may refill
 *   its entry from the old descriptor after the TLBI has passed it.  The
 *   model takes that choice: other CPUs keep the matching entries they had
 *   (as refilled from the old descriptor); the issuer's own are removed.
 *   The SMMU's invalidation (with its sync) completes at once, under the
 *   same rule for the unit's IOTLB.
 *
 * Everything here is a function of the steps and the schedule, so runs
 * replay bit for bit.  With the relaxed model off, writes are published and
 * TLBIs complete the moment they are issued.
 */
#include <string.h>

#include "arch/types.h"
#include "hyp/addr.h"
#include "sim_private.h"

#define PENDING_WRITES 8
#define PENDING_TLBIS 8

struct pending_write {
	uint64_t pa;
	uint64_t old;       /* what other observers still see */
};

struct pending_tlbi {
	enum sim_tlbi_kind kind;
	uint16_t vmid;
	uint64_t ipa;
	uint64_t before;    /* TLB epoch at issue: entries filled up to it go */
	bool unordered;     /* issued with the issuer's writes unpublished */
};

static struct {
	unsigned nwrites[ARCH_MAX_CPUS];
	struct pending_write w[ARCH_MAX_CPUS][PENDING_WRITES];
	unsigned ntlbis[ARCH_MAX_CPUS];
	struct pending_tlbi t[ARCH_MAX_CPUS][PENDING_TLBIS];
	unsigned any_writes; /* sum of nwrites: walks take the fast path at 0 */
} rx;

static bool strict; /* the relaxed model is off; survives resets */

void sim_set_relaxed(bool on)
{
	sim_relaxed_reset();
	sim_iotlb_reset();
	strict = !on;
}

bool sim_relaxed(void)
{
	return !strict;
}

void sim_relaxed_reset(void)
{
	memset(&rx, 0, sizeof(rx));
}

/* The oldest write becomes visible to everybody: the frame's view changed
 * for every observer but the writer. */
static void publish_first(unsigned cpu)
{
	uint64_t pa = rx.w[cpu][0].pa;
	sim_frame_touch_lines(sim_frame_index(pa), 1ull << ((pa & PAGE_MASK) / CACHE_LINE_SIZE));
	memmove(&rx.w[cpu][0], &rx.w[cpu][1], (rx.nwrites[cpu] - 1) * sizeof(rx.w[cpu][0]));
	rx.nwrites[cpu]--;
	rx.any_writes--;
}

void sim_relaxed_pte_write(unsigned cpu, uint64_t pa, uint64_t old)
{
	if (strict || cpu >= ARCH_MAX_CPUS)
		return;
	for (unsigned i = 0; i < rx.nwrites[cpu]; i++)
		if (rx.w[cpu][i].pa == pa)
			return; /* others still see the value before the first write */
	if (rx.nwrites[cpu] == PENDING_WRITES)
		publish_first(cpu); /* a full buffer drains in order */
	rx.w[cpu][rx.nwrites[cpu]++] = (struct pending_write){ .pa = pa, .old = old };
	rx.any_writes++;
}

unsigned sim_relaxed_pending_writes(unsigned cpu)
{
	return cpu < ARCH_MAX_CPUS ? rx.nwrites[cpu] : 0;
}

uint64_t sim_walker_read64(unsigned observer, uint64_t pa)
{
	if (rx.any_writes == 0)
		return sim_coherent_read64(pa);
	for (unsigned c = 0; c < ARCH_MAX_CPUS; c++) {
		if (c == observer)
			continue;
		for (unsigned i = 0; i < rx.nwrites[c]; i++)
			if (rx.w[c][i].pa == pa)
				return rx.w[c][i].old;
	}
	return sim_coherent_read64(pa);
}

static void complete(unsigned cpu, const struct pending_tlbi *t)
{
	sim_tlb_inval(t->kind, t->vmid, t->ipa, t->unordered ? cpu : SIM_ALL_CPUS, t->before);
}

static void complete_first(unsigned cpu)
{
	complete(cpu, &rx.t[cpu][0]);
	memmove(&rx.t[cpu][0], &rx.t[cpu][1], (rx.ntlbis[cpu] - 1) * sizeof(rx.t[cpu][0]));
	rx.ntlbis[cpu]--;
}

void sim_relaxed_tlbi(unsigned cpu, enum sim_tlbi_kind kind, uint16_t vmid, uint64_t ipa)
{
	struct pending_tlbi t = { .kind = kind, .vmid = vmid, .ipa = ipa, .before = sim_tlb_epoch() };

	if (strict || cpu >= ARCH_MAX_CPUS) {
		complete(cpu, &t);
		return;
	}
	t.unordered = rx.nwrites[cpu] != 0;
	if (rx.ntlbis[cpu] == PENDING_TLBIS)
		complete_first(cpu); /* a TLBI may complete any time before the DSB */
	rx.t[cpu][rx.ntlbis[cpu]++] = t;
}

unsigned sim_relaxed_pending_tlbis(unsigned cpu)
{
	return cpu < ARCH_MAX_CPUS ? rx.ntlbis[cpu] : 0;
}

bool sim_relaxed_smmu_inval_ordered(unsigned cpu)
{
	return strict || cpu >= ARCH_MAX_CPUS || rx.nwrites[cpu] == 0;
}

void sim_relaxed_publish(unsigned cpu)
{
	while (cpu < ARCH_MAX_CPUS && rx.nwrites[cpu])
		publish_first(cpu);
}

void sim_relaxed_dsb(unsigned cpu)
{
	while (cpu < ARCH_MAX_CPUS && rx.ntlbis[cpu])
		complete_first(cpu);
	sim_relaxed_publish(cpu);
}
