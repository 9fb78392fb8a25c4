/* SMMU units: alloc, map, unmap, iova_to_phys, free. */
#include "helpers.h"

static int dma(unsigned unit, uint64_t iova, unsigned flags, uint64_t *val)
{
	struct sim_access acc;

	return sim_dma_access(unit, iova, flags, val, &acc);
}

TEST(smmu_map_reaches_page)
{
	kt_up();
	uint64_t pfn = kt_data_pfn(4), pa = pfn << PAGE_SHIFT, iova = 0x7000, val;
	struct sim_smmu_unit su;

	CHECK_EQ(dma(2, iova, 0, &val), SIM_FAULT_ADDRESS); /* detached */
	CHECK_EQ(kt_hvc(HVC_SMMU_ALLOC, 2, 0, 0), 0);
	struct kcore_smmu_view v = kt_smmu(2);
	CHECK(v.allocated);
	CHECK_EQ(v.owner, 0);
	CHECK_EQ(v.pool_used, 1);
	sim_smmu_unit(2, &su);
	CHECK(su.attached);
	CHECK_EQ(su.root, v.root);
	CHECK_EQ(dma(2, iova, 0, &val), SIM_FAULT_TRANSLATION);

	CHECK_EQ(kserv_write64(pa + 0x20, 0x5151), SIM_OK);
	CHECK_EQ(kt_hvc(HVC_SMMU_MAP, 2, iova, pfn), 0);
	CHECK_EQ(kt_page(pfn).dma, 1);
	CHECK_EQ(dma(2, iova + 0x20, 0, &val), SIM_OK);
	CHECK_EQ(val, 0x5151);
	CHECK_EQ(kt_hvc(HVC_SMMU_IOVA_TO_PHYS, 2, iova + 0x123, 0), pa + 0x123);
	/* The same page through a second iova and a second unit. */
	CHECK_EQ(kt_hvc(HVC_SMMU_MAP, 2, 0x40000000, pfn), 0);
	CHECK_EQ(kt_hvc(HVC_SMMU_ALLOC, 3, 0, 0), 0);
	CHECK_EQ(kt_hvc(HVC_SMMU_MAP, 3, iova, pfn), 0);
	CHECK_EQ(kt_page(pfn).dma, 3);

	kt_events_start();
	CHECK_EQ(kt_hvc(HVC_SMMU_UNMAP, 2, iova, 0), 0);
	kt_events_stop();
	CHECK(kt_find_event(0, EV_SMMU_TLBI, true, 2) != SIZE_MAX);
	CHECK_EQ(kt_page(pfn).dma, 2);
	CHECK_EQ(dma(2, iova, 0, &val), SIM_FAULT_TRANSLATION);
	CHECK_EQ(dma(3, iova, 0, &val), SIM_OK);
	CHECK_EQ(kt_hvc(HVC_SMMU_IOVA_TO_PHYS, 2, iova, 0), -KCORE_E_UNMAPPED);
}

TEST(smmu_alloc_checks)
{
	kt_up();
	unsigned vm = kt_boot_vm(kt_image("tiny"), KT_IMAGE_GFN, kt_data_pfn(0), 1);
	unsigned ready = (unsigned)kt_hvc(HVC_REGISTER_VM, 0, 0, 0);

	CHECK_REJECTS(kt_hvc(HVC_SMMU_ALLOC, KCORE_SMMU_UNITS, 0, 0), KCORE_E_UNIT);
	CHECK_REJECTS(kt_hvc(HVC_SMMU_ALLOC, UINT64_MAX, 0, 0), KCORE_E_UNIT);
	CHECK_REJECTS(kt_hvc(HVC_SMMU_ALLOC, 0, ready + 1, 0), KCORE_E_VM);
	CHECK_REJECTS(kt_hvc(HVC_SMMU_ALLOC, 0, KCORE_MAX_VMS + 1, 0), KCORE_E_VM);
	CHECK_EQ(kt_hvc(HVC_SMMU_ALLOC, 0, ready, 0), 0);
	CHECK_EQ(kt_smmu(0).owner, ready);
	CHECK_REJECTS(kt_hvc(HVC_SMMU_ALLOC, 0, 0, 0), KCORE_E_UNIT_STATE);
	CHECK_REJECTS(kt_hvc(HVC_SMMU_ALLOC, 0, 99, 0), KCORE_E_UNIT_STATE); /* checked first */
	CHECK_EQ(kt_hvc(HVC_SMMU_ALLOC, 1, vm, 0), 0);
	/* A powered-off VM gets no new unit. */
	kt_run(1, vm, 0);
	CHECK_EQ(kt_ghvc(GHVC_POWER_OFF, 0), 0);
	sim_set_cpu(0);
	CHECK_REJECTS(kt_hvc(HVC_SMMU_ALLOC, 2, vm, 0), KCORE_E_VM_STATE);
}

TEST(smmu_map_checks)
{
	kt_up();
	unsigned vm = kt_boot_vm(kt_image("tiny"), KT_IMAGE_GFN, kt_data_pfn(0), 1);
	uint64_t pfn = kt_data_pfn(4);

	CHECK_EQ(kt_hvc(HVC_SMMU_ALLOC, 0, 0, 0), 0);
	CHECK_EQ(kt_hvc(HVC_SMMU_ALLOC, 1, vm, 0), 0);
	CHECK_REJECTS(kt_hvc(HVC_SMMU_MAP, KCORE_SMMU_UNITS, 0, pfn), KCORE_E_UNIT);
	CHECK_REJECTS(kt_hvc(HVC_SMMU_MAP, 2, 0, pfn), KCORE_E_UNIT_STATE);
	CHECK_REJECTS(kt_hvc(HVC_SMMU_MAP, 0, 0x1008, pfn), KCORE_E_IOVA);
	CHECK_REJECTS(kt_hvc(HVC_SMMU_MAP, 0, (S2_MAX_GFN + 1) << PAGE_SHIFT, pfn), KCORE_E_IOVA);
	CHECK_REJECTS(kt_hvc(HVC_SMMU_MAP, 0, 0, kt_ram_pfn() - 1), KCORE_E_PFN);
	CHECK_REJECTS(kt_hvc(HVC_SMMU_MAP, 0, 0, kt_mmio_pfn()), KCORE_E_PFN);
	CHECK_EQ(kt_hvc(HVC_SMMU_MAP, 0, 0, pfn), 0);
	CHECK_REJECTS(kt_hvc(HVC_SMMU_MAP, 0, 0, kt_data_pfn(5)), KCORE_E_MAPPED);
	/* Units reach only what their owner owns. */
	CHECK_REJECTS(kt_hvc(HVC_SMMU_MAP, 0, 0x1000, kt_data_pfn(0)), KCORE_E_OWNER); /* VM's */
	CHECK_REJECTS(kt_hvc(HVC_SMMU_MAP, 0, 0x1000, kt_ram_pfn()), KCORE_E_OWNER);   /* KCore's */
	CHECK_REJECTS(kt_hvc(HVC_SMMU_MAP, 1, 0x1000, pfn), KCORE_E_OWNER);            /* KServ's */
	CHECK_EQ(kt_hvc(HVC_SMMU_MAP, 1, 0x1000, kt_data_pfn(0)), 0);
	CHECK_EQ(kt_page(kt_data_pfn(0)).dma, 1);
	/* Pool: 8 pages; each new 2 MiB of iova space needs a table. */
	unsigned n = 0;
	while (kt_smmu(0).pool_used < KCORE_SMMU_POOL_PAGES) {
		n++;
		CHECK_EQ(kt_hvc(HVC_SMMU_MAP, 0, n * (2ull << 20), kt_data_pfn(10 + n)), 0);
	}
	CHECK_REJECTS(kt_hvc(HVC_SMMU_MAP, 0, (n + 1) * (2ull << 20), kt_data_pfn(9)), KCORE_E_NOMEM);
	CHECK_EQ(kt_hvc(HVC_SMMU_MAP, 0, 0x2000, kt_data_pfn(9)), 0);
}

TEST(smmu_unmap_checks)
{
	kt_up();
	CHECK_EQ(kt_hvc(HVC_SMMU_ALLOC, 0, 0, 0), 0);
	CHECK_EQ(kt_hvc(HVC_SMMU_MAP, 0, 0x3000, kt_data_pfn(4)), 0);
	CHECK_REJECTS(kt_hvc(HVC_SMMU_UNMAP, KCORE_SMMU_UNITS, 0x3000, 0), KCORE_E_UNIT);
	CHECK_REJECTS(kt_hvc(HVC_SMMU_UNMAP, 1, 0x3000, 0), KCORE_E_UNIT_STATE);
	CHECK_REJECTS(kt_hvc(HVC_SMMU_UNMAP, 0, 0x3004, 0), KCORE_E_IOVA);
	CHECK_REJECTS(kt_hvc(HVC_SMMU_UNMAP, 0, UINT64_MAX & ~PAGE_MASK, 0), KCORE_E_IOVA);
	CHECK_REJECTS(kt_hvc(HVC_SMMU_UNMAP, 0, 0x4000, 0), KCORE_E_UNMAPPED);
	CHECK_EQ(kt_hvc(HVC_SMMU_UNMAP, 0, 0x3000, 0), 0);
	CHECK_REJECTS(kt_hvc(HVC_SMMU_UNMAP, 0, 0x3000, 0), KCORE_E_UNMAPPED);
	CHECK_EQ(kt_page(kt_data_pfn(4)).dma, 0);
}

TEST(smmu_iova_to_phys_checks)
{
	kt_up();
	CHECK_EQ(kt_hvc(HVC_SMMU_ALLOC, 0, 0, 0), 0);
	CHECK_EQ(kt_hvc(HVC_SMMU_MAP, 0, S2_MAX_GFN << PAGE_SHIFT, kt_data_pfn(4)), 0);
	CHECK_REJECTS(kt_hvc(HVC_SMMU_IOVA_TO_PHYS, KCORE_SMMU_UNITS, 0, 0), KCORE_E_UNIT);
	CHECK_REJECTS(kt_hvc(HVC_SMMU_IOVA_TO_PHYS, 3, 0, 0), KCORE_E_UNIT_STATE);
	CHECK_REJECTS(kt_hvc(HVC_SMMU_IOVA_TO_PHYS, 0, (S2_MAX_GFN + 1) << PAGE_SHIFT, 0), KCORE_E_IOVA);
	CHECK_REJECTS(kt_hvc(HVC_SMMU_IOVA_TO_PHYS, 0, 0x1000, 0), KCORE_E_UNMAPPED);
	/* Unaligned iovas are fine here; the offset carries over. */
	CHECK_EQ(kt_hvc(HVC_SMMU_IOVA_TO_PHYS, 0, (S2_MAX_GFN << PAGE_SHIFT) + 0xfff, 0),
		 (kt_data_pfn(4) << PAGE_SHIFT) + 0xfff);
}

TEST(smmu_free_drops_everything)
{
	kt_up();
	uint64_t val;

	CHECK_REJECTS(kt_hvc(HVC_SMMU_FREE, KCORE_SMMU_UNITS, 0, 0), KCORE_E_UNIT);
	CHECK_REJECTS(kt_hvc(HVC_SMMU_FREE, 0, 0, 0), KCORE_E_UNIT_STATE);
	CHECK_EQ(kt_hvc(HVC_SMMU_ALLOC, 0, 0, 0), 0);
	CHECK_EQ(kt_hvc(HVC_SMMU_MAP, 0, 0x1000, kt_data_pfn(4)), 0);
	CHECK_EQ(kt_hvc(HVC_SMMU_MAP, 0, 0x2000, kt_data_pfn(4)), 0);
	CHECK_EQ(kt_hvc(HVC_SMMU_MAP, 0, 1ull << 30, kt_data_pfn(5)), 0);
	CHECK_EQ(kt_page(kt_data_pfn(4)).dma, 2);
	kt_events_start();
	CHECK_EQ(kt_hvc(HVC_SMMU_FREE, 0, 0, 0), 0);
	kt_events_stop();
	CHECK_EQ(kt_page(kt_data_pfn(4)).dma, 0);
	CHECK_EQ(kt_page(kt_data_pfn(5)).dma, 0);
	CHECK(!kt_smmu(0).allocated);
	CHECK_EQ(kt_smmu(0).pool_used, 0);
	size_t tlbi = kt_find_event(0, EV_SMMU_TLBI, true, 0);
	size_t detach = kt_find_event(0, EV_SMMU_DETACH, true, 0);
	CHECK(tlbi != SIZE_MAX && detach != SIZE_MAX && tlbi < detach);
	CHECK_EQ(dma(0, 0x1000, 0, &val), SIM_FAULT_ADDRESS);
	/* The page can go to a VM now, and the unit can be allocated again,
	 * starting empty. */
	unsigned vm = kt_boot_vm(kt_image("tiny"), KT_IMAGE_GFN, kt_data_pfn(4), 1);
	CHECK_EQ(kt_hvc(HVC_SMMU_ALLOC, 0, vm, 0), 0);
	CHECK_EQ(kt_smmu(0).pool_used, 1);
	CHECK_EQ(dma(0, 0x1000, 0, &val), SIM_FAULT_TRANSLATION);
	CHECK_EQ(kt_hvc(HVC_SMMU_IOVA_TO_PHYS, 0, 0x1000, 0), -KCORE_E_UNMAPPED);
}

static const struct test_case cases[] = {
	CASE(smmu_map_reaches_page),
	CASE(smmu_alloc_checks),
	CASE(smmu_map_checks),
	CASE(smmu_unmap_checks),
	CASE(smmu_iova_to_phys_checks),
	CASE(smmu_free_drops_everything),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
