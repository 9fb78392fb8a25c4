/* The parts of the isolation check that its full sweep (isolation.c) and
 * its incremental form (isolation_watch.c) share: judging one range a
 * principal reaches against the model, one TLB entry, a kept tree. */
#ifndef ORACLES_MODEL_ISOLATION_REACH_H
#define ORACLES_MODEL_ISOLATION_REACH_H

#include <stdbool.h>
#include <stdint.h>

#include "hyp_target.h"
#include "model/s2/s2tree.h"
#include "model/state/refstate.h"
#include "sim/machine.h"
#include "violation.h"

enum principal { P_KSERV, P_VM, P_SMMU };

struct reach {
	const struct ref_state *s;
	struct violation *v;
	enum principal who;
	unsigned id;        /* VM handle or SMMU unit */
	int cpu;            /* CPU whose TLB or context this is, -1 for tables */
	const char *via;
	bool found;
};

/* What a leaf lets its user do, execute included; the access flag is not
 * required. */
unsigned iso_leaf_perm(uint64_t desc);
/* [in, in + size) -> [pa, pa + size) by the leaf desc is within what r's
 * principal may reach, with the memory type the contract gives each page;
 * else fill r->v and return true. */
bool iso_check_range(struct reach *r, uint64_t in, uint64_t pa, uint64_t size, uint64_t desc);
/* Every table frame of tree is KCore's, and the leaves of tree at
 * positions which[0..n) (which NULL: every leaf) are within reach. */
bool iso_check_tree(struct reach *r, const struct s2_tree *tree, const uint32_t *which, unsigned n);
/* The first half of iso_check_tree alone: every table frame is KCore's. */
bool iso_check_frames(struct reach *r, const struct s2_tree *tree);
/* The second half alone: the leaves at which[0..n). */
bool iso_check_leaves(struct reach *r, const struct s2_tree *tree, const uint32_t *which, unsigned n);
/* live[vm]: the VMID + 1 of each live VM, 0 for the rest. */
void iso_live_vmids(const struct hyp_target *t, uint32_t live[KCORE_MAX_VMS + 1]);
/* One TLB entry of cpu, as whoever holds its VMID. */
bool iso_check_tlb_entry(const struct ref_state *s, const uint32_t live[KCORE_MAX_VMS + 1], unsigned cpu,
			 const struct sim_tlb_entry *e, struct violation *v);
/* The stage-2 context each CPU has loaded (trees NULL: scanned afresh). */
bool iso_check_contexts(const struct ref_state *s, const struct hyp_target *t, struct s2_trees *trees,
			struct violation *v);
/* The contexts the CPUs should hold, as the target's region and VM briefs
 * give them (known[vm]: the slot's brief was given). */
struct iso_contexts {
	uint64_t kserv_root;
	bool known[KCORE_MAX_VMS + 1];
	uint64_t vm_root[KCORE_MAX_VMS + 1];
	uint16_t vmid[KCORE_MAX_VMS + 1];
};
/* iso_check_contexts against contexts already read. */
/* *plain (when not NULL): every CPU with a context had the one wanted
 * loaded, so no tree nor TLB entry was looked at. */
bool iso_check_contexts_as(const struct ref_state *s, const struct iso_contexts *want, struct s2_trees *trees,
			   bool *plain, struct violation *v);

#endif
