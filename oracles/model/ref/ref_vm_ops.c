/* The model's VM lifecycle operations: register, boot, run, map, clear. */
#include <string.h>

#include "hyp/addr.h"
#include "model/ref/ref_ops.h"
#include "model/state/ref_attr.h"

/* kind: REF_MAP_VM_IMAGE or REF_MAP_VM_RAM, for the contract's attributes. */
static void map_page(struct ref_model *m, unsigned vm, uint64_t gfn, uint64_t pfn, enum ref_map_kind kind)
{
	struct ref_vm *v = &m->st.vm[vm];
	struct ref_page *p = ref_page_of(&m->st, pfn);
	struct ref_attr a = ref_attr_of(kind);
	struct ref_map_entry e = {
		.key = gfn, .pa = pfn << PAGE_SHIFT, .pages = 1, .perm = a.perm, .mem = a.mem,
	};

	p->owner = vm;
	p->gfn = gfn;
	ref_map_insert(v->map.e, &v->map.n, REF_VM_MAP_CAP, e);
	ref_pool_add(&m->vm_pool[vm], gfn);
	v->pool_used = ref_pool_used(&m->vm_pool[vm]);
	ref_vm_moved(v);
	ref_vm_map_moved(v);
}

int64_t ref_op_register_vm(struct ref_model *m)
{
	for (unsigned vm = 1; vm <= KCORE_MAX_VMS; vm++) {
		if (m->st.vm[vm].state != VM_UNUSED)
			continue;
		m->st.vm[vm].state = VM_READY;
		ref_pool_create(&m->vm_pool[vm], kcore_cap(m->st.boot.caps.vm_pool_pages, KCORE_VM_POOL_PAGES));
		m->st.vm[vm].pool_used = ref_pool_used(&m->vm_pool[vm]);
		ref_vm_moved(&m->st.vm[vm]);
		return vm;
	}
	return REF_ERR(KCORE_E_VM_LIMIT);
}

int64_t ref_op_register_vcpu(struct ref_model *m, uint64_t vm, uint64_t vcpu)
{
	struct ref_vm *v = ref_valid_vm(m, vm);

	if (v == NULL)
		return REF_ERR(KCORE_E_VM);
	if (v->state != VM_READY)
		return REF_ERR(KCORE_E_VM_STATE);
	if (vcpu >= KCORE_MAX_VCPUS)
		return REF_ERR(KCORE_E_VCPU);
	if (v->vcpu[vcpu] != VCPU_UNUSED)
		return REF_ERR(KCORE_E_VCPU_STATE);
	v->vcpu[vcpu] = VCPU_READY;
	ref_vm_moved(v);
	return KCORE_OK;
}

int64_t ref_op_set_boot_info(struct ref_model *m, uint64_t vm, uint64_t gpa, uint64_t npages)
{
	struct ref_vm *v = ref_valid_vm(m, vm);

	if (v == NULL)
		return REF_ERR(KCORE_E_VM);
	if (v->state != VM_READY)
		return REF_ERR(KCORE_E_VM_STATE);
	if (v->boot_set)
		return REF_ERR(KCORE_E_BOOT_INFO);
	if ((gpa & PAGE_MASK) != 0 || npages == 0 || npages > KCORE_MAX_IMAGE_PAGES ||
	    (gpa >> PAGE_SHIFT) + npages - 1 > S2_MAX_GFN)
		return REF_ERR(KCORE_E_BOOT_INFO);
	v->boot_set = true;
	v->boot_gfn = gpa >> PAGE_SHIFT;
	v->boot_npages = npages;
	ref_vm_moved(v);
	return KCORE_OK;
}

int64_t ref_op_remap_vm_image(struct ref_model *m, uint64_t vm, uint64_t pfn, uint64_t idx)
{
	struct ref_vm *v = ref_valid_vm(m, vm);
	struct ref_page *p;

	if (v == NULL)
		return REF_ERR(KCORE_E_VM);
	if (v->state != VM_READY)
		return REF_ERR(KCORE_E_VM_STATE);
	if (!v->boot_set || idx >= v->boot_npages || v->image_pfn[idx] != 0)
		return REF_ERR(KCORE_E_BOOT_INFO);
	p = ref_page_of(&m->st, pfn);
	if (p == NULL)
		return REF_ERR(KCORE_E_PFN);
	if (p->owner != KCORE_OWNER_KSERV)
		return REF_ERR(KCORE_E_OWNER);
	if (p->dma != 0)
		return REF_ERR(KCORE_E_DMA);
	p->owner = KCORE_OWNER_KCORE;
	v->image_pfn[idx] = pfn;
	ref_vm_moved(v);
	return KCORE_OK;
}

int64_t ref_op_verify_vm_image(struct ref_model *m, uint64_t vm)
{
	struct ref_vm *v = ref_valid_vm(m, vm);

	if (v == NULL)
		return REF_ERR(KCORE_E_VM);
	if (v->state != VM_READY)
		return REF_ERR(KCORE_E_VM_STATE);
	if (!v->boot_set)
		return REF_ERR(KCORE_E_BOOT_INFO);
	for (uint64_t i = 0; i < v->boot_npages; i++)
		if (v->image_pfn[i] == 0)
			return REF_ERR(KCORE_E_BOOT_INFO);
	if (m->image_ok == NULL || !m->image_ok(m->image_ctx, v->image_pfn, (unsigned)v->boot_npages)) {
		v->state = VM_POWERED_OFF;
		ref_vm_moved(v);
		return REF_ERR(KCORE_E_VERIFY);
	}
	for (uint64_t i = 0; i < v->boot_npages; i++)
		map_page(m, (unsigned)vm, v->boot_gfn + i, v->image_pfn[i], REF_MAP_VM_IMAGE);
	v->state = VM_VERIFIED;
	ref_vm_moved(v);
	return KCORE_OK;
}

int64_t ref_op_vcpu_run(struct ref_model *m, unsigned cpu, uint64_t vm, uint64_t vcpu)
{
	struct ref_vm *v = ref_valid_vm(m, vm);

	if (v == NULL)
		return REF_ERR(KCORE_E_VM);
	if (v->state != VM_VERIFIED)
		return REF_ERR(KCORE_E_VM_STATE);
	if (vcpu >= KCORE_MAX_VCPUS)
		return REF_ERR(KCORE_E_VCPU);
	if (v->vcpu[vcpu] != VCPU_READY)
		return REF_ERR(KCORE_E_VCPU_STATE);
	if (ref_cpu_vm(m, cpu) != 0)
		return REF_ERR(KCORE_E_CPU_STATE);
	v->vcpu[vcpu] = VCPU_ACTIVE;
	v->vcpu_cpu[vcpu] = (int)cpu;
	ref_vm_moved(v);
	m->st.cpu[cpu] = (struct ref_cpu){ .vm = (int)vm, .vcpu = (int)vcpu };
	return KCORE_OK;
}

int64_t ref_op_map_vm_page(struct ref_model *m, uint64_t vm, uint64_t gfn, uint64_t pfn)
{
	struct ref_vm *v = ref_valid_vm(m, vm);
	const struct ref_page *p;

	if (v == NULL)
		return REF_ERR(KCORE_E_VM);
	if (v->state != VM_VERIFIED)
		return REF_ERR(KCORE_E_VM_STATE);
	if (gfn > S2_MAX_GFN)
		return REF_ERR(KCORE_E_GFN);
	p = ref_page_get(&m->st, pfn);
	if (p == NULL)
		return REF_ERR(KCORE_E_PFN);
	if (ref_map_find(v->map.e, v->map.n, gfn) != NULL)
		return REF_ERR(KCORE_E_MAPPED);
	if (p->owner != KCORE_OWNER_KSERV)
		return REF_ERR(KCORE_E_OWNER);
	if (p->dma != 0)
		return REF_ERR(KCORE_E_DMA);
	if (ref_pool_full_for(&m->vm_pool[vm], gfn))
		return REF_ERR(KCORE_E_NOMEM);
	map_page(m, (unsigned)vm, gfn, pfn, REF_MAP_VM_RAM);
	return KCORE_OK;
}

static void give_back_to_kserv(struct ref_page *p)
{
	p->owner = KCORE_OWNER_KSERV;
	p->share = 0;
	p->gfn = KCORE_NO_GFN;
}

/* Back to UNUSED with nothing left of the old VM. */
static void reset_slot(struct ref_model *m, unsigned vm)
{
	struct ref_vm *v = &m->st.vm[vm];

	v->state = VM_UNUSED;
	for (unsigned c = 0; c < KCORE_MAX_VCPUS; c++) {
		v->vcpu[c] = VCPU_UNUSED;
		v->vcpu_cpu[c] = -1;
	}
	v->boot_set = false;
	v->boot_gfn = v->boot_npages = 0;
	memset(v->image_pfn, 0, sizeof(v->image_pfn));
	v->map.n = 0;
	ref_pool_release(&m->vm_pool[vm]);
	v->pool_used = 0;
	ref_vm_moved(v);
	ref_vm_map_moved(v);
}

/* Every page vm owns goes back to KServ.  A VM's pages are never in their
 * boot state, so the changed pages are all there is to look at. */
static void give_back_pages_of(struct ref_state *st, unsigned vm)
{
	unsigned n;
	const uint32_t *changed = ref_state_changed(st, &n);

	if (changed == NULL)
		n = (unsigned)st->boot.ram_pages;
	for (unsigned j = 0; j < n; j++) {
		uint64_t i = changed ? changed[j] : j;
		if (st->page[i].owner == vm)
			give_back_to_kserv(ref_page_of(st, st->boot.ram_base_pfn + i));
	}
}

int64_t ref_op_clear_vm(struct ref_model *m, uint64_t vm)
{
	struct ref_vm *v = ref_valid_vm(m, vm);

	if (v == NULL)
		return REF_ERR(KCORE_E_VM);
	if (v->state != VM_POWERED_OFF)
		return REF_ERR(KCORE_E_VM_STATE);
	for (unsigned c = 0; c < KCORE_MAX_VCPUS; c++)
		if (v->vcpu[c] == VCPU_ACTIVE)
			return REF_ERR(KCORE_E_VCPU_STATE);
	for (unsigned u = 0; u < KCORE_SMMU_UNITS; u++)
		if (m->st.smmu[u].allocated && m->st.smmu[u].owner == vm)
			ref_smmu_release(m, u);
	give_back_pages_of(&m->st, (unsigned)vm);
	for (unsigned i = 0; i < KCORE_MAX_IMAGE_PAGES; i++)
		if (v->image_pfn[i] != 0)
			give_back_to_kserv(ref_page_of(&m->st, v->image_pfn[i]));
	reset_slot(m, (unsigned)vm);
	return KCORE_OK;
}

int64_t ref_op_ioremap(struct ref_model *m, uint64_t vm, uint64_t gpa, uint64_t pa)
{
	struct ref_vm *v = ref_valid_vm(m, vm);
	uint64_t gfn = gpa >> PAGE_SHIFT;
	struct ref_attr a = ref_attr_of(REF_MAP_VM_MMIO);
	struct ref_map_entry e = { .key = gfn, .pa = pa, .pages = 1, .perm = a.perm, .mem = a.mem };

	if (v == NULL)
		return REF_ERR(KCORE_E_VM);
	if (v->state != VM_VERIFIED)
		return REF_ERR(KCORE_E_VM_STATE);
	if ((gpa & PAGE_MASK) != 0 || gfn > S2_MAX_GFN)
		return REF_ERR(KCORE_E_GFN);
	if ((pa & PAGE_MASK) != 0 || !ref_is_mmio(&m->st, pa >> PAGE_SHIFT))
		return REF_ERR(KCORE_E_NOT_MMIO);
	if (ref_map_find(v->map.e, v->map.n, gfn) != NULL)
		return REF_ERR(KCORE_E_MAPPED);
	if (ref_pool_full_for(&m->vm_pool[vm], gfn))
		return REF_ERR(KCORE_E_NOMEM);
	ref_map_insert(v->map.e, &v->map.n, REF_VM_MAP_CAP, e);
	ref_pool_add(&m->vm_pool[vm], gfn);
	v->pool_used = ref_pool_used(&m->vm_pool[vm]);
	ref_vm_moved(v);
	ref_vm_map_moved(v);
	return KCORE_OK;
}
