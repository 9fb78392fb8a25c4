/* The model's guest hypercalls and KServ's stage-2 faults. */
#include "hyp/addr.h"
#include "model/ref/ref_ops.h"

/* The RAM page this VM maps at gfn, or NULL (unmapped, or MMIO). */
static struct ref_page *vm_ram_page(struct ref_model *m, int vm, uint64_t gfn)
{
	const struct ref_vm *v = &m->st.vm[vm];
	const struct ref_map_entry *e = ref_map_find(v->map.e, v->map.n, gfn);

	return e == NULL ? NULL : ref_page_of(&m->st, e->pa >> PAGE_SHIFT);
}

/* The checks grant and revoke share: E_CPU_STATE, E_GFN, E_UNMAPPED. */
static struct ref_page *guest_page(struct ref_model *m, unsigned cpu, uint64_t gfn, int64_t *err)
{
	int vm = ref_cpu_vm(m, cpu);
	struct ref_page *p;

	if (vm == 0) {
		*err = REF_ERR(KCORE_E_CPU_STATE);
		return NULL;
	}
	if (gfn > S2_MAX_GFN) {
		*err = REF_ERR(KCORE_E_GFN);
		return NULL;
	}
	p = vm_ram_page(m, vm, gfn);
	if (p == NULL)
		*err = REF_ERR(KCORE_E_UNMAPPED);
	return p;
}

int64_t ref_op_grant(struct ref_model *m, unsigned cpu, uint64_t gfn)
{
	int64_t err = 0;
	struct ref_page *p = guest_page(m, cpu, gfn, &err);

	if (p == NULL)
		return err;
	if (p->share >= kcore_cap(m->st.boot.caps.max_share, KCORE_MAX_SHARE))
		return REF_ERR(KCORE_E_SHARE_LIMIT);
	return ++p->share;
}

int64_t ref_op_revoke(struct ref_model *m, unsigned cpu, uint64_t gfn)
{
	int64_t err = 0;
	struct ref_page *p = guest_page(m, cpu, gfn, &err);

	if (p == NULL)
		return err;
	if (p->share == 0)
		return REF_ERR(KCORE_E_NOT_SHARED);
	return --p->share;
}

/* The vCPU on cpu stops running: READY, and the CPU is back in the host. */
static void leave_guest(struct ref_model *m, unsigned cpu)
{
	struct ref_cpu *c = &m->st.cpu[cpu];
	struct ref_vm *v = &m->st.vm[c->vm];

	v->vcpu[c->vcpu] = VCPU_READY;
	v->vcpu_cpu[c->vcpu] = -1;
	ref_vm_moved(v);
	*c = (struct ref_cpu){ .vm = 0, .vcpu = 0 };
}

int64_t ref_op_power_off(struct ref_model *m, unsigned cpu)
{
	int vm = ref_cpu_vm(m, cpu);

	if (vm == 0)
		return REF_ERR(KCORE_E_CPU_STATE);
	m->st.vm[vm].state = VM_POWERED_OFF;
	ref_vm_moved(&m->st.vm[vm]);
	leave_guest(m, cpu);
	return KCORE_OK;
}

int64_t ref_op_guest_exit(struct ref_model *m, unsigned cpu)
{
	if (ref_cpu_vm(m, cpu) == 0)
		return REF_ERR(KCORE_E_CPU_STATE);
	leave_guest(m, cpu);
	return KCORE_OK;
}

/* KServ may map its own pages and pages a VM granted (count > 0). */
static bool kserv_may_map(const struct ref_page *p)
{
	return p->owner == KCORE_OWNER_KSERV || (p->owner != KCORE_OWNER_KCORE && p->share > 0);
}

int64_t ref_op_kserv_fault(struct ref_model *m, unsigned cpu, uint64_t pa)
{
	uint64_t pfn = pa >> PAGE_SHIFT;
	const struct ref_page *p = ref_page_get(&m->st, pfn);

	if (ref_cpu_vm(m, cpu) != 0)
		return REF_ERR(KCORE_E_CPU_STATE);
	if (p == NULL && !ref_is_mmio(&m->st, pfn))
		return REF_ERR(KCORE_E_PFN);
	if (p != NULL && !kserv_may_map(p))
		return REF_ERR(KCORE_E_OWNER);
	/* A pfn KServ maps now was faulted in before, so its tables are
	 * already counted: "already mapped -> 0" needs no record of its own. */
	if (ref_pool_full_for(&m->kserv_pool, pfn))
		return REF_ERR(KCORE_E_NOMEM);
	ref_pool_add(&m->kserv_pool, pfn);
	m->st.kserv_pool_used = ref_pool_used(&m->kserv_pool);
	return KCORE_OK;
}
