/* VMID-tagged TLBs: filled by walks, used even when stale, removed only by
 * TLBI, which reaches every CPU. */
#include "check.h"
#include "hyp/arch.h"
#include "sim_fixture.h"

#define RW S2_PAGE_NORMAL_RW
#define IPA 0x7000ull

static uint64_t read_on(unsigned cpu, uint64_t ipa, struct sim_access *a)
{
	uint64_t v = 0;

	CHECK_EQ(sim_cpu_access(cpu, ipa, 0, &v, a), SIM_OK);
	return v;
}

/* CPU 0 and CPU 1 both hold an entry for (vmid, IPA) and the PTE is gone. */
static uint64_t stale_on_two_cpus(uint16_t vmid)
{
	uint64_t root = fx_root_with_page(IPA, FX_DATA, RW);
	struct sim_access a;

	fx_set_stage2(0, vmid, root);
	fx_set_stage2(1, vmid, root);
	read_on(0, IPA, &a);
	CHECK(!a.tlb_hit);
	read_on(1, IPA, &a);
	fx_map(root, IPA, 3, 0);
	return root;
}

TEST(tlb_stale_entry_until_tlbi_ipa)
{
	fx_up();
	uint64_t root = stale_on_two_cpus(5);
	struct sim_access a;
	struct sim_walk w;

	CHECK_EQ(sim_s2_walk(root, IPA, &w), SIM_FAULT_TRANSLATION);
	sim_coherent_write64(FX_DATA + 8, 0xabc);
	CHECK_EQ(read_on(0, IPA + 8, &a), 0xabc);
	CHECK(a.tlb_hit);
	CHECK_EQ(a.pa, FX_DATA + 8);
	/* An IPA in another page of the same VMID does not touch the entry. */
	arch_tlbi_ipa(5, ipa_init(IPA + 0x1000));
	arch_dsb_ish(); /* completes the TLBI */
	read_on(1, IPA, &a);
	/* The right IPA removes it from every CPU, from any CPU. */
	sim_set_cpu(3);
	arch_tlbi_ipa(5, ipa_init(IPA + 0x10));
	arch_dsb_ish(); /* completes the TLBI */
	CHECK_EQ(sim_tlb_count(0), 0);
	CHECK_EQ(sim_tlb_count(1), 0);
	CHECK_EQ(sim_cpu_access(0, IPA, 0, NULL, &a), SIM_FAULT_TRANSLATION);
	CHECK_EQ(sim_cpu_access(1, IPA, 0, NULL, &a), SIM_FAULT_TRANSLATION);
	sim_fini();
}

TEST(tlb_stale_write_reaches_old_page)
{
	fx_up();
	uint64_t v = 0x77;

	stale_on_two_cpus(5);
	CHECK_EQ(sim_cpu_access(1, IPA, SIM_ACC_WRITE, &v, NULL), SIM_OK);
	CHECK_EQ(sim_coherent_read64(FX_DATA), 0x77);
	sim_fini();
}

TEST(tlb_vmid_invalidation_spares_other_vmids)
{
	fx_up();
	uint64_t other = fx_root_with_page(IPA, FX_DATA + 0x1000, RW);
	struct sim_access a;

	stale_on_two_cpus(5);
	fx_set_stage2(2, 6, other);
	read_on(2, IPA, &a);
	/* Same IPA, other VMID: a TLBI by IPA for VMID 5 spares it too. */
	arch_tlbi_ipa(5, ipa_init(IPA));
	arch_dsb_ish(); /* completes the TLBI */
	CHECK_EQ(sim_tlb_count(2), 1);
	stale_on_two_cpus(5);
	arch_tlbi_vmid(5);
	arch_dsb_ish(); /* completes the TLBI */
	CHECK_EQ(sim_tlb_count(0) + sim_tlb_count(1), 0);
	CHECK_EQ(sim_tlb_count(2), 1);
	read_on(2, IPA, &a);
	CHECK(a.tlb_hit);
	CHECK_EQ(a.pa, FX_DATA + 0x1000);
	sim_fini();
}

TEST(tlb_invalidate_all)
{
	fx_up();
	uint64_t other = fx_root_with_page(IPA, FX_DATA + 0x1000, RW);
	struct sim_access a;

	stale_on_two_cpus(5);
	fx_set_stage2(2, 6, other);
	read_on(2, IPA, &a);
	arch_tlbi_all();
	arch_dsb_ish(); /* completes the TLBI */
	for (unsigned cpu = 0; cpu < 4; cpu++)
		CHECK_EQ(sim_tlb_count(cpu), 0);
	sim_fini();
}

TEST(tlb_block_entry_and_ipa_tlbi)
{
	fx_up();
	uint64_t root = fx_table();
	struct sim_tlb_entry e;
	struct sim_access a;

	fx_map(root, 0x200000, 2, FX_RAM | (RW & ~S2_TYPE_TABLE));
	fx_set_stage2(0, 2, root);
	read_on(0, 0x234560, &a);
	CHECK_EQ(sim_tlb_count(0), 1);
	sim_tlb_get(0, 0, &e);
	CHECK_EQ(e.vmid, 2);
	CHECK_EQ(e.ipa, 0x200000);
	CHECK_EQ(e.pa, FX_RAM);
	CHECK_EQ(e.size, 2ull << 20);
	/* Any page inside the block hits the one entry... */
	read_on(0, 0x3ff000, &a);
	CHECK(a.tlb_hit);
	CHECK_EQ(a.pa, FX_RAM + 0x1ff000);
	/* ...and a TLBI of any IPA inside it removes it. */
	arch_tlbi_ipa(2, ipa_init(0x3ff000));
	arch_dsb_ish(); /* completes the TLBI */
	CHECK_EQ(sim_tlb_count(0), 0);
	sim_fini();
}

TEST(tlb_spec_fill)
{
	fx_up();
	uint64_t root = fx_root_with_page(IPA, FX_DATA, RW);
	struct sim_tlb_entry e;
	struct sim_event ev;
	struct sim_access a;

	CHECK(!sim_tlb_spec_fill(0, IPA)); /* no stage-2 context yet */
	fx_set_stage2(0, 4, root);
	CHECK(!sim_tlb_spec_fill(0, IPA + 0x1000)); /* not mapped */
	CHECK(sim_tlb_spec_fill(0, IPA));
	CHECK_EQ(sim_recent_events(&ev, 1), 1);
	CHECK_EQ(ev.kind, EV_TLB_FILL);
	CHECK_EQ(ev.cpu, 0);
	CHECK_EQ(ev.a, 4);
	CHECK_EQ(ev.b, IPA);
	CHECK_EQ(ev.c, FX_DATA);
	CHECK_EQ(ev.d, FX_DATA | RW);
	CHECK(!sim_tlb_spec_fill(0, IPA)); /* already there */
	CHECK_EQ(sim_tlb_count(0), 1);
	sim_tlb_get(0, 0, &e);
	CHECK_EQ(e.ipa, IPA);
	/* The speculative entry outlives the mapping, like any other. */
	fx_map(root, IPA, 3, 0);
	read_on(0, IPA, &a);
	CHECK(a.tlb_hit);
	CHECK(!sim_tlb_spec_fill(9, IPA));
	sim_fini();
}

/* A machine whose CPUs hold two TLB entries each, with pages 0..n-1 of
 * FX_DATA mapped at IPA page i for CPU 0 (VMID 1); the tables' root. */
static uint64_t two_entry_tlbs(unsigned n)
{
	struct sim_config cfg;

	fx_up();
	sim_config_default(&cfg);
	cfg.tlb_entries = 2;
	CHECK_EQ(sim_init(&cfg), 0);
	uint64_t root = fx_table();
	for (uint64_t i = 0; i < n; i++)
		fx_map(root, i << 12, 3, (FX_DATA + (i << 12)) | RW);
	fx_set_stage2(0, 1, root);
	return root;
}

TEST(tlb_round_robin_replacement)
{
	struct sim_tlb_entry e;
	struct sim_access a;

	two_entry_tlbs(4);
	read_on(0, 0x0000, &a);
	read_on(0, 0x1000, &a);
	read_on(0, 0x2000, &a); /* replaces slot 0 */
	read_on(0, 0x3000, &a); /* replaces slot 1 */
	CHECK_EQ(sim_tlb_count(0), 2);
	sim_tlb_get(0, 0, &e);
	CHECK_EQ(e.ipa, 0x2000);
	sim_tlb_get(0, 1, &e);
	CHECK_EQ(e.ipa, 0x3000);
	read_on(0, 0x3000, &a);
	CHECK(a.tlb_hit);
	read_on(0, 0x0000, &a);
	CHECK(!a.tlb_hit);
	sim_tlb_get(0, 0, &e);
	CHECK_EQ(e.ipa, 0x0000);
	/* Out-of-range queries give nothing rather than garbage. */
	sim_tlb_get(0, 7, &e);
	CHECK_EQ(e.size, 0);
	CHECK_EQ(sim_tlb_count(8), 0);
	sim_fini();
}

TEST(tlb_entries_are_per_cpu)
{
	fx_up();
	uint64_t root = fx_root_with_page(IPA, FX_DATA, RW);
	struct sim_access a;

	fx_set_stage2(0, 3, root);
	fx_set_stage2(1, 3, root);
	read_on(0, IPA, &a);
	CHECK_EQ(sim_tlb_count(1), 0);
	fx_map(root, IPA, 3, 0);
	CHECK_EQ(sim_cpu_access(1, IPA, 0, NULL, &a), SIM_FAULT_TRANSLATION);
	read_on(0, IPA, &a);
	CHECK(a.tlb_hit);
	sim_fini();
}

/* The fills since an epoch are listed, newest first; hits and other
 * epochs' fills are not; past what the caller or the machine keeps: -1. */
TEST(tlb_fills_listed_since_an_epoch)
{
	struct sim_access a;
	unsigned cpu[128], slot[128];

	fx_set_stage2(1, 1, two_entry_tlbs(3));
	uint64_t start = sim_tlb_epoch();
	read_on(0, 0x0000, &a);
	read_on(1, 0x1000, &a);
	read_on(0, 0x1000, &a);
	CHECK_EQ(sim_tlb_fills_since(start, cpu, slot, 128), 3);
	CHECK_EQ(cpu[0], 0);
	CHECK_EQ(slot[0], 1);
	CHECK_EQ(cpu[1], 1);
	CHECK_EQ(slot[1], 0);
	CHECK_EQ(cpu[2], 0);
	CHECK_EQ(slot[2], 0);
	CHECK_EQ(sim_tlb_fills_since(start, cpu, slot, 2), -1);
	uint64_t later = sim_tlb_epoch();
	read_on(0, 0x1000, &a); /* a hit fills nothing */
	CHECK(a.tlb_hit);
	CHECK_EQ(sim_tlb_fills_since(later, cpu, slot, 128), 0);
	/* three pages through two slots: every read fills, round-robin */
	for (unsigned k = 0; k < 70; k++) {
		if (k == 60)
			later = sim_tlb_epoch();
		read_on(0, (uint64_t)((k + 2) % 3) << 12, &a);
		CHECK(!a.tlb_hit);
	}
	CHECK_EQ(sim_tlb_fills_since(later, cpu, slot, 128), 10);
	CHECK_EQ(sim_tlb_fills_since(start, cpu, slot, 128), -1); /* more than the machine keeps */
	sim_fini();
}

static const struct test_case cases[] = {
	CASE(tlb_stale_entry_until_tlbi_ipa),
	CASE(tlb_stale_write_reaches_old_page),
	CASE(tlb_vmid_invalidation_spares_other_vmids),
	CASE(tlb_invalidate_all),
	CASE(tlb_block_entry_and_ipa_tlbi),
	CASE(tlb_spec_fill),
	CASE(tlb_round_robin_replacement),
	CASE(tlb_entries_are_per_cpu),
	CASE(tlb_fills_listed_since_an_epoch),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
