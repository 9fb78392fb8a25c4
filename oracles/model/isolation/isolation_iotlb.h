/* Isolation through the SMMU's IOTLB: every leaf a unit has cached is
 * within what the model lets that unit reach now.  A leaf the unit's table
 * no longer holds (an unmap whose invalidation was skipped, or not ordered
 * after the table write) keeps the device reaching the page: V_DMA_REACH,
 * or V_TABLE_REACH for a page of KCore's, "via the unit's IOTLB".
 *
 * Cost: nothing while no IOTLB entry and no model state changed since the
 * last check (the IOTLB epoch), or while every IOTLB is empty; else one
 * pass over the units' entries (SIM_SMMU_UNITS * sim_iotlb_slots(), 64). */
#ifndef ORACLES_MODEL_ISOLATION_IOTLB_H
#define ORACLES_MODEL_ISOLATION_IOTLB_H

#include <stdbool.h>
#include <stdint.h>

#include "model/state/refstate.h"
#include "violation.h"

/* Every entry, now. */
bool isolation_iotlb_check(const struct ref_state *model, struct violation *v);

/* What has to be looked at again since the last check. */
struct iotlb_watch {
	uint64_t epoch;  /* sim_iotlb_epoch() then */
	bool primed;
};
/* The same, skipped while neither the IOTLBs nor (model_moved) what the
 * model allows changed since the last call with w. */
bool isolation_iotlb_watch(struct iotlb_watch *w, const struct ref_state *model, bool model_moved,
			   struct violation *v);

#endif
