/* The baseline's entry points: set-up, host and guest hypercalls and the
 * host's stage-2 faults, each switched to its operation by hyp/common's
 * table. */
#include "vanilla.h"
#include "vanilla_ops.h"
#include "vanilla_state.h"

static const struct hyp_ops ops = HYP_OPS_TABLE(vanilla_op);

static void (*const resets[])(void) = {
	vanilla_locks_reset, vanilla_pages_reset, vanilla_vms_reset, vanilla_vmid_reset,
	vanilla_vm_npt_reset, vanilla_kserv_npt_reset, vanilla_smmu_reset, NULL,
};

static struct hyp_entry entry = {
	.ops = &ops,
	.percpu = &vanilla_percpu,
	.entered_too_early = "vanilla: entered before vanilla_init",
	.call_returning = vanilla_assert_none_held,
	.layout_fits = vanilla_layout_fits,
	.layout_set = vanilla_layout_set,
	.resets = resets,
};

HYP_ENTRY_POINTS(vanilla, entry)
