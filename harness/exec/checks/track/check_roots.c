/* The roots of every principal's tables, as the target's views show them. */
#include "exec/checks/track/check_roots.h"

#include "hyp/kcore.h"

void roots_register(struct hw_oracles *hw, const struct hyp_target *t)
{
	struct tlb_oracle *tlb = hw_oracles_tlb(hw);
	struct kcore_region_view r;
	struct kcore_vm_view vm;
	struct kcore_smmu_view u;
	t->view_region(&r);
	tlb_oracle_add_root(tlb, r.kserv_root, 0, 0);
	for (unsigned i = 1; i <= KCORE_MAX_VMS; i++)
		if (t->view_vm(i, &vm) && vm.state != VM_UNUSED)
			tlb_oracle_add_root(tlb, vm.npt_root, vm.vmid, (int)i);
	for (unsigned i = 0; i < KCORE_SMMU_UNITS; i++)
		if (t->view_smmu(i, &u) && u.allocated)
			tlb_oracle_add_smmu_root(tlb, u.root, i, (int)u.owner);
}
