/* The reference model alone: SMMU operations, success paths and each
 * rejection in the order kcore.h lists the checks. */
#include "check.h"
#include "model_fixture.h"

static const struct ref_smmu *unit(const struct ref_model *m, unsigned u)
{
	return &ref_state_of(m)->smmu[u];
}

TEST(smmu_alloc_checks_in_order)
{
	struct ref_model *m = fx_model();
	unsigned ready = (unsigned)fx_hvc(m, HVC_REGISTER_VM, 0, 0, 0);
	unsigned verified = fx_verified_vm(m, 1, FX_KSERV_PFN(0));
	unsigned off = fx_running_vm(m, 1, FX_KSERV_PFN(1), 0);

	CHECK_EQ(fx_ghvc(m, 0, GHVC_POWER_OFF, 0), KCORE_OK);
	CHECK_EQ(fx_hvc(m, HVC_SMMU_ALLOC, KCORE_SMMU_UNITS, 0, 0), ERR(KCORE_E_UNIT));
	CHECK_EQ(fx_hvc(m, HVC_SMMU_ALLOC, 0, 0, 0), KCORE_OK);
	CHECK(unit(m, 0)->allocated);
	CHECK_EQ(unit(m, 0)->owner, 0);
	CHECK_EQ(unit(m, 0)->pool_used, 1);
	CHECK_EQ(fx_hvc(m, HVC_SMMU_ALLOC, 0, 99, 0), ERR(KCORE_E_UNIT_STATE));
	CHECK_EQ(fx_hvc(m, HVC_SMMU_ALLOC, 1, KCORE_MAX_VMS + 1, 0), ERR(KCORE_E_VM));
	CHECK_EQ(fx_hvc(m, HVC_SMMU_ALLOC, 1, 6, 0), ERR(KCORE_E_VM)); /* slot unused */
	CHECK_EQ(fx_hvc(m, HVC_SMMU_ALLOC, 1, off, 0), ERR(KCORE_E_VM_STATE));
	CHECK_EQ(fx_hvc(m, HVC_SMMU_ALLOC, 1, ready, 0), KCORE_OK);
	CHECK_EQ(fx_hvc(m, HVC_SMMU_ALLOC, 2, verified, 0), KCORE_OK);
	CHECK_EQ(unit(m, 2)->owner, verified);
}

TEST(smmu_map_counts_dma)
{
	struct ref_model *m = fx_model();
	uint64_t pfn = FX_KSERV_PFN(7);
	const struct ref_map_entry *e;

	CHECK_EQ(fx_hvc(m, HVC_SMMU_ALLOC, 0, 0, 0), KCORE_OK);
	CHECK_EQ(fx_hvc(m, HVC_SMMU_ALLOC, 1, 0, 0), KCORE_OK);
	CHECK_EQ(fx_hvc(m, HVC_SMMU_MAP, 0, 0x3000, pfn), KCORE_OK);
	CHECK_EQ(fx_hvc(m, HVC_SMMU_MAP, 0, 0x4000, pfn), KCORE_OK);
	CHECK_EQ(fx_hvc(m, HVC_SMMU_MAP, 1, 0x3000, pfn), KCORE_OK);
	CHECK_EQ(fx_page(m, pfn)->dma, 3);
	e = ref_map_find(unit(m, 0)->map.e, unit(m, 0)->map.n, 3);
	CHECK(e != NULL);
	CHECK_EQ(e->pa, pfn << 12);
	CHECK_EQ(e->perm, REF_PERM_RW);
	CHECK_EQ(unit(m, 0)->pool_used, 3);
}

TEST(smmu_map_checks_in_order)
{
	struct ref_model *m = fx_model();
	unsigned vm = fx_verified_vm(m, 1, FX_KSERV_PFN(0));

	CHECK_EQ(fx_hvc(m, HVC_SMMU_MAP, 9, 1, 1), ERR(KCORE_E_UNIT));
	CHECK_EQ(fx_hvc(m, HVC_SMMU_MAP, 0, 1, 1), ERR(KCORE_E_UNIT_STATE));
	CHECK_EQ(fx_hvc(m, HVC_SMMU_ALLOC, 0, 0, 0), KCORE_OK);
	CHECK_EQ(fx_hvc(m, HVC_SMMU_ALLOC, 1, vm, 0), KCORE_OK);
	CHECK_EQ(fx_hvc(m, HVC_SMMU_MAP, 0, 0x1008, 1), ERR(KCORE_E_IOVA));
	CHECK_EQ(fx_hvc(m, HVC_SMMU_MAP, 0, (S2_MAX_GFN + 1) << 12, 1), ERR(KCORE_E_IOVA));
	CHECK_EQ(fx_hvc(m, HVC_SMMU_MAP, 0, S2_MAX_GFN << 12, 1), ERR(KCORE_E_PFN));
	CHECK_EQ(fx_hvc(m, HVC_SMMU_MAP, 0, 0x1000, FX_KSERV_PFN(3)), KCORE_OK);
	CHECK_EQ(fx_hvc(m, HVC_SMMU_MAP, 0, 0x1000, FX_RAM_BASE_PFN), ERR(KCORE_E_MAPPED));
	CHECK_EQ(fx_hvc(m, HVC_SMMU_MAP, 0, 0x2000, FX_RAM_BASE_PFN), ERR(KCORE_E_OWNER));
	CHECK_EQ(fx_hvc(m, HVC_SMMU_MAP, 0, 0x2000, FX_KSERV_PFN(0)), ERR(KCORE_E_OWNER)); /* the VM's */
	CHECK_EQ(fx_hvc(m, HVC_SMMU_MAP, 1, 0x2000, FX_KSERV_PFN(3)), ERR(KCORE_E_OWNER)); /* KServ's */
	CHECK_EQ(fx_hvc(m, HVC_SMMU_MAP, 1, 0x2000, FX_KSERV_PFN(0)), KCORE_OK);
	CHECK_EQ(fx_page(m, FX_KSERV_PFN(0))->dma, 1);
}

TEST(smmu_map_pool_exhaustion)
{
	struct ref_model *m = fx_model();
	uint64_t pfn = FX_KSERV_PFN(0);

	CHECK_EQ(fx_hvc(m, HVC_SMMU_ALLOC, 0, 0, 0), KCORE_OK);
	/* One level-2 and six level-3 tables fill a pool of eight. */
	for (uint64_t i = 0; i < 6; i++)
		CHECK_EQ(fx_hvc(m, HVC_SMMU_MAP, 0, (i * 512) << 12, pfn), KCORE_OK);
	CHECK_EQ(unit(m, 0)->pool_used, KCORE_SMMU_POOL_PAGES);
	CHECK_EQ(fx_hvc(m, HVC_SMMU_MAP, 0, (6ull * 512) << 12, pfn), ERR(KCORE_E_NOMEM));
	CHECK_EQ(fx_hvc(m, HVC_SMMU_MAP, 0, 1ull << 12, pfn), KCORE_OK);
	/* Unmapping gives no table back. */
	CHECK_EQ(fx_hvc(m, HVC_SMMU_UNMAP, 0, 0, 0), KCORE_OK);
	CHECK_EQ(unit(m, 0)->pool_used, KCORE_SMMU_POOL_PAGES);
	CHECK_EQ(fx_hvc(m, HVC_SMMU_MAP, 0, (6ull * 512) << 12, pfn), ERR(KCORE_E_NOMEM));
	CHECK_EQ(fx_page(m, pfn)->dma, 6);
}

TEST(smmu_unmap_checks_in_order)
{
	struct ref_model *m = fx_model();
	uint64_t pfn = FX_KSERV_PFN(9);

	CHECK_EQ(fx_hvc(m, HVC_SMMU_UNMAP, KCORE_SMMU_UNITS, 0, 0), ERR(KCORE_E_UNIT));
	CHECK_EQ(fx_hvc(m, HVC_SMMU_UNMAP, 3, 0x1001, 0), ERR(KCORE_E_UNIT_STATE));
	CHECK_EQ(fx_hvc(m, HVC_SMMU_ALLOC, 3, 0, 0), KCORE_OK);
	CHECK_EQ(fx_hvc(m, HVC_SMMU_MAP, 3, 0x1000, pfn), KCORE_OK);
	CHECK_EQ(fx_hvc(m, HVC_SMMU_UNMAP, 3, 0x1001, 0), ERR(KCORE_E_IOVA));
	CHECK_EQ(fx_hvc(m, HVC_SMMU_UNMAP, 3, (S2_MAX_GFN + 1) << 12, 0), ERR(KCORE_E_IOVA));
	CHECK_EQ(fx_hvc(m, HVC_SMMU_UNMAP, 3, 0x2000, 0), ERR(KCORE_E_UNMAPPED));
	CHECK_EQ(fx_hvc(m, HVC_SMMU_UNMAP, 3, 0x1000, 0), KCORE_OK);
	CHECK_EQ(fx_page(m, pfn)->dma, 0);
	CHECK_EQ(unit(m, 3)->map.n, 0);
	CHECK_EQ(fx_hvc(m, HVC_SMMU_UNMAP, 3, 0x1000, 0), ERR(KCORE_E_UNMAPPED));
}

TEST(smmu_iova_to_phys_checks_in_order)
{
	struct ref_model *m = fx_model();
	uint64_t pfn = FX_KSERV_PFN(9);

	CHECK_EQ(fx_hvc(m, HVC_SMMU_IOVA_TO_PHYS, 4, 0, 0), ERR(KCORE_E_UNIT));
	CHECK_EQ(fx_hvc(m, HVC_SMMU_IOVA_TO_PHYS, 0, 0, 0), ERR(KCORE_E_UNIT_STATE));
	CHECK_EQ(fx_hvc(m, HVC_SMMU_ALLOC, 0, 0, 0), KCORE_OK);
	CHECK_EQ(fx_hvc(m, HVC_SMMU_MAP, 0, 0x5000, pfn), KCORE_OK);
	CHECK_EQ(fx_hvc(m, HVC_SMMU_IOVA_TO_PHYS, 0, (S2_MAX_GFN + 1) << 12, 0), ERR(KCORE_E_IOVA));
	CHECK_EQ(fx_hvc(m, HVC_SMMU_IOVA_TO_PHYS, 0, 0x6000, 0), ERR(KCORE_E_UNMAPPED));
	CHECK_EQ(fx_hvc(m, HVC_SMMU_IOVA_TO_PHYS, 0, 0x5000, 0), pfn << 12);
	CHECK_EQ(fx_hvc(m, HVC_SMMU_IOVA_TO_PHYS, 0, 0x5abc, 0), (pfn << 12) | 0xabc);
}

TEST(smmu_free_drops_dma)
{
	struct ref_model *m = fx_model();
	uint64_t pfn = FX_KSERV_PFN(9);

	CHECK_EQ(fx_hvc(m, HVC_SMMU_FREE, 4, 0, 0), ERR(KCORE_E_UNIT));
	CHECK_EQ(fx_hvc(m, HVC_SMMU_FREE, 1, 0, 0), ERR(KCORE_E_UNIT_STATE));
	CHECK_EQ(fx_hvc(m, HVC_SMMU_ALLOC, 1, 0, 0), KCORE_OK);
	CHECK_EQ(fx_hvc(m, HVC_SMMU_MAP, 1, 0x5000, pfn), KCORE_OK);
	CHECK_EQ(fx_hvc(m, HVC_SMMU_MAP, 1, 0x6000, pfn), KCORE_OK);
	CHECK_EQ(fx_hvc(m, HVC_SMMU_FREE, 1, 0, 0), KCORE_OK);
	CHECK_EQ(fx_page(m, pfn)->dma, 0);
	CHECK(!unit(m, 1)->allocated);
	CHECK_EQ(unit(m, 1)->pool_used, 0);
	CHECK_EQ(unit(m, 1)->map.n, 0);
	CHECK_EQ(fx_hvc(m, HVC_SMMU_FREE, 1, 0, 0), ERR(KCORE_E_UNIT_STATE));
	/* A fresh allocation starts with an empty pool. */
	CHECK_EQ(fx_hvc(m, HVC_SMMU_ALLOC, 1, 0, 0), KCORE_OK);
	CHECK_EQ(unit(m, 1)->pool_used, 1);
}

static const struct test_case cases[] = {
	CASE(smmu_alloc_checks_in_order),
	CASE(smmu_map_counts_dma),
	CASE(smmu_map_checks_in_order),
	CASE(smmu_map_pool_exhaustion),
	CASE(smmu_unmap_checks_in_order),
	CASE(smmu_iova_to_phys_checks_in_order),
	CASE(smmu_free_drops_dma),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
