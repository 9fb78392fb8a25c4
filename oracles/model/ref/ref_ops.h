/* The model's operations, one function per kcore.h operation, and the
 * checks they share.  Internal to the model. */
#ifndef ORACLES_MODEL_REF_OPS_H
#define ORACLES_MODEL_REF_OPS_H

#include <stddef.h>

#include "model/ref/refmodel.h"

#define REF_ERR(e) (-(int64_t)(e))

/* "vm valid" of kcore.h: the slot, or NULL. */
static inline struct ref_vm *ref_valid_vm(struct ref_model *m, uint64_t vm)
{
	if (vm < 1 || vm > KCORE_MAX_VMS || m->st.vm[vm].state == VM_UNUSED)
		return NULL;
	return &m->st.vm[vm];
}

/* The VM whose vCPU the CPU runs, 0 in the host. */
static inline int ref_cpu_vm(const struct ref_model *m, unsigned cpu) { return m->st.cpu[cpu].vm; }

/* Host calls (ref_vm_ops.c). */
int64_t ref_op_register_vm(struct ref_model *m);
int64_t ref_op_register_vcpu(struct ref_model *m, uint64_t vm, uint64_t vcpu);
int64_t ref_op_set_boot_info(struct ref_model *m, uint64_t vm, uint64_t gpa, uint64_t npages);
int64_t ref_op_remap_vm_image(struct ref_model *m, uint64_t vm, uint64_t pfn, uint64_t idx);
int64_t ref_op_verify_vm_image(struct ref_model *m, uint64_t vm);
int64_t ref_op_vcpu_run(struct ref_model *m, unsigned cpu, uint64_t vm, uint64_t vcpu);
int64_t ref_op_map_vm_page(struct ref_model *m, uint64_t vm, uint64_t gfn, uint64_t pfn);
int64_t ref_op_clear_vm(struct ref_model *m, uint64_t vm);
int64_t ref_op_ioremap(struct ref_model *m, uint64_t vm, uint64_t gpa, uint64_t pa);

/* SMMU host calls (ref_smmu_ops.c). */
int64_t ref_op_smmu_alloc(struct ref_model *m, uint64_t unit, uint64_t owner);
int64_t ref_op_smmu_map(struct ref_model *m, uint64_t unit, uint64_t iova, uint64_t pfn);
int64_t ref_op_smmu_unmap(struct ref_model *m, uint64_t unit, uint64_t iova);
int64_t ref_op_smmu_iova_to_phys(struct ref_model *m, uint64_t unit, uint64_t iova);
int64_t ref_op_smmu_free(struct ref_model *m, uint64_t unit);
/* Drop every mapping of an allocated unit and release it (smmu_free, clear_vm). */
void ref_smmu_release(struct ref_model *m, unsigned unit);

/* Guest calls and KServ faults (ref_guest_ops.c). */
int64_t ref_op_grant(struct ref_model *m, unsigned cpu, uint64_t gfn);
int64_t ref_op_revoke(struct ref_model *m, unsigned cpu, uint64_t gfn);
int64_t ref_op_power_off(struct ref_model *m, unsigned cpu);
int64_t ref_op_guest_exit(struct ref_model *m, unsigned cpu);
int64_t ref_op_kserv_fault(struct ref_model *m, unsigned cpu, uint64_t pa);

#endif
