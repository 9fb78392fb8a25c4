/* SMMU units: each either blocks all DMA (detached) or translates through
 * a stage-2 table, with translations cached in the unit's IOTLB (iotlb.c). */
#include <string.h>

#include "sim_private.h"

static struct {
	struct sim_smmu_unit unit[SIM_SMMU_UNITS];
	struct sim_smmu_unit saved[SIM_SMMU_UNITS];
} smmu;
static uint64_t epoch; /* outside smmu: it never goes back */

void sim_smmu_init(void)
{
	memset(&smmu, 0, sizeof(smmu));
	epoch++;
}

void sim_smmu_checkpoint(void)
{
	memcpy(smmu.saved, smmu.unit, sizeof(smmu.unit));
}

void sim_smmu_restore(void)
{
	memcpy(smmu.unit, smmu.saved, sizeof(smmu.unit));
	epoch++;
}

bool sim_smmu_attach(unsigned unit, uint64_t root)
{
	if (unit >= SIM_SMMU_UNITS)
		return false;
	smmu.unit[unit] = (struct sim_smmu_unit){ .attached = true, .root = root };
	epoch++;
	return true;
}

bool sim_smmu_detach(unsigned unit)
{
	if (unit >= SIM_SMMU_UNITS)
		return false;
	smmu.unit[unit] = (struct sim_smmu_unit){ 0 };
	epoch++;
	return true;
}

bool sim_smmu_root(unsigned unit, uint64_t *root)
{
	if (unit >= SIM_SMMU_UNITS || !smmu.unit[unit].attached)
		return false;
	*root = smmu.unit[unit].root;
	return true;
}

void sim_smmu_unit(unsigned unit, struct sim_smmu_unit *out)
{
	*out = unit < SIM_SMMU_UNITS ? smmu.unit[unit] : (struct sim_smmu_unit){ 0 };
}

uint64_t sim_smmu_epoch(void)
{
	return epoch;
}
