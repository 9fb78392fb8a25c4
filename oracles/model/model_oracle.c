/* Driving the model oracles step by step. */
#include "model/model_oracle.h"

#include <stdio.h>
#include <stdlib.h>

#include "model/isolation/isolation.h"
#include "model/ref/ref_image.h"
#include "model/refine/abstract.h"
#include "model/refine/refinement.h"
#include "sim/machine.h"

bool model_oracle_create(struct model_oracle *o, const struct hyp_target *t, unsigned checks)
{
	o->checks = checks;
	o->target = t;
	o->model = ref_new();
	o->concrete = calloc(1, sizeof(*o->concrete));
	if (o->model == NULL || o->concrete == NULL) {
		model_oracle_destroy(o);
		return false;
	}
	ref_set_image_check(o->model, ref_image_match_sim, NULL);
	return true;
}

void model_oracle_destroy(struct model_oracle *o)
{
	ref_delete(o->model);
	if (o->concrete != NULL)
		ref_state_release(o->concrete);
	free(o->concrete);
	o->model = NULL;
	o->concrete = NULL;
}

/* Complete a violation: the CPU of the step (-1 if none) unless the check
 * named one, and the machine's last events as evidence. */
static bool found(struct violation *v, int cpu)
{
	if (v->cpu < 0)
		v->cpu = cpu;
	v->nrecent = sim_recent_events(v->recent, VIOLATION_RECENT);
	return true;
}

static bool check_ret(struct model_oracle *o, unsigned cpu, const char *what, int64_t model_ret, int64_t ret,
		      struct violation *v)
{
	if ((o->checks & MODEL_CHECK_RET) && refine_check_ret(what, model_ret, ret, v))
		return found(v, (int)cpu);
	return false;
}

bool model_oracle_reset(struct model_oracle *o, const struct kcore_boot *boot, int64_t ret, struct violation *v)
{
	return check_ret(o, 0, "init", ref_init(o->model, boot), ret, v);
}

static const char *host_op_name(uint64_t op)
{
	static const char *const names[HVC__END] = {
		[HVC_REGISTER_VM] = "register_vm", [HVC_REGISTER_VCPU] = "register_vcpu",
		[HVC_SET_BOOT_INFO] = "set_boot_info", [HVC_REMAP_VM_IMAGE] = "remap_vm_image",
		[HVC_VERIFY_VM_IMAGE] = "verify_vm_image", [HVC_VCPU_RUN] = "vcpu_run",
		[HVC_MAP_VM_PAGE] = "map_vm_page", [HVC_CLEAR_VM] = "clear_vm",
		[HVC_SMMU_ALLOC] = "smmu_alloc", [HVC_SMMU_MAP] = "smmu_map", [HVC_SMMU_UNMAP] = "smmu_unmap",
		[HVC_SMMU_IOVA_TO_PHYS] = "smmu_iova_to_phys", [HVC_SMMU_FREE] = "smmu_free",
		[HVC_IOREMAP] = "ioremap",
	};

	return op > 0 && op < HVC__END ? names[op] : "(unknown)";
}

static const char *guest_op_name(uint64_t op)
{
	static const char *const names[GHVC__END] = {
		[GHVC_GRANT] = "grant", [GHVC_REVOKE] = "revoke", [GHVC_POWER_OFF] = "power_off", [GHVC_EXIT] = "exit",
	};

	return op > 0 && op < GHVC__END ? names[op] : "(unknown)";
}

bool model_oracle_host_call(struct model_oracle *o, unsigned cpu, uint64_t op, uint64_t a0, uint64_t a1,
			    uint64_t a2, int64_t ret, struct violation *v)
{
	char what[40];

	snprintf(what, sizeof(what), "hvc %s", host_op_name(op));
	return check_ret(o, cpu, what, ref_host_call(o->model, cpu, op, a0, a1, a2), ret, v);
}

bool model_oracle_guest_call(struct model_oracle *o, unsigned cpu, uint64_t op, uint64_t a0, int64_t ret,
			     struct violation *v)
{
	char what[40];

	snprintf(what, sizeof(what), "guest hvc %s", guest_op_name(op));
	return check_ret(o, cpu, what, ref_guest_call(o->model, cpu, op, a0), ret, v);
}

bool model_oracle_kserv_fault(struct model_oracle *o, unsigned cpu, uint64_t pa, int64_t ret, struct violation *v)
{
	return check_ret(o, cpu, "kserv fault", ref_kserv_fault(o->model, cpu, pa), ret, v);
}

/* One fault often shows in both checks: a leaf the model lacks can also
 * reach a page nobody allowed, or have a type no page may have.  The
 * isolation verdict says which principal gains what, so it wins. */
static void prefer_isolation(struct model_oracle *o, const struct ref_state *want, struct violation *v)
{
	struct violation iso;

	if ((o->checks & MODEL_CHECK_ISOLATION) && isolation_check(want, o->target, &iso))
		*v = iso;
}

bool model_oracle_quiescent(struct model_oracle *o, struct violation *v)
{
	const struct ref_state *want = ref_state_of(o->model);

	if (want->boot.ncpus == 0)
		return false; /* no layout both sides accepted yet */
	if (o->checks & MODEL_CHECK_STATE) {
		abs_from_target(o->concrete, &want->boot, o->target, want);
		if (refine_check_state(want, o->concrete, v)) {
			prefer_isolation(o, want, v);
			return found(v, -1);
		}
	}
	if ((o->checks & MODEL_CHECK_ISOLATION) && isolation_check(want, o->target, v))
		return found(v, -1);
	return false;
}
