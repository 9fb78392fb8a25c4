/* map_vm_page, and the guest's grant and revoke. */
#include "helpers.h"

#define GFN 0x300ull

static unsigned booted_vm(void)
{
	kt_up();
	return kt_boot_vm(kt_image("tiny"), KT_IMAGE_GFN, kt_data_pfn(0), 2);
}

/* After map_vm_page KServ loses the page: its stage-2 entry is gone and
 * no TLB entry survives, even one filled just before. */
TEST(map_vm_page_takes_page_from_kserv)
{
	unsigned vm = booted_vm();
	uint64_t pfn = kt_data_pfn(20), pa = pfn << PAGE_SHIFT, val;

	CHECK_EQ(kserv_write64(pa + 8, 0xfeedull), SIM_OK); /* dirty line */
	CHECK_EQ(kt_kserv_read(pa, &val), SIM_OK);           /* TLB entry on CPU 0 */
	for (unsigned cpu = 1; cpu < 4; cpu++)
		CHECK(sim_tlb_spec_fill(cpu, pa));
	CHECK_EQ(kt_hvc(HVC_MAP_VM_PAGE, vm, GFN, pfn), 0);

	struct kcore_page_view p = kt_page(pfn);
	CHECK_EQ(p.owner, vm);
	CHECK_EQ(p.gfn, GFN);
	for (unsigned cpu = 0; cpu < 4; cpu++) {
		struct sim_access acc;
		CHECK(sim_cpu_access(cpu, pa, 0, &val, &acc) != SIM_OK);
	}
	struct sim_walk w;
	struct kcore_region_view region;
	kcore_view_region(&region);
	CHECK(sim_s2_walk(region.kserv_root, pa, &w) == SIM_FAULT_TRANSLATION);
	CHECK_EQ(kserv_read64(pa, &val), SIM_FAULT_TRANSLATION); /* KCore refuses the fault */

	/* The guest sees KServ's data even without the cache: cleaned to PoC. */
	kt_run(1, vm, 0);
	CHECK_EQ(kt_cpu_access((GFN << PAGE_SHIFT) + 8, SIM_ACC_NONCACHEABLE, &val), SIM_OK);
	CHECK_EQ(val, 0xfeedull);
	CHECK_EQ(kt_cpu_access((GFN << PAGE_SHIFT) + 16, SIM_ACC_WRITE, &val), SIM_OK);
}

/* The documented order: KServ's entry broken (invalid, DSB, TLBI, DSB),
 * the page cleaned line by line, then the VM's entry made. */
TEST(map_vm_page_event_order)
{
	unsigned vm = booted_vm();
	uint64_t pfn = kt_data_pfn(20), pa = pfn << PAGE_SHIFT, val;
	struct kcore_region_view region;

	kcore_view_region(&region);
	CHECK_EQ(kt_kserv_read(pa, &val), SIM_OK);
	kt_events_start();
	CHECK_EQ(kt_hvc(HVC_MAP_VM_PAGE, vm, GFN, pfn), 0);
	kt_events_stop();

	size_t brk = SIZE_MAX;
	for (size_t i = 0; i < kt_events_count(); i++)
		if (kt_event(i)->kind == EV_PTE_WRITE && kt_event(i)->d == 0 && (kt_event(i)->c & S2_VALID)) {
			brk = i;
			break;
		}
	CHECK(brk != SIZE_MAX);
	CHECK_EQ(s2_oa(kt_event(brk)->c), pa);
	CHECK_EQ(kt_event(brk + 1)->kind, EV_DSB);
	CHECK_EQ(kt_event(brk + 2)->kind, EV_TLBI_IPA);
	CHECK_EQ(kt_event(brk + 2)->a, 0);
	CHECK_EQ(kt_event(brk + 2)->b, pa);
	CHECK_EQ(kt_event(brk + 3)->kind, EV_DSB);
	size_t clean = brk + 4;
	for (uint64_t off = 0; off < PAGE_SIZE; off += CACHE_LINE_SIZE) {
		clean = kt_find_event(clean, EV_DC_CIVAC, true, pa + off);
		CHECK(clean != SIZE_MAX);
	}
	/* The VM's leaf comes last. */
	size_t make = SIZE_MAX;
	for (size_t i = clean; i < kt_events_count(); i++)
		if (kt_event(i)->kind == EV_PTE_WRITE && s2_oa(kt_event(i)->d) == pa)
			make = i;
	CHECK(make != SIZE_MAX);
	CHECK_EQ(kt_event(make)->d, pa | S2_PAGE_NORMAL_RW);
	CHECK_EQ(kt_event(make)->c, 0);
}

TEST(map_vm_page_checks)
{
	unsigned vm = booted_vm();
	unsigned ready = (unsigned)kt_hvc(HVC_REGISTER_VM, 0, 0, 0);
	uint64_t pfn = kt_data_pfn(20);

	CHECK_REJECTS(kt_hvc(HVC_MAP_VM_PAGE, 0, GFN, pfn), KCORE_E_VM);
	CHECK_REJECTS(kt_hvc(HVC_MAP_VM_PAGE, ready + 1, GFN, pfn), KCORE_E_VM);
	CHECK_REJECTS(kt_hvc(HVC_MAP_VM_PAGE, ready, GFN, pfn), KCORE_E_VM_STATE);
	CHECK_REJECTS(kt_hvc(HVC_MAP_VM_PAGE, vm, S2_MAX_GFN + 1, pfn), KCORE_E_GFN);
	CHECK_REJECTS(kt_hvc(HVC_MAP_VM_PAGE, vm, UINT64_MAX, pfn), KCORE_E_GFN);
	CHECK_REJECTS(kt_hvc(HVC_MAP_VM_PAGE, vm, GFN, kt_ram_pfn() - 1), KCORE_E_PFN);
	CHECK_REJECTS(kt_hvc(HVC_MAP_VM_PAGE, vm, GFN, kt_mmio_pfn()), KCORE_E_PFN);
	CHECK_REJECTS(kt_hvc(HVC_MAP_VM_PAGE, vm, KT_IMAGE_GFN, pfn), KCORE_E_MAPPED);
	CHECK_REJECTS(kt_hvc(HVC_MAP_VM_PAGE, vm, GFN, kt_ram_pfn()), KCORE_E_OWNER); /* KCore's */
	CHECK_REJECTS(kt_hvc(HVC_MAP_VM_PAGE, vm, GFN, kt_data_pfn(0)), KCORE_E_OWNER); /* VM's own */
	CHECK_EQ(kt_hvc(HVC_MAP_VM_PAGE, vm, GFN, pfn), 0);
	/* No gfn twice, no page at two gfns, and no page of another VM. */
	CHECK_REJECTS(kt_hvc(HVC_MAP_VM_PAGE, vm, GFN, kt_data_pfn(21)), KCORE_E_MAPPED);
	CHECK_REJECTS(kt_hvc(HVC_MAP_VM_PAGE, vm, GFN + 1, pfn), KCORE_E_OWNER);
	unsigned other = kt_boot_vm(kt_image("tiny"), KT_IMAGE_GFN, kt_data_pfn(8), 1);
	CHECK_REJECTS(kt_hvc(HVC_MAP_VM_PAGE, other, GFN, pfn), KCORE_E_OWNER);
	/* An MMIO gfn counts as mapped. */
	CHECK_EQ(kt_hvc(HVC_IOREMAP, vm, (GFN + 2) << PAGE_SHIFT, kt_mmio_pfn() << PAGE_SHIFT), 0);
	CHECK_REJECTS(kt_hvc(HVC_MAP_VM_PAGE, vm, GFN + 2, kt_data_pfn(21)), KCORE_E_MAPPED);
	/* A page a device can reach stays with KServ. */
	CHECK_EQ(kt_hvc(HVC_SMMU_ALLOC, 1, 0, 0), 0);
	CHECK_EQ(kt_hvc(HVC_SMMU_MAP, 1, 0, kt_data_pfn(22)), 0);
	CHECK_REJECTS(kt_hvc(HVC_MAP_VM_PAGE, vm, GFN + 3, kt_data_pfn(22)), KCORE_E_DMA);
	/* ...until it is unmapped from the device. */
	CHECK_EQ(kt_hvc(HVC_SMMU_UNMAP, 1, 0, 0), 0);
	CHECK_EQ(kt_hvc(HVC_MAP_VM_PAGE, vm, GFN + 3, kt_data_pfn(22)), 0);
}

/* The VM pool (16 pages) runs out: E_NOMEM, and nothing changed.  Each new
 * 2 MiB region needs a level-3 table, each new 1 GiB one a level-2 table. */
TEST(map_vm_page_pool_exhaustion)
{
	unsigned vm = booted_vm();
	unsigned used = (unsigned)kt_vm(vm).pool_used, n = 0;

	CHECK_EQ(used, 3); /* root, level 2 and level 3 for the image */
	for (uint64_t gfn = 0x200; used < KCORE_VM_POOL_PAGES - 1; gfn += 0x200, n++) {
		CHECK_EQ(kt_hvc(HVC_MAP_VM_PAGE, vm, gfn, kt_data_pfn(100 + n)), 0);
		CHECK_EQ(kt_vm(vm).pool_used, ++used);
	}
	uint64_t pfn = kt_data_pfn(200), val;
	CHECK_EQ(kt_kserv_read(pfn << PAGE_SHIFT, &val), SIM_OK);
	/* One page left: a new level-1 slot needs two tables... */
	CHECK_REJECTS(kt_hvc(HVC_MAP_VM_PAGE, vm, 1ull << 18, pfn), KCORE_E_NOMEM);
	/* ...a new 2 MiB region one, and then the pool is empty. */
	CHECK_EQ(kt_hvc(HVC_MAP_VM_PAGE, vm, 0x200ull * (n + 1), kt_data_pfn(100 + n)), 0);
	CHECK_EQ(kt_vm(vm).pool_used, KCORE_VM_POOL_PAGES);
	CHECK_REJECTS(kt_hvc(HVC_MAP_VM_PAGE, vm, 0x200ull * (n + 2), pfn), KCORE_E_NOMEM);
	/* A gfn whose tables exist still maps. */
	CHECK_EQ(kt_hvc(HVC_MAP_VM_PAGE, vm, 0x201, kt_data_pfn(99)), 0);
	/* KServ still has the page, mapped as before. */
	CHECK_EQ(kt_page(pfn).owner, KCORE_OWNER_KSERV);
	CHECK_EQ(kt_kserv_read(pfn << PAGE_SHIFT, &val), SIM_OK);
	/* Other VMs' pools are their own. */
	unsigned other = kt_boot_vm(kt_image("tiny"), KT_IMAGE_GFN, kt_data_pfn(8), 1);
	CHECK_EQ(kt_hvc(HVC_MAP_VM_PAGE, other, 1ull << 18, pfn), 0);
}

/* A granted page becomes readable by KServ; after the last revoke it is
 * unreadable again, TLB entries included. */
TEST(grant_and_revoke_control_kserv_access)
{
	unsigned vm = booted_vm();
	uint64_t pfn = kt_data_pfn(0), pa = pfn << PAGE_SHIFT, val;

	kt_run(1, vm, 0);
	CHECK_EQ(kt_cpu_access(KT_IMAGE_GFN << PAGE_SHIFT, SIM_ACC_WRITE, &(uint64_t){ 0xabcd }), SIM_OK);
	sim_set_cpu(0);
	CHECK(kserv_read64(pa, &val) != SIM_OK);

	sim_set_cpu(1);
	CHECK_EQ(kt_ghvc(GHVC_GRANT, KT_IMAGE_GFN), 1);
	CHECK_EQ(kt_page(pfn).share, 1);
	CHECK_EQ(kt_page(pfn).owner, vm);
	sim_set_cpu(0);
	CHECK_EQ(kserv_read64(pa, &val), SIM_OK);
	CHECK_EQ(val, 0xabcd);
	CHECK_EQ(kserv_write64(pa + 8, 0x77), SIM_OK);
	for (unsigned cpu = 2; cpu < 4; cpu++)
		CHECK(sim_tlb_spec_fill(cpu, pa));

	sim_set_cpu(1);
	CHECK_EQ(kt_ghvc(GHVC_GRANT, KT_IMAGE_GFN), 2);
	CHECK_EQ(kt_ghvc(GHVC_REVOKE, KT_IMAGE_GFN), 1);
	sim_set_cpu(0);
	CHECK_EQ(kserv_read64(pa, &val), SIM_OK); /* one grant left */
	sim_set_cpu(1);
	CHECK_EQ(kt_ghvc(GHVC_REVOKE, KT_IMAGE_GFN), 0);
	CHECK_EQ(kt_page(pfn).share, 0);
	for (unsigned cpu = 0; cpu < 4; cpu++) {
		struct sim_access acc;
		if (cpu == 1)
			continue;
		CHECK(sim_cpu_access(cpu, pa, 0, &val, &acc) != SIM_OK);
	}
	sim_set_cpu(0);
	CHECK_EQ(kserv_read64(pa, &val), SIM_FAULT_TRANSLATION);
	CHECK_EQ(kcore_kserv_fault(pa), -KCORE_E_OWNER);
}

TEST(grant_checks)
{
	unsigned vm = booted_vm();

	kt_run(1, vm, 0);
	CHECK_REJECTS(kt_ghvc(GHVC_GRANT, S2_MAX_GFN + 1), KCORE_E_GFN);
	CHECK_REJECTS(kt_ghvc(GHVC_GRANT, UINT64_MAX), KCORE_E_GFN);
	CHECK_REJECTS(kt_ghvc(GHVC_GRANT, KT_IMAGE_GFN + 1), KCORE_E_UNMAPPED);
	CHECK_REJECTS(kt_ghvc(GHVC_GRANT, S2_MAX_GFN), KCORE_E_UNMAPPED);
	sim_set_cpu(0);
	CHECK_EQ(kt_hvc(HVC_IOREMAP, vm, GFN << PAGE_SHIFT, kt_mmio_pfn() << PAGE_SHIFT), 0);
	sim_set_cpu(1);
	CHECK_REJECTS(kt_ghvc(GHVC_GRANT, GFN), KCORE_E_UNMAPPED); /* MMIO, not RAM */
	for (unsigned n = 1; n <= KCORE_MAX_SHARE; n++)
		CHECK_EQ(kt_ghvc(GHVC_GRANT, KT_IMAGE_GFN), n);
	CHECK_REJECTS(kt_ghvc(GHVC_GRANT, KT_IMAGE_GFN), KCORE_E_SHARE_LIMIT);
	/* Another VM's gfn space is its own. */
	sim_set_cpu(0);
	unsigned other = kt_boot_vm(kt_image("tiny"), KT_IMAGE_GFN + 1, kt_data_pfn(8), 1);
	kt_run(2, other, 0);
	CHECK_EQ(kt_ghvc(GHVC_GRANT, KT_IMAGE_GFN + 1), 1);
	CHECK_REJECTS(kt_ghvc(GHVC_GRANT, KT_IMAGE_GFN), KCORE_E_UNMAPPED);
}

TEST(revoke_checks)
{
	unsigned vm = booted_vm();

	kt_run(1, vm, 0);
	CHECK_REJECTS(kt_ghvc(GHVC_REVOKE, S2_MAX_GFN + 1), KCORE_E_GFN);
	CHECK_REJECTS(kt_ghvc(GHVC_REVOKE, KT_IMAGE_GFN + 1), KCORE_E_UNMAPPED);
	CHECK_REJECTS(kt_ghvc(GHVC_REVOKE, KT_IMAGE_GFN), KCORE_E_NOT_SHARED);
	CHECK_EQ(kt_ghvc(GHVC_GRANT, KT_IMAGE_GFN), 1);
	CHECK_EQ(kt_ghvc(GHVC_REVOKE, KT_IMAGE_GFN), 0);
	CHECK_REJECTS(kt_ghvc(GHVC_REVOKE, KT_IMAGE_GFN), KCORE_E_NOT_SHARED);
}

/* A page the guest got through map_vm_page can be granted too, and a
 * granted page is still the VM's: KServ cannot give it to another VM. */
TEST(granted_page_stays_the_vms)
{
	unsigned vm = booted_vm();
	uint64_t pfn = kt_data_pfn(30);

	CHECK_EQ(kt_hvc(HVC_MAP_VM_PAGE, vm, GFN, pfn), 0);
	kt_run(1, vm, 0);
	CHECK_EQ(kt_ghvc(GHVC_GRANT, GFN), 1);
	sim_set_cpu(0);
	uint64_t val;
	CHECK_EQ(kserv_read64(pfn << PAGE_SHIFT, &val), SIM_OK);
	unsigned other = kt_boot_vm(kt_image("tiny"), KT_IMAGE_GFN, kt_data_pfn(8), 1);
	CHECK_REJECTS(kt_hvc(HVC_MAP_VM_PAGE, other, GFN, pfn), KCORE_E_OWNER);
	CHECK_REJECTS(kt_hvc(HVC_REMAP_VM_IMAGE, other, pfn, 0), KCORE_E_VM_STATE);
	CHECK_EQ(kt_hvc(HVC_SMMU_ALLOC, 0, 0, 0), 0);
	CHECK_REJECTS(kt_hvc(HVC_SMMU_MAP, 0, 0, pfn), KCORE_E_OWNER);
}

static const struct test_case cases[] = {
	CASE(map_vm_page_takes_page_from_kserv),
	CASE(map_vm_page_event_order),
	CASE(map_vm_page_checks),
	CASE(map_vm_page_pool_exhaustion),
	CASE(grant_and_revoke_control_kserv_access),
	CASE(grant_checks),
	CASE(revoke_checks),
	CASE(granted_page_stays_the_vms),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
