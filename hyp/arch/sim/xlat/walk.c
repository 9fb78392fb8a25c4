/* The stage-2 table walker: VMSAv8-64, 4 KiB granule, 39-bit IPA, walks
 * starting at level 1 (Arm ARM D8).  Pure: it reads descriptors through the
 * coherent view (hardware walkers on a coherent system snoop the cache),
 * fills no TLB and emits no event.  sim_s2_walk sees every write made;
 * a CPU's or the SMMU's walker (sim_s2_walk_seen_by) sees another CPU's
 * descriptor writes only once they are published (relaxed.c).  Permissions are the accessor's business:
 * the walk only finds the leaf.
 */
#include "hyp/addr.h"
#include "hyp/s2desc.h"
#include "sim_private.h"

static const char *const fault_names[SIM_FAULT__COUNT] = {
	[SIM_OK] = "ok",
	[SIM_FAULT_TRANSLATION] = "translation",
	[SIM_FAULT_ACCESS_FLAG] = "access-flag",
	[SIM_FAULT_PERMISSION] = "permission",
	[SIM_FAULT_ADDRESS] = "address-size",
	[SIM_FAULT_EXTERNAL] = "external-abort",
	[SIM_FAULT_NOT_RUNNING] = "not-running",
	[SIM_FAULT_MEMTYPE] = "memory-type",
};

const char *sim_fault_name(int fault)
{
	if (fault < 0 || fault >= SIM_FAULT__COUNT)
		return "unknown";
	return fault_names[fault];
}

static int walk_fail(struct sim_walk *out, int fault, unsigned level, uint64_t desc)
{
	*out = (struct sim_walk){ .fault = fault, .level = level, .desc = desc };
	return fault;
}

/* Everything written: an observer that sees no unpublished old value. */
#define SEES_ALL (SIM_OBSERVER_DEVICE - 1)

int sim_s2_walk(uint64_t root, uint64_t ipa, struct sim_walk *out)
{
	return sim_s2_walk_seen_by(SEES_ALL, root, ipa, out);
}

int sim_s2_walk_seen_by(unsigned observer, uint64_t root, uint64_t ipa, struct sim_walk *out)
{
	struct sim_walk scratch;
	uint64_t table = root & S2_OA_MASK;

	if (!out)
		out = &scratch;
	if (ipa >> S2_IPA_BITS)
		return walk_fail(out, SIM_FAULT_ADDRESS, S2_START_LEVEL, 0);
	for (unsigned level = S2_START_LEVEL; level <= S2_LAST_LEVEL; level++) {
		uint64_t slot = table + 8ull * s2_index(ipa, level);

		/* A table outside RAM is a synchronous external abort on the walk. */
		if (sim_mem_kind(slot, 8) != MEM_RAM)
			return walk_fail(out, SIM_FAULT_EXTERNAL, level, 0);
		uint64_t desc = observer == SEES_ALL ? sim_coherent_read64(slot) : sim_walker_read64(observer, slot);

		if (!s2_is_valid(desc))
			return walk_fail(out, SIM_FAULT_TRANSLATION, level, desc);
		if (s2_is_table(desc, level)) {
			table = s2_oa(desc);
			continue;
		}
		/* Level 3 with bit 1 clear is the reserved encoding. */
		if (level == S2_LAST_LEVEL && !(desc & S2_TYPE_TABLE))
			return walk_fail(out, SIM_FAULT_TRANSLATION, level, desc);
		uint64_t size = 1ull << s2_level_shift(level);
		uint64_t base = s2_oa(desc) & ~(size - 1);

		*out = (struct sim_walk){
			.fault = SIM_OK, .level = level, .desc = desc,
			.pa = base | (ipa & (size - 1)), .size = size,
		};
		if (!(desc & S2_AF))
			out->fault = SIM_FAULT_ACCESS_FLAG;
		return out->fault;
	}
	/* Unreachable: level 3 never holds a table. */
	return walk_fail(out, SIM_FAULT_TRANSLATION, S2_LAST_LEVEL, 0);
}
