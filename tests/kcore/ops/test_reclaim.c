/* clear_vm: a powered-off VM's pages are scrubbed and go back to KServ. */
#include "helpers.h"

#define GFN 0x300ull

/* A booted VM with an extra page at GFN that its vCPU 0 (on CPU 1) filled
 * with cacheable writes, then powered off. */
static unsigned vm_with_secrets(uint64_t extra_pfn)
{
	unsigned vm = kt_boot_vm(kt_image("small"), KT_IMAGE_GFN, kt_data_pfn(0), 1);

	CHECK_EQ(kt_hvc(HVC_MAP_VM_PAGE, vm, GFN, extra_pfn), 0);
	kt_run(1, vm, 0);
	for (uint64_t off = 0; off < PAGE_SIZE; off += 8) {
		uint64_t secret = 0x5ec7e700000000ull | off;
		CHECK_EQ(kt_cpu_access((GFN << PAGE_SHIFT) + off, SIM_ACC_WRITE, &secret), SIM_OK);
		CHECK_EQ(kt_cpu_access((KT_IMAGE_GFN << PAGE_SHIFT) + off, SIM_ACC_WRITE, &secret), SIM_OK);
	}
	bool dirty = false;
	CHECK(sim_cache_line(extra_pfn << PAGE_SHIFT, &dirty, NULL) && dirty);
	CHECK_EQ(kt_ghvc(GHVC_POWER_OFF, 0), 0);
	sim_set_cpu(0);
	return vm;
}

/* Zeros, whether read through the cache, around it, or at memory. */
static void check_zero_everywhere(uint64_t pfn)
{
	uint64_t pa = pfn << PAGE_SHIFT, val;

	for (uint64_t off = 0; off < PAGE_SIZE; off += CACHE_LINE_SIZE) {
		bool dirty;
		if (sim_cache_line(pa + off, &dirty, NULL))
			CHECK(!dirty);
		CHECK_EQ(sim_mem_read64(pa + off), 0);
		CHECK_EQ(kserv_access(pa + off, SIM_ACC_NONCACHEABLE, &val), SIM_OK);
		CHECK_EQ(val, 0);
		CHECK_EQ(kserv_access(pa + off + 8, 0, &val), SIM_OK);
		CHECK_EQ(val, 0);
	}
}

TEST(clear_vm_scrubs_and_returns_pages)
{
	kt_up();
	uint64_t extra = kt_data_pfn(20);
	unsigned vm = vm_with_secrets(extra);
	uint16_t vmid = kt_vm(vm).vmid;
	uint64_t root = kt_vm(vm).npt_root;

	kt_events_start();
	CHECK_EQ(kt_hvc(HVC_CLEAR_VM, vm, 0, 0), 0);
	kt_events_stop();
	CHECK(kt_find_event(0, EV_TLBI_VMID, true, vmid) != SIZE_MAX);
	CHECK(kt_find_event(0, EV_PAGE_ZERO, true, extra << PAGE_SHIFT) != SIZE_MAX);

	uint64_t pfns[] = { kt_data_pfn(0), kt_data_pfn(1), extra };
	for (unsigned i = 0; i < 3; i++) {
		struct kcore_page_view p = kt_page(pfns[i]);
		CHECK_EQ(p.owner, KCORE_OWNER_KSERV);
		CHECK_EQ(p.share, 0);
		CHECK_EQ(p.gfn, KCORE_NO_GFN);
		check_zero_everywhere(pfns[i]);
	}
	struct kcore_vm_view v = kt_vm(vm);
	CHECK_EQ(v.state, VM_UNUSED);
	CHECK_EQ(v.pool_used, 0);
	CHECK(!v.boot_set);
	/* The old table maps nothing any more. */
	struct sim_walk w;
	CHECK_EQ(sim_s2_walk(root, GFN << PAGE_SHIFT, &w), SIM_FAULT_TRANSLATION);
	CHECK_EQ(sim_s2_walk(root, KT_IMAGE_GFN << PAGE_SHIFT, &w), SIM_FAULT_TRANSLATION);
	/* The slot is reused with an empty table. */
	CHECK_EQ(kt_hvc(HVC_REGISTER_VM, 0, 0, 0), vm);
	CHECK(kt_vm(vm).vmid != vmid);
	CHECK_EQ(kt_vm(vm).pool_used, 1);
	CHECK_EQ(sim_s2_walk(kt_vm(vm).npt_root, GFN << PAGE_SHIFT, &w), SIM_FAULT_TRANSLATION);
}

/* Each page: zeroed, cleaned line by line, its entry broken with a TLBI,
 * and only then handed to KServ; a final TLBI by VMID. */
TEST(clear_vm_event_order)
{
	kt_up();
	uint64_t extra = kt_data_pfn(20), pa = extra << PAGE_SHIFT;
	unsigned vm = vm_with_secrets(extra);
	uint16_t vmid = kt_vm(vm).vmid;

	kt_events_start();
	CHECK_EQ(kt_hvc(HVC_CLEAR_VM, vm, 0, 0), 0);
	kt_events_stop();
	size_t zero = kt_find_event(0, EV_PAGE_ZERO, true, pa);
	CHECK(zero != SIZE_MAX);
	size_t clean = zero;
	for (uint64_t off = 0; off < PAGE_SIZE; off += CACHE_LINE_SIZE) {
		clean = kt_find_event(clean, EV_DC_CIVAC, true, pa + off);
		CHECK(clean != SIZE_MAX);
	}
	size_t brk = kt_find_event(clean, EV_PTE_WRITE, false, 0);
	CHECK(brk != SIZE_MAX);
	CHECK_EQ(s2_oa(kt_event(brk)->c), pa);
	CHECK_EQ(kt_event(brk)->d, 0);
	CHECK_EQ(kt_event(brk + 1)->kind, EV_DSB);
	CHECK_EQ(kt_event(brk + 2)->kind, EV_TLBI_IPA);
	CHECK_EQ(kt_event(brk + 2)->a, vmid);
	CHECK_EQ(kt_event(brk + 2)->b, GFN << PAGE_SHIFT);
	CHECK_EQ(kt_event(brk + 3)->kind, EV_DSB);
	/* The ownership write for the page comes after its TLBI. */
	uint32_t obj = (uint32_t)(5u << 16 | ((extra - kt_ram_pfn()) & 0xffff));
	size_t own = SIZE_MAX;
	for (size_t i = 0; i < kt_events_count(); i++)
		if (kt_event(i)->kind == EV_SHARED_ACCESS && kt_event(i)->a == obj && kt_event(i)->b)
			own = i;
	CHECK(own != SIZE_MAX && own > brk + 3);
	size_t all = kt_find_event(brk, EV_TLBI_VMID, true, vmid);
	CHECK(all != SIZE_MAX);
	CHECK_EQ(kt_event(all + 1)->kind, EV_DSB);
}

TEST(clear_vm_checks)
{
	kt_up();
	unsigned vm = kt_boot_vm(kt_image("tiny"), KT_IMAGE_GFN, kt_data_pfn(0), 2);
	unsigned ready = (unsigned)kt_hvc(HVC_REGISTER_VM, 0, 0, 0);

	CHECK_REJECTS(kt_hvc(HVC_CLEAR_VM, 0, 0, 0), KCORE_E_VM);
	CHECK_REJECTS(kt_hvc(HVC_CLEAR_VM, ready + 1, 0, 0), KCORE_E_VM);
	CHECK_REJECTS(kt_hvc(HVC_CLEAR_VM, ready, 0, 0), KCORE_E_VM_STATE);
	CHECK_REJECTS(kt_hvc(HVC_CLEAR_VM, vm, 0, 0), KCORE_E_VM_STATE); /* VERIFIED */
	kt_run(1, vm, 0);
	kt_run(2, vm, 1);
	CHECK_EQ(kt_ghvc(GHVC_POWER_OFF, 0), 0);
	sim_set_cpu(0);
	CHECK_REJECTS(kt_hvc(HVC_CLEAR_VM, vm, 0, 0), KCORE_E_VCPU_STATE);
	sim_set_cpu(1);
	CHECK_EQ(kt_ghvc(GHVC_EXIT, 0), 0);
	sim_set_cpu(0);
	CHECK_EQ(kt_hvc(HVC_CLEAR_VM, vm, 0, 0), 0);
	CHECK_REJECTS(kt_hvc(HVC_CLEAR_VM, vm, 0, 0), KCORE_E_VM);
}

/* A page the VM granted goes back scrubbed, and KServ's mapping of it is
 * gone while the scrub runs. */
TEST(clear_vm_reclaims_granted_page)
{
	kt_up();
	uint64_t extra = kt_data_pfn(20), pa = extra << PAGE_SHIFT, val;
	unsigned vm = kt_boot_vm(kt_image("tiny"), KT_IMAGE_GFN, kt_data_pfn(0), 1);

	CHECK_EQ(kt_hvc(HVC_MAP_VM_PAGE, vm, GFN, extra), 0);
	kt_run(1, vm, 0);
	CHECK_EQ(kt_cpu_access(GFN << PAGE_SHIFT, SIM_ACC_WRITE, &(uint64_t){ 0x99 }), SIM_OK);
	CHECK_EQ(kt_ghvc(GHVC_GRANT, GFN), 1);
	CHECK_EQ(kt_ghvc(GHVC_GRANT, GFN), 2);
	CHECK_EQ(kt_ghvc(GHVC_POWER_OFF, 0), 0);
	sim_set_cpu(0);
	CHECK_EQ(kserv_read64(pa, &val), SIM_OK);
	CHECK_EQ(val, 0x99);

	kt_events_start();
	CHECK_EQ(kt_hvc(HVC_CLEAR_VM, vm, 0, 0), 0);
	kt_events_stop();
	size_t kserv_tlbi = kt_find_event(0, EV_TLBI_IPA, true, 0);
	size_t zero = kt_find_event(0, EV_PAGE_ZERO, true, pa);
	CHECK(kserv_tlbi != SIZE_MAX && zero != SIZE_MAX && kserv_tlbi < zero);
	CHECK_EQ(kt_page(extra).share, 0);
	CHECK_EQ(kt_page(extra).owner, KCORE_OWNER_KSERV);
	check_zero_everywhere(extra);
}

/* The VM's DMA goes with it. */
TEST(clear_vm_frees_the_vms_smmu_units)
{
	kt_up();
	unsigned vm = kt_boot_vm(kt_image("tiny"), KT_IMAGE_GFN, kt_data_pfn(0), 1);
	uint64_t val;

	CHECK_EQ(kt_hvc(HVC_SMMU_ALLOC, 1, vm, 0), 0);
	CHECK_EQ(kt_hvc(HVC_SMMU_ALLOC, 2, 0, 0), 0);
	CHECK_EQ(kt_hvc(HVC_SMMU_MAP, 1, 0x1000, kt_data_pfn(0)), 0);
	CHECK_EQ(kt_hvc(HVC_SMMU_MAP, 2, 0x1000, kt_data_pfn(30)), 0);
	kt_run(1, vm, 0);
	CHECK_EQ(kt_ghvc(GHVC_POWER_OFF, 0), 0);
	sim_set_cpu(0);
	CHECK_EQ(kt_hvc(HVC_CLEAR_VM, vm, 0, 0), 0);
	CHECK(!kt_smmu(1).allocated);
	CHECK(kt_smmu(2).allocated); /* KServ's unit stays */
	CHECK_EQ(kt_page(kt_data_pfn(0)).dma, 0);
	CHECK_EQ(kt_page(kt_data_pfn(30)).dma, 1);
	struct sim_access acc;
	CHECK_EQ(sim_dma_access(1, 0x1000, 0, &val, &acc), SIM_FAULT_ADDRESS);
	CHECK_EQ(sim_dma_access(2, 0x1000, 0, &val, &acc), SIM_OK);
}

/* MMIO the VM had is unmapped, and no RAM page changes owner for it. */
TEST(clear_vm_unmaps_mmio)
{
	kt_up();
	unsigned vm = kt_boot_vm(kt_image("tiny"), KT_IMAGE_GFN, kt_data_pfn(0), 1);
	uint64_t mmio = kt_mmio_pfn() << PAGE_SHIFT;

	CHECK_EQ(kt_hvc(HVC_IOREMAP, vm, GFN << PAGE_SHIFT, mmio), 0);
	kt_run(1, vm, 0);
	CHECK_EQ(kt_ghvc(GHVC_POWER_OFF, 0), 0);
	sim_set_cpu(0);
	uint16_t vmid = kt_vm(vm).vmid;
	kt_events_start();
	CHECK_EQ(kt_hvc(HVC_CLEAR_VM, vm, 0, 0), 0);
	kt_events_stop();
	bool flushed = false;
	for (size_t i = kt_find_event(0, EV_TLBI_IPA, true, vmid); i != SIZE_MAX;
	     i = kt_find_event(i + 1, EV_TLBI_IPA, true, vmid))
		flushed = flushed || kt_event(i)->b == GFN << PAGE_SHIFT;
	CHECK(flushed);
	CHECK_EQ(kt_find_event(0, EV_PAGE_ZERO, true, mmio), SIZE_MAX);
	/* KServ keeps its own access to the device. */
	uint64_t val;
	CHECK_EQ(kserv_read64(mmio, &val), SIM_OK);
}

static const struct test_case cases[] = {
	CASE(clear_vm_scrubs_and_returns_pages),
	CASE(clear_vm_event_order),
	CASE(clear_vm_checks),
	CASE(clear_vm_reclaims_granted_page),
	CASE(clear_vm_frees_the_vms_smmu_units),
	CASE(clear_vm_unmaps_mmio),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
