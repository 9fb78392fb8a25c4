/* The reference model: setup and dispatch of the kcore.h entry points. */
#include "model/ref/refmodel.h"

#include <stdlib.h>
#include <string.h>

#include "model/ref/ref_ops.h"

struct ref_model *ref_new(void)
{
	return calloc(1, sizeof(struct ref_model));
}

void ref_delete(struct ref_model *m)
{
	if (m == NULL)
		return;
	ref_state_release(&m->st);
	free(m);
}

void ref_set_image_check(struct ref_model *m, ref_image_fn fn, void *ctx)
{
	m->image_ok = fn;
	m->image_ctx = ctx;
}

bool ref_copy(struct ref_model *dst, const struct ref_model *src)
{
	if (!ref_state_copy(&dst->st, &src->st))
		return false;
	memcpy(dst->vm_pool, src->vm_pool, sizeof(dst->vm_pool));
	memcpy(dst->smmu_pool, src->smmu_pool, sizeof(dst->smmu_pool));
	dst->kserv_pool = src->kserv_pool;
	dst->image_ok = src->image_ok;
	dst->image_ctx = src->image_ctx;
	return true;
}

int64_t ref_init(struct ref_model *m, const struct kcore_boot *boot)
{
	if (!ref_state_reset(&m->st, boot)) {
		m->st.boot.ncpus = 0; /* nothing to run on until a layout is accepted */
		return REF_ERR(KCORE_E_PFN);
	}
	for (unsigned v = 0; v <= KCORE_MAX_VMS; v++)
		ref_pool_release(&m->vm_pool[v]);
	for (unsigned u = 0; u < KCORE_SMMU_UNITS; u++)
		ref_pool_release(&m->smmu_pool[u]);
	ref_pool_create(&m->kserv_pool, kcore_cap(m->st.boot.caps.kserv_pool_pages, KCORE_KSERV_POOL_PAGES));
	m->st.kserv_pool_used = ref_pool_used(&m->kserv_pool);
	return KCORE_OK;
}

static bool cpu_ok(const struct ref_model *m, unsigned cpu)
{
	return cpu < m->st.boot.ncpus;
}

int64_t ref_host_call(struct ref_model *m, unsigned cpu, uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2)
{
	if (!cpu_ok(m, cpu))
		return REF_ERR(KCORE_E_CPU_STATE);
	switch (op) {
	case HVC_REGISTER_VM: return ref_op_register_vm(m);
	case HVC_REGISTER_VCPU: return ref_op_register_vcpu(m, a0, a1);
	case HVC_SET_BOOT_INFO: return ref_op_set_boot_info(m, a0, a1, a2);
	case HVC_REMAP_VM_IMAGE: return ref_op_remap_vm_image(m, a0, a1, a2);
	case HVC_VERIFY_VM_IMAGE: return ref_op_verify_vm_image(m, a0);
	case HVC_VCPU_RUN: return ref_op_vcpu_run(m, cpu, a0, a1);
	case HVC_MAP_VM_PAGE: return ref_op_map_vm_page(m, a0, a1, a2);
	case HVC_CLEAR_VM: return ref_op_clear_vm(m, a0);
	case HVC_SMMU_ALLOC: return ref_op_smmu_alloc(m, a0, a1);
	case HVC_SMMU_MAP: return ref_op_smmu_map(m, a0, a1, a2);
	case HVC_SMMU_UNMAP: return ref_op_smmu_unmap(m, a0, a1);
	case HVC_SMMU_IOVA_TO_PHYS: return ref_op_smmu_iova_to_phys(m, a0, a1);
	case HVC_SMMU_FREE: return ref_op_smmu_free(m, a0);
	case HVC_IOREMAP: return ref_op_ioremap(m, a0, a1, a2);
	default: return REF_ERR(KCORE_E_OP);
	}
}

int64_t ref_guest_call(struct ref_model *m, unsigned cpu, uint64_t op, uint64_t a0)
{
	if (!cpu_ok(m, cpu))
		return REF_ERR(KCORE_E_CPU_STATE);
	switch (op) {
	case GHVC_GRANT: return ref_op_grant(m, cpu, a0);
	case GHVC_REVOKE: return ref_op_revoke(m, cpu, a0);
	case GHVC_POWER_OFF: return ref_op_power_off(m, cpu);
	case GHVC_EXIT: return ref_op_guest_exit(m, cpu);
	default: return REF_ERR(KCORE_E_OP);
	}
}

int64_t ref_kserv_fault(struct ref_model *m, unsigned cpu, uint64_t pa)
{
	if (!cpu_ok(m, cpu))
		return REF_ERR(KCORE_E_CPU_STATE);
	return ref_op_kserv_fault(m, cpu, pa);
}
