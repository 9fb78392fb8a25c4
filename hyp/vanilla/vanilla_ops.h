/* The baseline's operations, one function each, as vanilla_dispatch.c
 * calls them.  Each makes the checks of hyp/kcore.h that still mean
 * something without page ownership, in KCore's order, changes nothing
 * when one fails, and returns with every lock released. */
#ifndef VANILLA_OPS_H
#define VANILLA_OPS_H

#include <stdint.h>

/* Host hypercalls. */
int64_t vanilla_op_register_vm(void);
int64_t vanilla_op_register_vcpu(uint64_t vm, uint64_t vcpu);
int64_t vanilla_op_set_boot_info(uint64_t vm, uint64_t gpa, uint64_t npages);
int64_t vanilla_op_remap_vm_image(uint64_t vm, uint64_t pfn, uint64_t idx);
int64_t vanilla_op_verify_vm_image(uint64_t vm);
int64_t vanilla_op_vcpu_run(uint64_t vm, uint64_t vcpu);
int64_t vanilla_op_map_vm_page(uint64_t vm, uint64_t gfn, uint64_t pfn);
int64_t vanilla_op_clear_vm(uint64_t vm);
int64_t vanilla_op_smmu_alloc(uint64_t unit, uint64_t owner);
int64_t vanilla_op_smmu_map(uint64_t unit, uint64_t iova, uint64_t pfn);
int64_t vanilla_op_smmu_unmap(uint64_t unit, uint64_t iova);
int64_t vanilla_op_smmu_iova_to_phys(uint64_t unit, uint64_t iova);
int64_t vanilla_op_smmu_free(uint64_t unit);
int64_t vanilla_op_ioremap(uint64_t vm, uint64_t gpa, uint64_t pa);

/* Guest hypercalls. */
int64_t vanilla_op_grant(uint64_t gfn);
int64_t vanilla_op_revoke(uint64_t gfn);
int64_t vanilla_op_power_off(void);
int64_t vanilla_op_guest_exit(void);

/* The host's stage-2 fault. */
int64_t vanilla_op_kserv_fault(uint64_t pa);

#endif
