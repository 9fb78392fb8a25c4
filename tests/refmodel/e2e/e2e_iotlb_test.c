/* Isolation through the SMMU's IOTLB: a leaf the unit cached and its table
 * no longer holds still counts as the unit's reach.  Known-bad histories
 * are made behind KCore's back (a leaf poked into the unit's table, cached
 * by a speculative IOTLB fill, then taken out again), or by KCore itself
 * on a unit whose invalidation is not ordered after the unmap's write. */
#include "check.h"
#include "e2e_fixture.h"
#include "hyp/addr.h"
#include "hyp/arch.h"
#include "hyp/s2desc.h"
#include "hyp_target.h"
#include "model/isolation/isolation_iotlb.h"
#include "sim/machine.h"

#define GFN 0x80ull
#define TINY 0u /* guest image "tiny": one page */
#define IOVA 0x10000ull

/* KServ's unit 0 maps IOVA to a KServ page; a VM owns e2e_pfn(0). */
static uint64_t dma_setup(void)
{
	struct kcore_smmu_view u;

	e2e_up();
	e2e_boot_vm(TINY, GFN, e2e_pfn(0), 1);
	CHECK_EQ(e2e_hvc(0, HVC_SMMU_ALLOC, 0, 0, 0), KCORE_OK);
	CHECK_EQ(e2e_hvc(0, HVC_SMMU_MAP, 0, IOVA, e2e_pfn(30)), KCORE_OK);
	CHECK(target_kcore.view_smmu(0, &u));
	return u.root;
}

static bool iotlb_check(struct violation *v)
{
	return isolation_iotlb_check(ref_state_of(e2e_oracle.model), v);
}

/* Cache a leaf for iova to pfn in unit 0's IOTLB, then take it out of the
 * table again, so only the IOTLB holds it. */
static void cache_only(uint64_t root, uint64_t iova, uint64_t pfn)
{
	e2e_poke_leaf(root, iova, (pfn << PAGE_SHIFT) | KCORE_S2_SMMU);
	CHECK(sim_iotlb_spec_fill(0, iova));
	e2e_poke_leaf(root, iova, 0);
}

TEST(iotlb_vm_page_fires)
{
	struct violation v;
	uint64_t root = dma_setup();

	cache_only(root, IOVA + 0x1000, e2e_pfn(0));
	e2e_expect_clean(e2e_quiescent(&v), &v); /* tables and TLBs are clean */
	CHECK(iotlb_check(&v));
	CHECK_EQ(v.kind, V_DMA_REACH);
	CHECK_EQ(v.page, e2e_pfn(0));
	CHECK(strstr(v.detail, "IOTLB") != NULL);
}

TEST(iotlb_kcore_page_fires)
{
	struct violation v;
	uint64_t root = dma_setup();

	cache_only(root, IOVA + 0x1000, root >> PAGE_SHIFT);
	CHECK(iotlb_check(&v));
	CHECK_EQ(v.kind, V_TABLE_REACH);
}

TEST(iotlb_near_miss)
{
	struct violation v;
	uint64_t root = dma_setup();

	/* A second iova cached for the page the unit may reach already, and
	 * the unit's own leaf cached by a DMA read. */
	cache_only(root, IOVA + 0x1000, e2e_pfn(30));
	CHECK_EQ(sim_dma_access(0, IOVA, 0, NULL, NULL), SIM_OK);
	e2e_expect_clean(iotlb_check(&v), &v);
}

TEST(iotlb_unmap_invalidates)
{
	struct violation v;
	uint64_t root = dma_setup();

	(void)root;
	CHECK_EQ(sim_dma_access(0, IOVA, 0, NULL, NULL), SIM_OK);
	CHECK_EQ(e2e_hvc(0, HVC_SMMU_UNMAP, 0, IOVA, 0), KCORE_OK);
	e2e_expect_clean(iotlb_check(&v), &v);
	CHECK_EQ(sim_dma_access(0, IOVA, 0, NULL, NULL), SIM_FAULT_TRANSLATION);
}

TEST(iotlb_watch_follows_epoch_and_model)
{
	struct violation v;
	struct iotlb_watch w = { 0 };
	uint64_t root = dma_setup();

	CHECK(!isolation_iotlb_watch(&w, ref_state_of(e2e_oracle.model), false, &v));
	cache_only(root, IOVA + 0x1000, e2e_pfn(0));
	CHECK(isolation_iotlb_watch(&w, ref_state_of(e2e_oracle.model), false, &v));
	CHECK_EQ(v.kind, V_DMA_REACH);
	/* Nothing changed since: skipped; the model moved: looked at again. */
	CHECK(!isolation_iotlb_watch(&w, ref_state_of(e2e_oracle.model), false, &v));
	CHECK(isolation_iotlb_watch(&w, ref_state_of(e2e_oracle.model), true, &v));
}

static const struct test_case cases[] = {
	CASE(iotlb_vm_page_fires),
	CASE(iotlb_kcore_page_fires),
	CASE(iotlb_near_miss),
	CASE(iotlb_unmap_invalidates),
	CASE(iotlb_watch_follows_epoch_and_model),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
