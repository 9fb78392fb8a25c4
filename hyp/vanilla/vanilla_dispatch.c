/* The baseline's entry points: set-up, host and guest hypercalls and the
 * host's stage-2 faults, each switched to its operation. */
#include "hyp/arch.h"
#include "vanilla.h"
#include "vanilla_ops.h"
#include "vanilla_state.h"

static bool initialised;

static void assert_initialised(void)
{
	if (!initialised)
		arch_panic("vanilla: entered before vanilla_init");
}

/* A refused layout leaves the baseline as it was. */
int64_t vanilla_init(const struct kcore_boot *boot)
{
	if (!vanilla_layout_fits(boot))
		return -KCORE_E_PFN;

	vanilla_layout_set(boot);
	vanilla_locks_reset();
	vanilla_pages_reset();
	vanilla_vms_reset();
	vanilla_vmid_reset();
	vanilla_vm_npt_reset();
	vanilla_kserv_npt_reset();
	vanilla_smmu_reset();
	vanilla_cpus_reset();
	/* VMIDs start over, so no TLB entry from before may survive. */
	arch_tlbi_all();
	arch_dsb_ish();
	initialised = true;
	return KCORE_OK;
}

void vanilla_init_cpu(void)
{
	assert_initialised();
	vanilla_cpu_enter_host(vanilla_this_cpu());
}

static int64_t host_op(uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2)
{
	switch (op) {
	case HVC_REGISTER_VM: return vanilla_op_register_vm();
	case HVC_REGISTER_VCPU: return vanilla_op_register_vcpu(a0, a1);
	case HVC_SET_BOOT_INFO: return vanilla_op_set_boot_info(a0, a1, a2);
	case HVC_REMAP_VM_IMAGE: return vanilla_op_remap_vm_image(a0, a1, a2);
	case HVC_VERIFY_VM_IMAGE: return vanilla_op_verify_vm_image(a0);
	case HVC_VCPU_RUN: return vanilla_op_vcpu_run(a0, a1);
	case HVC_MAP_VM_PAGE: return vanilla_op_map_vm_page(a0, a1, a2);
	case HVC_CLEAR_VM: return vanilla_op_clear_vm(a0);
	case HVC_SMMU_ALLOC: return vanilla_op_smmu_alloc(a0, a1);
	case HVC_SMMU_MAP: return vanilla_op_smmu_map(a0, a1, a2);
	case HVC_SMMU_UNMAP: return vanilla_op_smmu_unmap(a0, a1);
	case HVC_SMMU_IOVA_TO_PHYS: return vanilla_op_smmu_iova_to_phys(a0, a1);
	case HVC_SMMU_FREE: return vanilla_op_smmu_free(a0);
	case HVC_IOREMAP: return vanilla_op_ioremap(a0, a1, a2);
	default: return -KCORE_E_OP;
	}
}

static int64_t guest_op(uint64_t op, uint64_t a0)
{
	switch (op) {
	case GHVC_GRANT: return vanilla_op_grant(a0);
	case GHVC_REVOKE: return vanilla_op_revoke(a0);
	case GHVC_POWER_OFF: return vanilla_op_power_off();
	case GHVC_EXIT: return vanilla_op_guest_exit();
	default: return -KCORE_E_OP;
	}
}

int64_t vanilla_host_call(uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2)
{
	assert_initialised();
	int64_t ret = host_op(op, a0, a1, a2);
	vanilla_assert_none_held();
	return ret;
}

int64_t vanilla_guest_call(uint64_t op, uint64_t a0)
{
	assert_initialised();
	int64_t ret = guest_op(op, a0);
	vanilla_assert_none_held();
	return ret;
}

int64_t vanilla_kserv_fault(uint64_t pa)
{
	assert_initialised();
	int64_t ret = vanilla_op_kserv_fault(pa);
	vanilla_assert_none_held();
	return ret;
}
