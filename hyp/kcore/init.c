/* KCore's entry points: set-up, from scratch and between fuzz inputs
 * alike, host and guest hypercalls and KServ's stage-2 faults, each
 * switched to its operation by hyp/common's table. */
#include "base/layout.h"
#include "base/locks.h"
#include "base/ops.h"
#include "hyp/arch.h"
#include "hyp/kcore.h"
#include "mm/npt.h"
#include "mm/s2page.h"
#include "smmu/smmu.h"
#include "vm/percpu.h"
#include "vm/vm.h"

static const struct hyp_ops ops = HYP_OPS_TABLE(kcore_op);

/* The reset costs one entry per RAM page of the new layout, plus a fixed
 * amount. */
static void (*const resets[])(void) = {
	kcore_locks_reset, kcore_s2page_reset, kcore_vm_reset, kcore_vmid_reset,
	kcore_vm_npt_reset, kcore_kserv_npt_reset, kcore_smmu_reset, NULL,
};

/* Every call leaves with no lock held, as the lock discipline requires. */
static void call_returning(void)
{
	arch_call_returning();
	kcore_locks_assert_none_held();
}

static struct hyp_entry entry = {
	.ops = &ops,
	.percpu = &kcore_percpu,
	.entered_too_early = "init: KCore entered before kcore_init",
	.call_returning = call_returning,
	.layout_fits = kcore_layout_fits,
	.layout_set = kcore_layout_set,
	.resets = resets,
};

HYP_ENTRY_POINTS(kcore, entry)
