/* Relaxed ordering: a CPU's descriptor writes reach other walkers at its
 * DSB, a TLBI completes at the issuer's DSB, a TLBI not ordered after the
 * issuer's writes leaves other CPUs' entries, the SMMU serves its IOTLB
 * until its invalidation; and with the relaxed model off, none of it. */
#include "check.h"
#include "hyp/arch.h"
#include "sim_fixture.h"

#define RW S2_PAGE_NORMAL_RW
#define IPA 0x7000ull
#define VMID 5

/* The level-3 table holding IPA's descriptor under root. */
static uint64_t leaf_table(uint64_t root)
{
	uint64_t l1 = sim_mem_read64(root + 8ull * s2_index(IPA, 1));
	uint64_t l2 = sim_mem_read64(s2_oa(l1) + 8ull * s2_index(IPA, 2));

	return s2_oa(l2);
}

static int access_on(unsigned cpu, struct sim_access *a)
{
	return sim_cpu_access(cpu, IPA, 0, NULL, a);
}

/* CPUs 0 and 1 run VMID with IPA mapped, both have walked it; CPU 0 is
 * current. */
static uint64_t both_cached(void)
{
	uint64_t root = fx_root_with_page(IPA, FX_DATA, RW);
	struct sim_access a;

	fx_set_stage2(1, VMID, root);
	fx_set_stage2(0, VMID, root);
	CHECK_EQ(access_on(0, &a), SIM_OK);
	CHECK_EQ(access_on(1, &a), SIM_OK);
	return root;
}

/* CPU 0 breaks IPA's entry in the order KCore does. */
static void break_entry_ordered(uint64_t root)
{
	arch_pte_write(pa_init(leaf_table(root)), s2_index(IPA, 3), 0);
	arch_dsb_ish();
	arch_tlbi_ipa(VMID, ipa_init(IPA));
}

TEST(relaxed_stale_entry_until_dsb)
{
	fx_up();
	uint64_t root = both_cached();
	struct sim_access a;

	break_entry_ordered(root);
	/* The TLBI is issued, not complete: both CPUs still hit. */
	CHECK_EQ(sim_relaxed_pending_tlbis(0), 1);
	CHECK_EQ(access_on(1, &a), SIM_OK);
	CHECK(a.tlb_hit);
	CHECK_EQ(access_on(0, &a), SIM_OK);
	CHECK(a.tlb_hit);
	arch_dsb_ish();
	CHECK_EQ(sim_relaxed_pending_tlbis(0), 0);
	CHECK_EQ(sim_tlb_count(0), 0);
	CHECK_EQ(sim_tlb_count(1), 0);
	CHECK_EQ(access_on(1, &a), SIM_FAULT_TRANSLATION);
	CHECK_EQ(access_on(0, &a), SIM_FAULT_TRANSLATION);
	sim_fini();
}

TEST(relaxed_walker_sees_old_descriptor_until_dsb)
{
	fx_up();
	uint64_t root = fx_root_with_page(IPA, FX_DATA, RW);
	uint64_t table = leaf_table(root), g0;
	struct sim_access a;

	fx_set_stage2(1, VMID, root);
	fx_set_stage2(0, VMID, root);
	/* CPU 0 moves IPA to another page; CPU 1's walker still sees the old
	 * descriptor, CPU 0's its own write. */
	g0 = sim_frame_gen(table);
	arch_pte_write(pa_init(table), s2_index(IPA, 3), (FX_DATA + 0x1000) | RW);
	CHECK(sim_frame_gen(table) != g0);
	CHECK_EQ(access_on(1, &a), SIM_OK);
	CHECK_EQ(a.pa, FX_DATA);
	CHECK_EQ(access_on(0, &a), SIM_OK);
	CHECK_EQ(a.pa, FX_DATA + 0x1000);
	/* The pure walk (the oracles') sees every write. */
	struct sim_walk w;
	CHECK_EQ(sim_s2_walk(root, IPA, &w), SIM_OK);
	CHECK_EQ(w.pa, FX_DATA + 0x1000);
	/* After CPU 0's DSB, a fresh walk on CPU 2 sees the new one, and the
	 * frame's generation moved with the others' view. */
	g0 = sim_frame_gen(table);
	arch_dsb_ish();
	CHECK(sim_frame_gen(table) != g0);
	fx_set_stage2(2, VMID, root);
	CHECK_EQ(access_on(2, &a), SIM_OK);
	CHECK_EQ(a.pa, FX_DATA + 0x1000);
	sim_fini();
}

TEST(relaxed_publish_before_dsb)
{
	fx_up();
	uint64_t root = fx_root_with_page(IPA, FX_DATA, RW);
	struct sim_access a;

	fx_set_stage2(1, VMID, root);
	fx_set_stage2(0, VMID, root);
	arch_pte_write(pa_init(leaf_table(root)), s2_index(IPA, 3), 0);
	CHECK_EQ(sim_relaxed_pending_writes(0), 1);
	sim_relaxed_publish(0);
	CHECK_EQ(sim_relaxed_pending_writes(0), 0);
	CHECK_EQ(access_on(1, &a), SIM_FAULT_TRANSLATION);
	sim_fini();
}

TEST(relaxed_tlbi_before_dsb_leaves_other_cpus_entries)
{
	fx_up();
	uint64_t root = both_cached();
	struct sim_access a;

	/* No DSB between the write and the TLBI: CPU 1's walker may refill
	 * from the old descriptor after the TLBI passed; CPU 0 sees its own
	 * write. */
	arch_pte_write(pa_init(leaf_table(root)), s2_index(IPA, 3), 0);
	arch_tlbi_ipa(VMID, ipa_init(IPA));
	arch_dsb_ish();
	CHECK_EQ(sim_tlb_count(0), 0);
	CHECK_EQ(sim_tlb_count(1), 1);
	CHECK_EQ(access_on(1, &a), SIM_OK);
	CHECK(a.tlb_hit);
	CHECK_EQ(access_on(0, &a), SIM_FAULT_TRANSLATION);
	sim_fini();
}

TEST(relaxed_published_write_orders_the_tlbi)
{
	fx_up();
	uint64_t root = both_cached();

	/* The same without a DSB, but the program published the write first. */
	arch_pte_write(pa_init(leaf_table(root)), s2_index(IPA, 3), 0);
	sim_relaxed_publish(0);
	arch_tlbi_ipa(VMID, ipa_init(IPA));
	arch_dsb_ish();
	CHECK_EQ(sim_tlb_count(1), 0);
	sim_fini();
}

TEST(relaxed_entry_filled_after_tlbi_survives_it)
{
	fx_up();
	uint64_t root = fx_root_with_page(IPA, FX_DATA, RW);
	struct sim_access a;

	fx_set_stage2(1, VMID, root);
	sim_set_cpu(0);
	/* A TLBI for a mapping that stays: an entry CPU 1 fills after the
	 * TLBI was issued comes from the tables as they are and is kept. */
	arch_tlbi_ipa(VMID, ipa_init(IPA));
	CHECK_EQ(access_on(1, &a), SIM_OK);
	arch_dsb_ish();
	CHECK_EQ(sim_tlb_count(1), 1);
	sim_fini();
}

TEST(relaxed_write_buffer_is_bounded)
{
	fx_up();
	uint64_t t = fx_table();

	sim_set_cpu(0);
	for (unsigned i = 0; i < 20; i++)
		arch_pte_write(pa_init(t), i, (FX_DATA + 0x1000ull * i) | RW);
	/* Eight stay pending; the oldest twelve were published in order. */
	CHECK_EQ(sim_relaxed_pending_writes(0), 8);
	/* Rewriting a pending slot keeps one entry (others still see the
	 * value before the first write). */
	arch_pte_write(pa_init(t), 19, 0);
	CHECK_EQ(sim_relaxed_pending_writes(0), 8);
	arch_dsb_ish();
	CHECK_EQ(sim_relaxed_pending_writes(0), 0);
	sim_fini();
}

/* Unit 0 translates IOVA through root; its DMA has read IOVA once. */
static uint64_t iotlb_cached(void)
{
	uint64_t root = fx_root_with_page(IPA, FX_DATA, S2_PAGE_NORMAL_RW_XN);

	sim_set_cpu(0);
	arch_smmu_attach(0, pa_init(root));
	CHECK_EQ(sim_dma_access(0, IPA, 0, NULL, NULL), SIM_OK);
	return root;
}

TEST(iotlb_hit_after_unmap_until_invalidation)
{
	fx_up();
	uint64_t root = iotlb_cached();
	struct sim_access a;
	struct sim_tlb_entry e;

	arch_pte_write(pa_init(leaf_table(root)), s2_index(IPA, 3), 0);
	arch_dsb_ish();
	CHECK_EQ(sim_dma_access(0, IPA, 0, NULL, &a), SIM_OK);
	CHECK_EQ(a.pa, FX_DATA);
	CHECK(sim_iotlb_slot(0, 0, &e));
	CHECK_EQ(e.pa, FX_DATA);
	arch_smmu_tlbi(0);
	CHECK_EQ(sim_dma_access(0, IPA, 0, NULL, &a), SIM_FAULT_TRANSLATION);
	CHECK(!sim_iotlb_slot(0, 0, &e));
	sim_fini();
}

TEST(iotlb_invalidation_before_dsb_keeps_entry)
{
	fx_up();
	uint64_t root = iotlb_cached();

	/* The unit's walker still sees the old leaf when the invalidation
	 * runs, and refills from it. */
	arch_pte_write(pa_init(leaf_table(root)), s2_index(IPA, 3), 0);
	arch_smmu_tlbi(0);
	arch_dsb_ish();
	CHECK_EQ(sim_dma_access(0, IPA, 0, NULL, NULL), SIM_OK);
	arch_smmu_tlbi(0);
	CHECK_EQ(sim_dma_access(0, IPA, 0, NULL, NULL), SIM_FAULT_TRANSLATION);
	sim_fini();
}

TEST(iotlb_spec_fill_and_detach)
{
	fx_up();
	uint64_t root = fx_root_with_page(IPA, FX_DATA, S2_PAGE_NORMAL_RW_XN);
	uint64_t e0 = sim_iotlb_epoch();

	sim_set_cpu(0);
	CHECK(!sim_iotlb_spec_fill(0, IPA)); /* detached */
	arch_smmu_attach(0, pa_init(root));
	CHECK(sim_iotlb_spec_fill(0, IPA));
	CHECK(!sim_iotlb_spec_fill(0, IPA)); /* already cached */
	CHECK(!sim_iotlb_spec_fill(0, IPA + 0x1000)); /* not mapped */
	CHECK(sim_iotlb_epoch() != e0);
	arch_smmu_detach(0);
	struct sim_tlb_entry e;
	for (unsigned i = 0; i < sim_iotlb_slots(); i++)
		CHECK(!sim_iotlb_slot(0, i, &e));
	sim_fini();
}

TEST(relaxed_off_is_immediate)
{
	fx_up();
	sim_set_relaxed(false);
	uint64_t root = both_cached();
	struct sim_access a;

	arch_pte_write(pa_init(leaf_table(root)), s2_index(IPA, 3), 0);
	arch_tlbi_ipa(VMID, ipa_init(IPA));
	CHECK_EQ(sim_relaxed_pending_writes(0), 0);
	CHECK_EQ(sim_tlb_count(1), 0);
	CHECK_EQ(access_on(1, &a), SIM_FAULT_TRANSLATION);
	uint64_t r2 = fx_root_with_page(IPA, FX_DATA, S2_PAGE_NORMAL_RW_XN);
	arch_smmu_attach(0, pa_init(r2));
	CHECK_EQ(sim_dma_access(0, IPA, 0, NULL, NULL), SIM_OK);
	CHECK(!sim_iotlb_spec_fill(0, IPA));
	arch_pte_write(pa_init(leaf_table(r2)), s2_index(IPA, 3), 0);
	CHECK_EQ(sim_dma_access(0, IPA, 0, NULL, NULL), SIM_FAULT_TRANSLATION);
	sim_set_relaxed(true);
	sim_fini();
}

static const struct test_case cases[] = {
	CASE(relaxed_stale_entry_until_dsb),
	CASE(relaxed_walker_sees_old_descriptor_until_dsb),
	CASE(relaxed_publish_before_dsb),
	CASE(relaxed_tlbi_before_dsb_leaves_other_cpus_entries),
	CASE(relaxed_published_write_orders_the_tlbi),
	CASE(relaxed_entry_filled_after_tlbi_survives_it),
	CASE(relaxed_write_buffer_is_bounded),
	CASE(iotlb_hit_after_unmap_until_invalidation),
	CASE(iotlb_invalidation_before_dsb_keeps_entry),
	CASE(iotlb_spec_fill_and_detach),
	CASE(relaxed_off_is_immediate),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
