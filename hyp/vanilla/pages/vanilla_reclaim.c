/* clear_vm: tear down a powered-off VM the way KVM destroys one.  Its
 * devices are detached, its stage-2 table is unmapped (each entry broken
 * and flushed) and its VMID flushed, and the table pages go back to the
 * pool.  The pages it used are not scrubbed: they were host memory all
 * along and simply stay so, with whatever the guest left in them. */
#include "hyp/arch.h"
#include "hyp/s2desc.h"
#include "vanilla_ops.h"
#include "vanilla_state.h"

static int64_t clear_vm_checks(uint64_t vm)
{
	if (!vanilla_vm_valid(vm))
		return -KCORE_E_VM;

	const struct hyp_vm_slot *s = vanilla_vm_slot((unsigned)vm, false);
	if (s->state != VM_POWERED_OFF)
		return -KCORE_E_VM_STATE;
	for (unsigned v = 0; v < KCORE_MAX_VCPUS; v++)
		if (s->vcpu[v] == VCPU_ACTIVE)
			return -KCORE_E_VCPU_STATE;
	return 0;
}

/* The guest's grants on its pages end with the guest. */
static void forget_grants(void *arg, uint64_t gfn, uint64_t desc)
{
	uint64_t pfn = s2_oa(desc) >> PAGE_SHIFT;

	(void)arg, (void)gfn;
	if (s2_is_device(desc) || !vanilla_is_ram_pfn(pfn))
		return;
	struct vanilla_page page = vanilla_page_get(pfn);
	page.share = 0;
	vanilla_page_put(pfn, page);
}

static void destroy_vm(unsigned vm)
{
	struct hyp_vm_slot *s = vanilla_vm_slot(vm, true);

	vanilla_lock(KLOCK_VM_NPT, vm);
	vanilla_lock(KLOCK_SMMU, 0);
	vanilla_lock(KLOCK_S2PAGE, 0);
	vanilla_smmu_free_owned_by(vm);
	kcore_pgt_unmap_all(vanilla_vm_npt(vm), NULL, forget_grants, NULL);
	/* Also drops walk-cache entries for the table pages before the pool
	 * hands them out again. */
	arch_tlbi_vmid(s->vmid);
	arch_dsb_ish();
	vanilla_vm_npt_release(vm);
	vanilla_unlock(KLOCK_S2PAGE, 0);
	vanilla_unlock(KLOCK_SMMU, 0);
	vanilla_unlock(KLOCK_VM_NPT, vm);
	hyp_vm_slot_wipe(s);
}

int64_t vanilla_op_clear_vm(uint64_t vm)
{
	vanilla_lock(KLOCK_CORE, 0);
	int64_t ret = clear_vm_checks(vm);

	if (!ret)
		destroy_vm((unsigned)vm);
	vanilla_unlock(KLOCK_CORE, 0);
	return ret;
}
