/* The entry points: host and guest hypercalls and KServ's stage-2 faults,
 * each switched to its operation. */
#include "hyp/arch.h"
#include "hyp/kcore.h"
#include "init.h"
#include "locks.h"
#include "ops.h"

static int64_t host_op(uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2)
{
	switch (op) {
	case HVC_REGISTER_VM: return kcore_op_register_vm();
	case HVC_REGISTER_VCPU: return kcore_op_register_vcpu(a0, a1);
	case HVC_SET_BOOT_INFO: return kcore_op_set_boot_info(a0, a1, a2);
	case HVC_REMAP_VM_IMAGE: return kcore_op_remap_vm_image(a0, a1, a2);
	case HVC_VERIFY_VM_IMAGE: return kcore_op_verify_vm_image(a0);
	case HVC_VCPU_RUN: return kcore_op_vcpu_run(a0, a1);
	case HVC_MAP_VM_PAGE: return kcore_op_map_vm_page(a0, a1, a2);
	case HVC_CLEAR_VM: return kcore_op_clear_vm(a0);
	case HVC_SMMU_ALLOC: return kcore_op_smmu_alloc(a0, a1);
	case HVC_SMMU_MAP: return kcore_op_smmu_map(a0, a1, a2);
	case HVC_SMMU_UNMAP: return kcore_op_smmu_unmap(a0, a1);
	case HVC_SMMU_IOVA_TO_PHYS: return kcore_op_smmu_iova_to_phys(a0, a1);
	case HVC_SMMU_FREE: return kcore_op_smmu_free(a0);
	case HVC_IOREMAP: return kcore_op_ioremap(a0, a1, a2);
	default: return -KCORE_E_OP;
	}
}

static int64_t guest_op(uint64_t op, uint64_t a0)
{
	switch (op) {
	case GHVC_GRANT: return kcore_op_grant(a0);
	case GHVC_REVOKE: return kcore_op_revoke(a0);
	case GHVC_POWER_OFF: return kcore_op_power_off();
	case GHVC_EXIT: return kcore_op_guest_exit();
	default: return -KCORE_E_OP;
	}
}

int64_t kcore_host_call(uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2)
{
	kcore_assert_initialised();
	int64_t ret = host_op(op, a0, a1, a2);
	arch_call_returning();
	kcore_locks_assert_none_held();
	return ret;
}

int64_t kcore_guest_call(uint64_t op, uint64_t a0)
{
	kcore_assert_initialised();
	int64_t ret = guest_op(op, a0);
	arch_call_returning();
	kcore_locks_assert_none_held();
	return ret;
}

int64_t kcore_kserv_fault(uint64_t pa)
{
	kcore_assert_initialised();
	int64_t ret = kcore_op_kserv_fault(pa);
	arch_call_returning();
	kcore_locks_assert_none_held();
	return ret;
}
