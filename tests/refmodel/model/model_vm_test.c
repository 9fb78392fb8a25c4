/* The reference model alone: VM lifecycle operations, each success path and
 * each rejection in the order kcore.h lists the checks. */
#include "check.h"
#include "model_fixture.h"

TEST(init_boot_state)
{
	struct ref_model *m = fx_model();
	const struct ref_state *s = ref_state_of(m);

	CHECK_EQ(fx_page(m, FX_RAM_BASE_PFN)->owner, KCORE_OWNER_KCORE);
	CHECK_EQ(fx_page(m, FX_RAM_BASE_PFN + FX_KCORE_PAGES - 1)->owner, KCORE_OWNER_KCORE);
	CHECK_EQ(fx_page(m, FX_KSERV_PFN(0))->owner, KCORE_OWNER_KSERV);
	CHECK_EQ(fx_page(m, FX_KSERV_PFN(0))->gfn, KCORE_NO_GFN);
	CHECK(ref_page_get(s, FX_RAM_BASE_PFN + FX_RAM_PAGES) == NULL);
	for (unsigned vm = 1; vm <= KCORE_MAX_VMS; vm++)
		CHECK_EQ(s->vm[vm].state, VM_UNUSED);
	for (unsigned u = 0; u < KCORE_SMMU_UNITS; u++)
		CHECK(!s->smmu[u].allocated);
	CHECK_EQ(s->kserv_pool_used, 1);
	for (unsigned c = 0; c < FX_NCPUS; c++)
		CHECK_EQ(s->cpu[c].vm, 0);
}

TEST(init_rejects_bad_layouts)
{
	struct ref_model *m = fx_model();
	struct kcore_boot b;

	fx_boot(&b);
	b.kcore_base_pfn = FX_RAM_BASE_PFN + FX_RAM_PAGES - 1; /* region runs past RAM */
	CHECK_EQ(ref_init(m, &b), ERR(KCORE_E_PFN));
	fx_boot(&b);
	b.ram_pages = 0;
	CHECK_EQ(ref_init(m, &b), ERR(KCORE_E_PFN));
	fx_boot(&b);
	b.ram_pages = KCORE_MAX_RAM_PAGES + 1;
	CHECK_EQ(ref_init(m, &b), ERR(KCORE_E_PFN));
	fx_boot(&b);
	b.mmio_base_pfn = FX_RAM_BASE_PFN + 16; /* MMIO inside RAM */
	CHECK_EQ(ref_init(m, &b), ERR(KCORE_E_PFN));
	fx_boot(&b);
	b.ncpus = 0;
	CHECK_EQ(ref_init(m, &b), ERR(KCORE_E_PFN));
	fx_boot(&b);
	CHECK_EQ(ref_init(m, &b), KCORE_OK);
}

TEST(unknown_op_and_cpu)
{
	struct ref_model *m = fx_model();

	CHECK_EQ(fx_hvc(m, 0, 0, 0, 0), ERR(KCORE_E_OP));
	CHECK_EQ(fx_hvc(m, HVC__END, 0, 0, 0), ERR(KCORE_E_OP));
	CHECK_EQ(fx_ghvc(m, 0, 0, 0), ERR(KCORE_E_OP));
	CHECK_EQ(fx_ghvc(m, 0, GHVC__END, 0), ERR(KCORE_E_OP));
	CHECK_EQ(ref_host_call(m, FX_NCPUS, HVC_REGISTER_VM, 0, 0, 0), ERR(KCORE_E_CPU_STATE));
	CHECK_EQ(ref_guest_call(m, FX_NCPUS, GHVC_EXIT, 0), ERR(KCORE_E_CPU_STATE));
	CHECK_EQ(ref_kserv_fault(m, FX_NCPUS, FX_KSERV_PFN(0) << 12), ERR(KCORE_E_CPU_STATE));
}

TEST(register_vm_takes_lowest_slot)
{
	struct ref_model *m = fx_model();

	for (unsigned vm = 1; vm <= KCORE_MAX_VMS; vm++) {
		CHECK_EQ(fx_hvc(m, HVC_REGISTER_VM, 0, 0, 0), vm);
		CHECK_EQ(fx_vm(m, vm)->state, VM_READY);
		CHECK_EQ(fx_vm(m, vm)->pool_used, 1);
	}
	CHECK_EQ(fx_hvc(m, HVC_REGISTER_VM, 0, 0, 0), ERR(KCORE_E_VM_LIMIT));
}

TEST(register_vcpu_checks_in_order)
{
	struct ref_model *m = fx_model();
	unsigned ready = (unsigned)fx_hvc(m, HVC_REGISTER_VM, 0, 0, 0);
	unsigned verified = fx_verified_vm(m, 1, FX_KSERV_PFN(0));

	CHECK_EQ(fx_hvc(m, HVC_REGISTER_VCPU, 0, 0, 0), ERR(KCORE_E_VM));
	CHECK_EQ(fx_hvc(m, HVC_REGISTER_VCPU, KCORE_MAX_VMS + 1, 0, 0), ERR(KCORE_E_VM));
	CHECK_EQ(fx_hvc(m, HVC_REGISTER_VCPU, 5, 0, 0), ERR(KCORE_E_VM)); /* slot unused */
	CHECK_EQ(fx_hvc(m, HVC_REGISTER_VCPU, verified, 99, 0), ERR(KCORE_E_VM_STATE));
	CHECK_EQ(fx_hvc(m, HVC_REGISTER_VCPU, ready, KCORE_MAX_VCPUS, 0), ERR(KCORE_E_VCPU));
	CHECK_EQ(fx_hvc(m, HVC_REGISTER_VCPU, ready, 3, 0), KCORE_OK);
	CHECK_EQ(fx_vm(m, ready)->vcpu[3], VCPU_READY);
	CHECK_EQ(fx_vm(m, ready)->vcpu[2], VCPU_UNUSED);
	CHECK_EQ(fx_hvc(m, HVC_REGISTER_VCPU, ready, 3, 0), ERR(KCORE_E_VCPU_STATE));
}

TEST(set_boot_info_checks_in_order)
{
	struct ref_model *m = fx_model();
	unsigned vm = (unsigned)fx_hvc(m, HVC_REGISTER_VM, 0, 0, 0);
	unsigned verified = fx_verified_vm(m, 1, FX_KSERV_PFN(0));
	uint64_t last = S2_MAX_GFN << 12;

	CHECK_EQ(fx_hvc(m, HVC_SET_BOOT_INFO, 7, 0x1000, 1), ERR(KCORE_E_VM));
	CHECK_EQ(fx_hvc(m, HVC_SET_BOOT_INFO, verified, 0x1001, 0), ERR(KCORE_E_VM_STATE));
	CHECK_EQ(fx_hvc(m, HVC_SET_BOOT_INFO, vm, 0x1001, 1), ERR(KCORE_E_BOOT_INFO));
	CHECK_EQ(fx_hvc(m, HVC_SET_BOOT_INFO, vm, 0x1000, 0), ERR(KCORE_E_BOOT_INFO));
	CHECK_EQ(fx_hvc(m, HVC_SET_BOOT_INFO, vm, 0x1000, KCORE_MAX_IMAGE_PAGES + 1), ERR(KCORE_E_BOOT_INFO));
	CHECK_EQ(fx_hvc(m, HVC_SET_BOOT_INFO, vm, last, 2), ERR(KCORE_E_BOOT_INFO));
	CHECK(!fx_vm(m, vm)->boot_set);
	CHECK_EQ(fx_hvc(m, HVC_SET_BOOT_INFO, vm, last, 1), KCORE_OK);
	CHECK(fx_vm(m, vm)->boot_set);
	CHECK_EQ(fx_vm(m, vm)->boot_gfn, S2_MAX_GFN);
	CHECK_EQ(fx_vm(m, vm)->boot_npages, 1);
	/* Set twice: E_BOOT_INFO even with good arguments. */
	CHECK_EQ(fx_hvc(m, HVC_SET_BOOT_INFO, vm, 0x1000, 1), ERR(KCORE_E_BOOT_INFO));
}

TEST(remap_vm_image_checks_in_order)
{
	struct ref_model *m = fx_model();
	unsigned other = fx_verified_vm(m, 1, FX_KSERV_PFN(0)); /* owns KSERV_PFN(0) */
	unsigned vm = (unsigned)fx_hvc(m, HVC_REGISTER_VM, 0, 0, 0);
	uint64_t pfn = FX_KSERV_PFN(10);

	CHECK_EQ(fx_hvc(m, HVC_REMAP_VM_IMAGE, 0, pfn, 0), ERR(KCORE_E_VM));
	CHECK_EQ(fx_hvc(m, HVC_REMAP_VM_IMAGE, other, 1, 99), ERR(KCORE_E_VM_STATE));
	CHECK_EQ(fx_hvc(m, HVC_REMAP_VM_IMAGE, vm, 1, 0), ERR(KCORE_E_BOOT_INFO)); /* boot info unset */
	CHECK_EQ(fx_hvc(m, HVC_SET_BOOT_INFO, vm, 0x10000, 2), KCORE_OK);
	CHECK_EQ(fx_hvc(m, HVC_REMAP_VM_IMAGE, vm, 1, 2), ERR(KCORE_E_BOOT_INFO)); /* idx >= npages */
	CHECK_EQ(fx_hvc(m, HVC_REMAP_VM_IMAGE, vm, 1, 0), ERR(KCORE_E_PFN));
	CHECK_EQ(fx_hvc(m, HVC_REMAP_VM_IMAGE, vm, FX_RAM_BASE_PFN + FX_RAM_PAGES, 0), ERR(KCORE_E_PFN));
	CHECK_EQ(fx_hvc(m, HVC_REMAP_VM_IMAGE, vm, FX_RAM_BASE_PFN, 0), ERR(KCORE_E_OWNER));
	CHECK_EQ(fx_hvc(m, HVC_REMAP_VM_IMAGE, vm, FX_KSERV_PFN(0), 0), ERR(KCORE_E_OWNER));
	CHECK_EQ(fx_hvc(m, HVC_SMMU_ALLOC, 0, 0, 0), KCORE_OK);
	CHECK_EQ(fx_hvc(m, HVC_SMMU_MAP, 0, 0x5000, FX_KSERV_PFN(11)), KCORE_OK);
	CHECK_EQ(fx_hvc(m, HVC_REMAP_VM_IMAGE, vm, FX_KSERV_PFN(11), 0), ERR(KCORE_E_DMA));
	CHECK_EQ(fx_hvc(m, HVC_REMAP_VM_IMAGE, vm, pfn, 0), KCORE_OK);
	CHECK_EQ(fx_page(m, pfn)->owner, KCORE_OWNER_KCORE);
	CHECK_EQ(fx_page(m, pfn)->gfn, KCORE_NO_GFN);
	CHECK_EQ(fx_vm(m, vm)->image_pfn[0], pfn);
	CHECK_EQ(fx_hvc(m, HVC_REMAP_VM_IMAGE, vm, FX_KSERV_PFN(12), 0), ERR(KCORE_E_BOOT_INFO)); /* slot filled */
	CHECK_EQ(fx_hvc(m, HVC_REMAP_VM_IMAGE, vm, pfn, 1), ERR(KCORE_E_OWNER)); /* already KCore's */
}

TEST(verify_maps_image_at_gpa)
{
	struct ref_model *m = fx_model();
	unsigned vm = fx_ready_vm(m, 3, FX_KSERV_PFN(20));
	const struct ref_vm *v = fx_vm(m, vm);

	CHECK_EQ(fx_hvc(m, HVC_VERIFY_VM_IMAGE, vm, 0, 0), KCORE_OK);
	CHECK_EQ(v->state, VM_VERIFIED);
	CHECK_EQ(v->map.n, 3);
	for (unsigned i = 0; i < 3; i++) {
		const struct ref_map_entry *e = ref_map_find(v->map.e, v->map.n, FX_IMAGE_GFN + i);
		CHECK(e != NULL);
		CHECK_EQ(e->pa, (FX_KSERV_PFN(20) + i) << 12);
		CHECK_EQ(e->perm, REF_PERM_RW | REF_PERM_X); /* the guest boots from its image */
		CHECK_EQ(e->mem, REF_MEM_NORMAL);
		CHECK_EQ(fx_page(m, FX_KSERV_PFN(20) + i)->owner, vm);
		CHECK_EQ(fx_page(m, FX_KSERV_PFN(20) + i)->gfn, FX_IMAGE_GFN + i);
	}
	CHECK_EQ(v->pool_used, 3); /* root, one level-2 and one level-3 table */
}

TEST(verify_checks_in_order)
{
	struct ref_model *m = fx_model();
	unsigned verified = fx_verified_vm(m, 1, FX_KSERV_PFN(0));
	unsigned vm = (unsigned)fx_hvc(m, HVC_REGISTER_VM, 0, 0, 0);

	CHECK_EQ(fx_hvc(m, HVC_VERIFY_VM_IMAGE, 8, 0, 0), ERR(KCORE_E_VM));
	CHECK_EQ(fx_hvc(m, HVC_VERIFY_VM_IMAGE, verified, 0, 0), ERR(KCORE_E_VM_STATE));
	CHECK_EQ(fx_hvc(m, HVC_VERIFY_VM_IMAGE, vm, 0, 0), ERR(KCORE_E_BOOT_INFO));
	CHECK_EQ(fx_hvc(m, HVC_SET_BOOT_INFO, vm, FX_IMAGE_GFN << 12, 2), KCORE_OK);
	CHECK_EQ(fx_hvc(m, HVC_REMAP_VM_IMAGE, vm, FX_KSERV_PFN(5), 1), KCORE_OK);
	CHECK_EQ(fx_hvc(m, HVC_VERIFY_VM_IMAGE, vm, 0, 0), ERR(KCORE_E_BOOT_INFO)); /* slot 0 empty */
	CHECK_EQ(fx_vm(m, vm)->state, VM_READY);
}

TEST(verify_bad_image_powers_off)
{
	struct ref_model *m = fx_model();
	unsigned vm = fx_ready_vm(m, 2, FX_KSERV_PFN(30));

	fx_images_good = false;
	CHECK_EQ(fx_hvc(m, HVC_VERIFY_VM_IMAGE, vm, 0, 0), ERR(KCORE_E_VERIFY));
	CHECK_EQ(fx_vm(m, vm)->state, VM_POWERED_OFF);
	CHECK_EQ(fx_vm(m, vm)->map.n, 0);
	CHECK_EQ(fx_page(m, FX_KSERV_PFN(30))->owner, KCORE_OWNER_KCORE);
	CHECK_EQ(fx_page(m, FX_KSERV_PFN(31))->owner, KCORE_OWNER_KCORE);
	CHECK_EQ(fx_hvc(m, HVC_VERIFY_VM_IMAGE, vm, 0, 0), ERR(KCORE_E_VM_STATE));
	/* Clearing hands the image pages back. */
	CHECK_EQ(fx_hvc(m, HVC_CLEAR_VM, vm, 0, 0), KCORE_OK);
	CHECK_EQ(fx_page(m, FX_KSERV_PFN(30))->owner, KCORE_OWNER_KSERV);
	CHECK_EQ(fx_page(m, FX_KSERV_PFN(31))->owner, KCORE_OWNER_KSERV);
	CHECK_EQ(fx_vm(m, vm)->state, VM_UNUSED);
}

TEST(vcpu_run_checks_in_order)
{
	struct ref_model *m = fx_model();
	unsigned ready = fx_ready_vm(m, 1, FX_KSERV_PFN(0));
	unsigned vm = fx_verified_vm(m, 1, FX_KSERV_PFN(1));

	CHECK_EQ(ref_host_call(m, 1, HVC_VCPU_RUN, 0, 0, 0), ERR(KCORE_E_VM));
	CHECK_EQ(ref_host_call(m, 1, HVC_VCPU_RUN, ready, 9, 0), ERR(KCORE_E_VM_STATE));
	CHECK_EQ(ref_host_call(m, 1, HVC_VCPU_RUN, vm, KCORE_MAX_VCPUS, 0), ERR(KCORE_E_VCPU));
	CHECK_EQ(ref_host_call(m, 1, HVC_VCPU_RUN, vm, 2, 0), ERR(KCORE_E_VCPU_STATE)); /* unregistered */
	CHECK_EQ(ref_host_call(m, 1, HVC_VCPU_RUN, vm, 0, 0), KCORE_OK);
	CHECK_EQ(fx_vm(m, vm)->vcpu[0], VCPU_ACTIVE);
	CHECK_EQ(fx_vm(m, vm)->vcpu_cpu[0], 1);
	CHECK_EQ(ref_state_of(m)->cpu[1].vm, vm);
	CHECK_EQ(ref_state_of(m)->cpu[1].vcpu, 0);
	CHECK_EQ(ref_host_call(m, 2, HVC_VCPU_RUN, vm, 0, 0), ERR(KCORE_E_VCPU_STATE)); /* active on CPU 1 */
	CHECK_EQ(ref_host_call(m, 1, HVC_VCPU_RUN, vm, 1, 0), ERR(KCORE_E_CPU_STATE));  /* CPU 1 in guest */
	CHECK_EQ(ref_host_call(m, 2, HVC_VCPU_RUN, vm, 1, 0), KCORE_OK);
}

TEST(map_vm_page_maps_and_takes_ownership)
{
	struct ref_model *m = fx_model();
	unsigned vm = fx_verified_vm(m, 1, FX_KSERV_PFN(0));
	uint64_t pfn = FX_KSERV_PFN(100);
	const struct ref_map_entry *e;

	CHECK_EQ(fx_hvc(m, HVC_MAP_VM_PAGE, vm, 0x123, pfn), KCORE_OK);
	CHECK_EQ(fx_page(m, pfn)->owner, vm);
	CHECK_EQ(fx_page(m, pfn)->gfn, 0x123);
	e = ref_map_find(fx_vm(m, vm)->map.e, fx_vm(m, vm)->map.n, 0x123);
	CHECK(e != NULL);
	CHECK_EQ(e->pa, pfn << 12);
	CHECK_EQ(e->mem, REF_MEM_NORMAL);
	CHECK_EQ(fx_vm(m, vm)->pool_used, 5); /* image: root + L2 + L3; gfn 0x123: new L2 and L3 */
}

TEST(map_vm_page_checks_in_order)
{
	struct ref_model *m = fx_model();
	unsigned ready = fx_ready_vm(m, 1, FX_KSERV_PFN(0));
	unsigned vm = fx_verified_vm(m, 1, FX_KSERV_PFN(1));
	uint64_t pfn = FX_KSERV_PFN(50);

	CHECK_EQ(fx_hvc(m, HVC_MAP_VM_PAGE, 9, 0, pfn), ERR(KCORE_E_VM));
	CHECK_EQ(fx_hvc(m, HVC_MAP_VM_PAGE, ready, S2_MAX_GFN + 1, 1), ERR(KCORE_E_VM_STATE));
	CHECK_EQ(fx_hvc(m, HVC_MAP_VM_PAGE, vm, S2_MAX_GFN + 1, 1), ERR(KCORE_E_GFN));
	CHECK_EQ(fx_hvc(m, HVC_MAP_VM_PAGE, vm, FX_IMAGE_GFN, 1), ERR(KCORE_E_PFN));
	CHECK_EQ(fx_hvc(m, HVC_MAP_VM_PAGE, vm, FX_IMAGE_GFN, FX_RAM_BASE_PFN), ERR(KCORE_E_MAPPED));
	CHECK_EQ(fx_hvc(m, HVC_IOREMAP, vm, 0x7000, FX_MMIO_PA(0)), KCORE_OK);
	CHECK_EQ(fx_hvc(m, HVC_MAP_VM_PAGE, vm, 7, pfn), ERR(KCORE_E_MAPPED)); /* MMIO there */
	CHECK_EQ(fx_hvc(m, HVC_MAP_VM_PAGE, vm, 8, FX_RAM_BASE_PFN), ERR(KCORE_E_OWNER));
	CHECK_EQ(fx_hvc(m, HVC_MAP_VM_PAGE, vm, 8, FX_KSERV_PFN(0)), ERR(KCORE_E_OWNER)); /* image of another VM */
	CHECK_EQ(fx_hvc(m, HVC_MAP_VM_PAGE, vm, 8, FX_KSERV_PFN(1)), ERR(KCORE_E_OWNER)); /* already this VM's */
	CHECK_EQ(fx_hvc(m, HVC_SMMU_ALLOC, 2, 0, 0), KCORE_OK);
	CHECK_EQ(fx_hvc(m, HVC_SMMU_MAP, 2, 0, pfn), KCORE_OK);
	CHECK_EQ(fx_hvc(m, HVC_MAP_VM_PAGE, vm, 8, pfn), ERR(KCORE_E_DMA));
	CHECK_EQ(fx_hvc(m, HVC_SMMU_UNMAP, 2, 0, 0), KCORE_OK);
	CHECK_EQ(fx_hvc(m, HVC_MAP_VM_PAGE, vm, 8, pfn), KCORE_OK);
}

/* The pool rule: 1 + |{gfn >> 18}| + |{gfn >> 9}|, never shrinking. */
TEST(map_vm_page_pool_exhaustion)
{
	struct ref_model *m = fx_model();
	unsigned vm = fx_verified_vm(m, 1, FX_KSERV_PFN(0)); /* gfn 0x80000: 3 pages */
	uint64_t next = 1000;

	/* 13 more level-3 tables under the image's level-2 table fill the pool. */
	for (uint64_t i = 1; i <= 13; i++)
		CHECK_EQ(fx_hvc(m, HVC_MAP_VM_PAGE, vm, FX_IMAGE_GFN + i * 512, FX_KSERV_PFN(next++)), KCORE_OK);
	CHECK_EQ(fx_vm(m, vm)->pool_used, KCORE_VM_POOL_PAGES);
	CHECK_EQ(fx_hvc(m, HVC_MAP_VM_PAGE, vm, FX_IMAGE_GFN + 14 * 512, FX_KSERV_PFN(next)), ERR(KCORE_E_NOMEM));
	CHECK_EQ(fx_hvc(m, HVC_MAP_VM_PAGE, vm, 0, FX_KSERV_PFN(next)), ERR(KCORE_E_NOMEM));
	CHECK_EQ(fx_page(m, FX_KSERV_PFN(next))->owner, KCORE_OWNER_KSERV);
	/* A gfn under existing tables still fits. */
	CHECK_EQ(fx_hvc(m, HVC_MAP_VM_PAGE, vm, FX_IMAGE_GFN + 1, FX_KSERV_PFN(next)), KCORE_OK);
	CHECK_EQ(fx_hvc(m, HVC_IOREMAP, vm, (FX_IMAGE_GFN + 2) << 12, FX_MMIO_PA(0)), KCORE_OK);
	CHECK_EQ(fx_hvc(m, HVC_IOREMAP, vm, 0, FX_MMIO_PA(0)), ERR(KCORE_E_NOMEM));
}

TEST(clear_vm_returns_everything)
{
	struct ref_model *m = fx_model();
	unsigned vm = fx_running_vm(m, 2, FX_KSERV_PFN(0), 1);
	uint64_t pfn = FX_KSERV_PFN(40);

	CHECK_EQ(fx_hvc(m, HVC_MAP_VM_PAGE, vm, 0x10, pfn), KCORE_OK);
	CHECK_EQ(fx_ghvc(m, 1, GHVC_GRANT, 0x10), 1);
	CHECK_EQ(fx_hvc(m, HVC_SMMU_ALLOC, 3, vm, 0), KCORE_OK);
	CHECK_EQ(fx_hvc(m, HVC_SMMU_MAP, 3, 0x2000, pfn), KCORE_OK);
	CHECK_EQ(fx_hvc(m, HVC_IOREMAP, vm, 0x20000, FX_MMIO_PA(1)), KCORE_OK);
	CHECK_EQ(fx_ghvc(m, 1, GHVC_POWER_OFF, 0), KCORE_OK);
	CHECK_EQ(fx_hvc(m, HVC_CLEAR_VM, vm, 0, 0), KCORE_OK);
	const uint64_t pages[] = { FX_KSERV_PFN(0), FX_KSERV_PFN(1), pfn };
	for (unsigned i = 0; i < N_CASES(pages); i++) {
		CHECK_EQ(fx_page(m, pages[i])->owner, KCORE_OWNER_KSERV);
		CHECK_EQ(fx_page(m, pages[i])->share, 0);
		CHECK_EQ(fx_page(m, pages[i])->dma, 0);
		CHECK_EQ(fx_page(m, pages[i])->gfn, KCORE_NO_GFN);
	}
	CHECK(!ref_state_of(m)->smmu[3].allocated);
	CHECK_EQ(fx_vm(m, vm)->state, VM_UNUSED);
	CHECK_EQ(fx_vm(m, vm)->map.n, 0);
	CHECK_EQ(fx_vm(m, vm)->pool_used, 0);
	CHECK(!fx_vm(m, vm)->boot_set);
	CHECK_EQ(fx_vm(m, vm)->vcpu[0], VCPU_UNUSED);
	/* The slot is free again, and starts empty. */
	CHECK_EQ(fx_hvc(m, HVC_REGISTER_VM, 0, 0, 0), vm);
	CHECK_EQ(fx_vm(m, vm)->pool_used, 1);
	CHECK_EQ(fx_vm(m, vm)->image_pfn[0], 0);
}

TEST(clear_vm_checks_in_order)
{
	struct ref_model *m = fx_model();
	unsigned vm = fx_running_vm(m, 1, FX_KSERV_PFN(0), 1);

	CHECK_EQ(ref_host_call(m, 2, HVC_VCPU_RUN, vm, 1, 0), KCORE_OK);
	CHECK_EQ(fx_hvc(m, HVC_CLEAR_VM, 4, 0, 0), ERR(KCORE_E_VM));
	CHECK_EQ(fx_hvc(m, HVC_CLEAR_VM, vm, 0, 0), ERR(KCORE_E_VM_STATE));
	CHECK_EQ(fx_ghvc(m, 1, GHVC_POWER_OFF, 0), KCORE_OK);
	CHECK_EQ(fx_vm(m, vm)->state, VM_POWERED_OFF);
	CHECK_EQ(fx_hvc(m, HVC_CLEAR_VM, vm, 0, 0), ERR(KCORE_E_VCPU_STATE)); /* vCPU 1 runs on */
	CHECK_EQ(fx_ghvc(m, 2, GHVC_EXIT, 0), KCORE_OK);
	CHECK_EQ(fx_hvc(m, HVC_CLEAR_VM, vm, 0, 0), KCORE_OK);
}

TEST(ioremap_checks_in_order)
{
	struct ref_model *m = fx_model();
	unsigned ready = fx_ready_vm(m, 1, FX_KSERV_PFN(0));
	unsigned vm = fx_verified_vm(m, 1, FX_KSERV_PFN(1));
	const struct ref_map_entry *e;

	CHECK_EQ(fx_hvc(m, HVC_IOREMAP, 0, 0x1000, FX_MMIO_PA(0)), ERR(KCORE_E_VM));
	CHECK_EQ(fx_hvc(m, HVC_IOREMAP, ready, 0x1001, 1), ERR(KCORE_E_VM_STATE));
	CHECK_EQ(fx_hvc(m, HVC_IOREMAP, vm, 0x1001, 1), ERR(KCORE_E_GFN));
	CHECK_EQ(fx_hvc(m, HVC_IOREMAP, vm, (S2_MAX_GFN + 1) << 12, 1), ERR(KCORE_E_GFN));
	CHECK_EQ(fx_hvc(m, HVC_IOREMAP, vm, 0x1000, FX_MMIO_PA(0) + 8), ERR(KCORE_E_NOT_MMIO));
	CHECK_EQ(fx_hvc(m, HVC_IOREMAP, vm, 0x1000, FX_KSERV_PFN(5) << 12), ERR(KCORE_E_NOT_MMIO));
	CHECK_EQ(fx_hvc(m, HVC_IOREMAP, vm, 0x1000, FX_MMIO_PA(FX_MMIO_PAGES)), ERR(KCORE_E_NOT_MMIO));
	CHECK_EQ(fx_hvc(m, HVC_IOREMAP, vm, FX_IMAGE_GFN << 12, FX_MMIO_PA(0)), ERR(KCORE_E_MAPPED));
	CHECK_EQ(fx_hvc(m, HVC_IOREMAP, vm, 0x1000, FX_MMIO_PA(FX_MMIO_PAGES - 1)), KCORE_OK);
	e = ref_map_find(fx_vm(m, vm)->map.e, fx_vm(m, vm)->map.n, 1);
	CHECK(e != NULL);
	CHECK_EQ(e->pa, FX_MMIO_PA(FX_MMIO_PAGES - 1));
	CHECK_EQ(e->mem, REF_MEM_DEVICE);
	/* The same device page may appear at a second gfn. */
	CHECK_EQ(fx_hvc(m, HVC_IOREMAP, vm, 0x2000, FX_MMIO_PA(FX_MMIO_PAGES - 1)), KCORE_OK);
	CHECK_EQ(fx_hvc(m, HVC_IOREMAP, vm, 0x2000, FX_MMIO_PA(0)), ERR(KCORE_E_MAPPED));
}

static const struct test_case cases[] = {
	CASE(init_boot_state),
	CASE(init_rejects_bad_layouts),
	CASE(unknown_op_and_cpu),
	CASE(register_vm_takes_lowest_slot),
	CASE(register_vcpu_checks_in_order),
	CASE(set_boot_info_checks_in_order),
	CASE(remap_vm_image_checks_in_order),
	CASE(verify_maps_image_at_gpa),
	CASE(verify_checks_in_order),
	CASE(verify_bad_image_powers_off),
	CASE(vcpu_run_checks_in_order),
	CASE(map_vm_page_maps_and_takes_ownership),
	CASE(map_vm_page_checks_in_order),
	CASE(map_vm_page_pool_exhaustion),
	CASE(clear_vm_returns_everything),
	CASE(clear_vm_checks_in_order),
	CASE(ioremap_checks_in_order),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
