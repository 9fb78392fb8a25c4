/* The entry points both hypervisors share: set-up, and each call switched
 * to its operation and checked on the way out. */
#include "hyp_ops.h"

#include "hyp/arch.h"

/* Entering before init has succeeded is a bug of the platform code, not
 * something a host can cause. */
static void assert_initialised(const struct hyp_entry *e)
{
	if (!e->initialised)
		arch_panic(e->entered_too_early);
}

int64_t hyp_entry_init(struct hyp_entry *e, const struct kcore_boot *boot)
{
	if (!e->layout_fits(boot))
		return -KCORE_E_PFN;

	e->layout_set(boot);
	for (unsigned i = 0; e->resets[i]; i++)
		e->resets[i]();
	hyp_percpu_reset(e->percpu);
	/* Nothing any TLB holds from before may survive: VMIDs start over. */
	arch_tlbi_all();
	arch_dsb_ish();
	e->initialised = true;
	return KCORE_OK;
}

void hyp_entry_init_cpu(const struct hyp_entry *e)
{
	assert_initialised(e);
	hyp_percpu_enter_host(e->percpu, hyp_percpu_this(e->percpu));
}

static int64_t host_op(const struct hyp_ops *o, uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2)
{
	switch (op) {
	case HVC_REGISTER_VM: return o->register_vm();
	case HVC_REGISTER_VCPU: return o->register_vcpu(a0, a1);
	case HVC_SET_BOOT_INFO: return o->set_boot_info(a0, a1, a2);
	case HVC_REMAP_VM_IMAGE: return o->remap_vm_image(a0, a1, a2);
	case HVC_VERIFY_VM_IMAGE: return o->verify_vm_image(a0);
	case HVC_VCPU_RUN: return o->vcpu_run(a0, a1);
	case HVC_MAP_VM_PAGE: return o->map_vm_page(a0, a1, a2);
	case HVC_CLEAR_VM: return o->clear_vm(a0);
	case HVC_SMMU_ALLOC: return o->smmu_alloc(a0, a1);
	case HVC_SMMU_MAP: return o->smmu_map(a0, a1, a2);
	case HVC_SMMU_UNMAP: return o->smmu_unmap(a0, a1);
	case HVC_SMMU_IOVA_TO_PHYS: return o->smmu_iova_to_phys(a0, a1);
	case HVC_SMMU_FREE: return o->smmu_free(a0);
	case HVC_IOREMAP: return o->ioremap(a0, a1, a2);
	default: return -KCORE_E_OP;
	}
}

static int64_t guest_op(const struct hyp_ops *o, uint64_t op, uint64_t a0)
{
	switch (op) {
	case GHVC_GRANT: return o->grant(a0);
	case GHVC_REVOKE: return o->revoke(a0);
	case GHVC_POWER_OFF: return o->power_off();
	case GHVC_EXIT: return o->guest_exit();
	default: return -KCORE_E_OP;
	}
}

int64_t hyp_entry_host_call(const struct hyp_entry *e,
			    uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2)
{
	assert_initialised(e);
	int64_t ret = host_op(e->ops, op, a0, a1, a2);
	e->call_returning();
	return ret;
}

int64_t hyp_entry_guest_call(const struct hyp_entry *e, uint64_t op, uint64_t a0)
{
	assert_initialised(e);
	int64_t ret = guest_op(e->ops, op, a0);
	e->call_returning();
	return ret;
}

int64_t hyp_entry_kserv_fault(const struct hyp_entry *e, uint64_t pa)
{
	assert_initialised(e);
	int64_t ret = e->ops->kserv_fault(pa);
	e->call_returning();
	return ret;
}
