/* The SMMU's IOTLB: per unit, a few leaves cached from the unit's DMA
 * walks (and from speculative fills a program asks for).  A hit uses the
 * leaf as it was walked, whatever the table says now; only the unit's
 * invalidation with its sync (arch_smmu_tlbi), or a change of the unit's
 * configuration (attach, detach), drops entries.  Replacement is
 * round-robin, so runs replay.  With the relaxed model off every DMA walks
 * the table, as before the IOTLB existed.
 */
#include <string.h>

#include "sim_private.h"

#define IOTLB_ENTRIES 8

static struct {
	struct sim_tlb_entry e[SIM_SMMU_UNITS][IOTLB_ENTRIES]; /* vmid: the unit */
	bool valid[SIM_SMMU_UNITS][IOTLB_ENTRIES];
	unsigned victim[SIM_SMMU_UNITS];
	unsigned nvalid; /* over all units: DMA takes the fast path at 0 */
} io;

static uint64_t epoch; /* never goes back, like the TLBs' */

void sim_iotlb_reset(void)
{
	memset(&io, 0, sizeof(io));
	epoch++;
}

static int lookup(unsigned unit, uint64_t iova)
{
	if (io.nvalid == 0)
		return -1;
	for (int i = 0; i < IOTLB_ENTRIES; i++) {
		const struct sim_tlb_entry *e = &io.e[unit][i];
		if (io.valid[unit][i] && iova - e->ipa < e->size)
			return i;
	}
	return -1;
}

static void fill(unsigned unit, uint64_t iova, const struct sim_walk *w)
{
	unsigned i = io.victim[unit];

	io.victim[unit] = (i + 1) % IOTLB_ENTRIES;
	io.nvalid += !io.valid[unit][i];
	io.valid[unit][i] = true;
	io.e[unit][i] = (struct sim_tlb_entry){
		.vmid = (uint16_t)unit, .ipa = iova & ~(w->size - 1), .pa = w->pa & ~(w->size - 1),
		.size = w->size, .desc = w->desc,
	};
	epoch++;
}

int sim_iotlb_translate(unsigned unit, uint64_t root, uint64_t iova, struct sim_walk *w)
{
	int i = unit < SIM_SMMU_UNITS && sim_relaxed() ? lookup(unit, iova) : -1;

	if (i >= 0) {
		const struct sim_tlb_entry *e = &io.e[unit][i];
		*w = (struct sim_walk){ .fault = SIM_OK, .desc = e->desc, .pa = e->pa + (iova - e->ipa),
					.size = e->size };
		return SIM_OK;
	}
	int fault = sim_s2_walk_seen_by(SIM_OBSERVER_DEVICE, root, iova, w);
	if (fault == SIM_OK && unit < SIM_SMMU_UNITS && sim_relaxed())
		fill(unit, iova, w);
	return fault;
}

void sim_iotlb_drop(unsigned unit)
{
	if (unit >= SIM_SMMU_UNITS)
		return;
	for (unsigned i = 0; i < IOTLB_ENTRIES; i++) {
		if (io.valid[unit][i]) {
			io.valid[unit][i] = false;
			io.nvalid--;
			epoch++;
		}
	}
}

bool sim_iotlb_spec_fill(unsigned unit, uint64_t iova)
{
	struct sim_walk w;
	uint64_t root;

	if (!sim_relaxed() || !sim_smmu_root(unit, &root) || lookup(unit, iova) >= 0)
		return false;
	if (sim_s2_walk_seen_by(SIM_OBSERVER_DEVICE, root, iova, &w) != SIM_OK)
		return false;
	fill(unit, iova, &w);
	return true;
}

unsigned sim_iotlb_slots(void)
{
	return IOTLB_ENTRIES;
}

bool sim_iotlb_slot(unsigned unit, unsigned i, struct sim_tlb_entry *out)
{
	if (unit >= SIM_SMMU_UNITS || i >= IOTLB_ENTRIES || !io.valid[unit][i])
		return false;
	*out = io.e[unit][i];
	return true;
}

unsigned sim_iotlb_filled(void)
{
	return io.nvalid;
}

uint64_t sim_iotlb_epoch(void)
{
	return epoch;
}
