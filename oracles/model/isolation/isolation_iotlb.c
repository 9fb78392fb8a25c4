/* Isolation through the SMMU's IOTLB (see .h). */
#include "model/isolation/isolation_iotlb.h"
#include "model/isolation/isolation_reach.h"

#include "sim/machine.h"

bool isolation_iotlb_check(const struct ref_state *model, struct violation *v)
{
	struct reach r = { .s = model, .v = v, .who = P_SMMU, .cpu = -1, .via = "the unit's IOTLB" };
	unsigned slots = sim_iotlb_filled() ? sim_iotlb_slots() : 0;

	for (unsigned u = 0; u < SIM_SMMU_UNITS && slots; u++) {
		r.id = u;
		for (unsigned i = 0; i < slots; i++) {
			struct sim_tlb_entry e;
			if (sim_iotlb_slot(u, i, &e) && iso_check_range(&r, e.ipa, e.pa, e.size, e.desc))
				return true;
		}
	}
	return false;
}

bool isolation_iotlb_watch(struct iotlb_watch *w, const struct ref_state *model, bool model_moved,
			   struct violation *v)
{
	uint64_t epoch = sim_iotlb_epoch();

	if (w->primed && !model_moved && epoch == w->epoch)
		return false;
	w->primed = true;
	w->epoch = epoch;
	return isolation_iotlb_check(model, v);
}
