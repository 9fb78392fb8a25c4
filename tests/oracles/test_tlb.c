/* TLB discipline oracle, fed hand-written event histories: each bad
 * history must give exactly its kind, each near miss must stay silent. */
#include "check.h"
#include "hw/tlb/tlb_discipline.h"
#include "hw/tlb/tlb_store.h"
#include "hyp/s2desc.h"

#define VMID 5
#define VM 2
#define ROOT 0x40010000ull /* level 1 */
#define L2 0x40011000ull
#define L3 0x40012000ull
#define SROOT 0x40020000ull /* an SMMU unit's level 1 */
#define SL2 0x40021000ull
#define SL3 0x40022000ull
#define KROOT 0x40030000ull /* another context to switch to */
#define UNIT 2
#define DATA_A 0x41000000ull
#define DATA_B 0x41001000ull
#define GFN 5
#define IPA (GFN << 12) /* level-1 index 0, level-2 index 0, level-3 index 5 */

#define TABLE(pa) ((pa) | S2_VALID | S2_TYPE_TABLE)
#define PAGE(pa) ((pa) | S2_PAGE_NORMAL_RW)
#define BLOCK(pa) ((pa) | (S2_PAGE_NORMAL_RW & ~S2_TYPE_TABLE))

static struct tlb_oracle *o;
static struct violation got;
static unsigned nviol;
static uint64_t seq;

static void start(void)
{
	if (!o)
		o = tlb_oracle_create();
	CHECK(o != NULL);
	tlb_oracle_reset(o);
	nviol = 0;
	seq = 0;
}

static void keep(bool found, const struct violation *v)
{
	if (found && nviol++ == 0)
		got = *v;
}

static void ev(unsigned cpu, unsigned kind, uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
	struct sim_event e = { .seq = seq++, .kind = (uint16_t)kind, .cpu = (uint16_t)cpu,
			       .a = a, .b = b, .c = c, .d = d };
	struct violation v;

	keep(tlb_oracle_event(o, &e, &v), &v);
}

static void op_end(unsigned cpu)
{
	struct violation v;

	keep(tlb_oracle_op_end(o, cpu, &v), &v);
}

static void pte(unsigned cpu, uint64_t table, unsigned idx, uint64_t old, uint64_t desc)
{
	ev(cpu, EV_PTE_WRITE, table, idx, old, desc);
}
static void dsb(unsigned cpu) { ev(cpu, EV_DSB, 0, 0, 0, 0); }
static void tlbi_ipa(unsigned cpu, uint16_t vmid, uint64_t ipa) { ev(cpu, EV_TLBI_IPA, vmid, ipa, 0, 0); }
static void tlbi_vmid(unsigned cpu, uint16_t vmid) { ev(cpu, EV_TLBI_VMID, vmid, 0, 0, 0); }
static void tlbi_all(unsigned cpu) { ev(cpu, EV_TLBI_ALL, 0, 0, 0, 0); }
static void set_s2(unsigned cpu, uint16_t vmid, uint64_t root) { ev(cpu, EV_SET_STAGE2, vmid, root, 0, 0); }
static void zero(unsigned cpu, uint64_t pa) { ev(cpu, EV_PAGE_ZERO, pa, 0, 0, 0); }

static void expect(enum violation_kind k)
{
	if (nviol == 0)
		CHECK_FAIL_("expected %s, got nothing", violation_kind_name(k));
	if (got.kind != k) {
		violation_print(stderr, &got);
		CHECK_STR_EQ(violation_kind_name(got.kind), violation_kind_name(k));
	}
}

static void expect_silent(void)
{
	if (nviol) {
		violation_print(stderr, &got);
		CHECK_EQ(nviol, 0);
	}
}

static int state(uint64_t table, unsigned idx)
{
	return tlb_oracle_entry_state(o, table, idx);
}

/* The VM's tree, gfn 5 -> DATA_A, built by cpu 0 while the VM runs on
 * cpu 1 (so TLBs may cache it from now on). */
static void mapped(void)
{
	start();
	CHECK_EQ(tlb_oracle_add_root(o, ROOT, VMID, VM), 0);
	set_s2(1, VMID, ROOT);
	pte(0, ROOT, 0, 0, TABLE(L2));
	pte(0, L2, 0, 0, TABLE(L3));
	pte(0, L3, GFN, 0, PAGE(DATA_A));
	dsb(0);
	op_end(0);
	expect_silent();
	CHECK_EQ(state(L3, GFN), TLB_VALID);
}

static void unmap_gfn(unsigned cpu)
{
	pte(cpu, L3, GFN, PAGE(DATA_A), 0);
}

/* --- break-before-make ---------------------------------------------------- */

TEST(bbm_missing_new_output_address)
{
	mapped();
	pte(0, L3, GFN, PAGE(DATA_A), PAGE(DATA_B));
	expect(V_BBM_MISSING);
	CHECK_EQ(got.cpu, 0);
	CHECK_EQ(got.vm, VM);
	CHECK_EQ(got.page, GFN);
	CHECK_EQ(got.expected, PAGE(DATA_A));
	CHECK_EQ(got.actual, PAGE(DATA_B));
}

TEST(bbm_missing_memory_type)
{
	mapped();
	pte(0, L3, GFN, PAGE(DATA_A), (PAGE(DATA_A) & ~S2_MEMATTR_MASK) | S2_MEMATTR_NORMAL_NC);
	expect(V_BBM_MISSING);
}

TEST(bbm_missing_block_split)
{
	mapped();
	pte(0, L2, 1, 0, BLOCK(0x40200000ull));
	dsb(0);
	expect_silent();
	/* Replacing a 2 MiB block by a table of pages changes the block size. */
	pte(0, L2, 1, BLOCK(0x40200000ull), TABLE(0x40014000ull));
	expect(V_BBM_MISSING);
	CHECK_EQ(got.page, 0x200);
}

/* The size changes even when the address bits happen to agree. */
TEST(bbm_missing_table_to_block_same_address)
{
	mapped();
	pte(0, L2, 1, 0, TABLE(0x40200000ull));
	dsb(0);
	pte(0, L2, 1, TABLE(0x40200000ull), BLOCK(0x40200000ull));
	expect(V_BBM_MISSING);
}

TEST(bbm_correct_sequence_silent)
{
	mapped();
	unmap_gfn(0);
	dsb(0);
	tlbi_ipa(0, VMID, IPA);
	dsb(0);
	pte(0, L3, GFN, 0, PAGE(DATA_B));
	dsb(0);
	op_end(0);
	expect_silent();
	CHECK_EQ(state(L3, GFN), TLB_VALID);
}

TEST(bbm_permission_change_silent)
{
	mapped();
	/* Granting a permission needs nothing; taking one away needs only a
	 * TLBI, no break. */
	pte(0, L3, GFN, PAGE(DATA_A) & ~S2_S2AP_W, PAGE(DATA_A));
	op_end(0);
	pte(0, L3, GFN, PAGE(DATA_A), PAGE(DATA_A) & ~S2_S2AP_W);
	dsb(0);
	tlbi_ipa(0, VMID, IPA);
	dsb(0);
	op_end(0);
	expect_silent();
	CHECK_EQ(state(L3, GFN), TLB_VALID);
}

TEST(permission_removed_needs_tlbi)
{
	mapped();
	pte(0, L3, GFN, PAGE(DATA_A), PAGE(DATA_A) & ~S2_S2AP_W);
	dsb(0);
	op_end(0);
	expect(V_TLBI_MISSING);
}

/* --- revalidation ------------------------------------------------------------- */

TEST(revalidate_before_tlbi)
{
	mapped();
	unmap_gfn(0);
	dsb(0);
	pte(0, L3, GFN, 0, PAGE(DATA_B));
	expect(V_REVALIDATE_EARLY);
	CHECK_EQ(got.actual, PAGE(DATA_B));
	CHECK_EQ(got.page, GFN);
}

TEST(revalidate_before_tlbi_completes)
{
	mapped();
	unmap_gfn(0);
	dsb(0);
	tlbi_ipa(0, VMID, IPA);
	pte(0, L3, GFN, 0, PAGE(DATA_B));
	expect(V_REVALIDATE_EARLY);
}

TEST(revalidate_after_other_cpu_completes_silent)
{
	mapped();
	unmap_gfn(0);
	dsb(0);
	/* Any CPU may do the TLBI; its own DSB completes it. */
	tlbi_ipa(2, VMID, IPA);
	dsb(2);
	pte(0, L3, GFN, 0, PAGE(DATA_B));
	dsb(0);
	op_end(0);
	op_end(2);
	expect_silent();
}

/* --- TLBI ordering and completion ------------------------------------------- */

TEST(tlbi_before_dsb)
{
	mapped();
	unmap_gfn(0);
	tlbi_ipa(0, VMID, IPA);
	dsb(0);
	op_end(0);
	expect(V_TLBI_BEFORE_DSB);
	CHECK_EQ(got.page, GFN);
}

TEST(tlbi_before_dsb_then_repaired_silent)
{
	mapped();
	unmap_gfn(0);
	tlbi_ipa(0, VMID, IPA);
	dsb(0);
	tlbi_ipa(0, VMID, IPA);
	dsb(0);
	op_end(0);
	expect_silent();
	CHECK_EQ(state(L3, GFN), TLB_INVALID_CLEAN);
}

TEST(tlbi_before_dsb_at_revalidation)
{
	mapped();
	unmap_gfn(0);
	tlbi_ipa(0, VMID, IPA);
	dsb(0);
	pte(0, L3, GFN, 0, PAGE(DATA_B));
	expect(V_TLBI_BEFORE_DSB);
}

TEST(tlbi_missing)
{
	mapped();
	unmap_gfn(0);
	dsb(0);
	op_end(0);
	expect(V_TLBI_MISSING);
	CHECK_EQ(got.cpu, 0);
	CHECK_EQ(got.vm, VM);
	CHECK_EQ(got.page, GFN);
}

TEST(tlbi_missing_without_dsb)
{
	mapped();
	unmap_gfn(0);
	op_end(0);
	expect(V_TLBI_MISSING);
}

TEST(tlbi_missing_reported_once)
{
	mapped();
	unmap_gfn(0);
	op_end(0);
	expect(V_TLBI_MISSING);
	op_end(0);
	CHECK_EQ(nviol, 1);
	CHECK_EQ(state(L3, GFN), TLB_INVALID_CLEAN);
}

TEST(tlbi_vmid_covers_silent)
{
	mapped();
	unmap_gfn(0);
	dsb(0);
	tlbi_vmid(0, VMID);
	dsb(0);
	op_end(0);
	expect_silent();
}

TEST(tlbi_all_covers_silent)
{
	mapped();
	unmap_gfn(0);
	dsb(0);
	tlbi_all(0);
	dsb(0);
	op_end(0);
	expect_silent();
}

TEST(context_never_loaded_needs_no_tlbi)
{
	start();
	CHECK_EQ(tlb_oracle_add_root(o, ROOT, VMID, VM), 0);
	pte(0, ROOT, 0, 0, TABLE(L2));
	pte(0, L2, 0, 0, TABLE(L3));
	pte(0, L3, GFN, 0, PAGE(DATA_A));
	unmap_gfn(0);
	op_end(0);
	expect_silent();
	CHECK_EQ(state(L3, GFN), TLB_INVALID_CLEAN);
}

TEST(boundary_checks_only_that_cpu)
{
	mapped();
	unmap_gfn(0);
	dsb(0);
	op_end(1);
	expect_silent();
	op_end(0);
	expect(V_TLBI_MISSING);
}

TEST(tlbi_not_completed)
{
	mapped();
	unmap_gfn(0);
	dsb(0);
	tlbi_ipa(0, VMID, IPA);
	op_end(0);
	expect(V_TLBI_NOT_COMPLETED);
	CHECK_EQ(got.page, GFN);
}

TEST(tlbi_not_completed_by_other_cpus_dsb)
{
	mapped();
	unmap_gfn(0);
	dsb(0);
	tlbi_ipa(0, VMID, IPA);
	dsb(1);
	op_end(0);
	expect(V_TLBI_NOT_COMPLETED);
}

TEST(tlbi_wrong_ipa)
{
	mapped();
	unmap_gfn(0);
	dsb(0);
	tlbi_ipa(0, VMID, IPA + 0x1000);
	dsb(0);
	op_end(0);
	expect(V_TLBI_WRONG_TARGET);
	CHECK_EQ(got.expected, IPA);
	CHECK_EQ(got.actual, IPA + 0x1000);
}

TEST(tlbi_wrong_vmid)
{
	mapped();
	unmap_gfn(0);
	dsb(0);
	tlbi_vmid(0, VMID + 1);
	dsb(0);
	op_end(0);
	expect(V_TLBI_WRONG_TARGET);
	CHECK_EQ(got.expected, VMID);
	CHECK_EQ(got.actual, VMID + 1);
}

TEST(tlbi_wrong_target_then_right_silent)
{
	mapped();
	unmap_gfn(0);
	dsb(0);
	tlbi_ipa(0, VMID + 1, IPA);
	tlbi_ipa(0, VMID, IPA);
	dsb(0);
	op_end(0);
	expect_silent();
}

/* A TLBI before a change is not evidence against it. */
TEST(earlier_unrelated_tlbi_is_not_wrong_target)
{
	mapped();
	tlbi_ipa(0, VMID, 0x9000);
	unmap_gfn(0);
	dsb(0);
	op_end(0);
	expect(V_TLBI_MISSING);
}

/* --- unlinking and reusing tables --------------------------------------------- */

TEST(table_zeroed_before_unlink_invalidated)
{
	mapped();
	pte(0, L2, 0, TABLE(L3), 0);
	zero(0, L3);
	expect(V_TABLE_FREED_UNCLEAN);
	CHECK_EQ(got.page, 0); /* the level-2 entry covering IPA 0 */
}

TEST(table_written_before_unlink_invalidated)
{
	mapped();
	pte(0, L2, 0, TABLE(L3), 0);
	dsb(0);
	pte(0, L3, 9, 0, PAGE(DATA_B));
	expect(V_TABLE_FREED_UNCLEAN);
}

TEST(table_reused_with_live_leaves)
{
	mapped();
	pte(0, L2, 0, TABLE(L3), 0);
	dsb(0);
	/* Covers the level-2 entry (IPA 0..2 MiB) but not the page at gfn 5. */
	tlbi_ipa(0, VMID, 0);
	dsb(0);
	zero(0, L3);
	expect(V_TABLE_FREED_UNCLEAN);
	CHECK_EQ(got.page, GFN);
}

TEST(table_overwritten_by_kcore_before_unlink_invalidated)
{
	mapped();
	pte(0, L2, 0, TABLE(L3), 0);
	ev(0, EV_PHYS_WRITE, L3 + 0x100, 64, 0, 0);
	expect(V_TABLE_FREED_UNCLEAN);
}

TEST(table_relinked_elsewhere_before_unlink_invalidated)
{
	mapped();
	pte(0, L2, 0, TABLE(L3), 0);
	pte(0, L2, 3, 0, TABLE(L3));
	expect(V_TABLE_FREED_UNCLEAN);
}

TEST(table_freed_after_vmid_flush_silent)
{
	mapped();
	pte(0, L2, 0, TABLE(L3), 0);
	dsb(0);
	tlbi_vmid(0, VMID);
	dsb(0);
	zero(0, L3);
	pte(0, L3, 9, 0, PAGE(DATA_B));
	pte(0, L2, 0, 0, TABLE(L3));
	dsb(0);
	op_end(0);
	expect_silent();
	CHECK_EQ(state(L3, 9), TLB_VALID);
	CHECK_EQ(state(L3, GFN), TLB_INVALID_CLEAN);
}

TEST(unlinked_leaves_need_their_own_tlbi)
{
	mapped();
	pte(0, L2, 0, TABLE(L3), 0);
	dsb(0);
	tlbi_ipa(0, VMID, 0);
	dsb(0);
	op_end(0);
	expect(V_TLBI_MISSING);
	CHECK_EQ(got.page, GFN);
}

/* Unlinking a level-2 table unmaps the level-3 tables below it too. */
TEST(unlinked_subtree_leaves_need_their_own_tlbi)
{
	mapped();
	pte(0, ROOT, 0, TABLE(L2), 0);
	dsb(0);
	/* Covers the level-1 entry and level-2 entry 0, not the page. */
	tlbi_ipa(0, VMID, 0);
	dsb(0);
	op_end(0);
	expect(V_TLBI_MISSING);
	CHECK_EQ(got.page, GFN);
}

TEST(zeroing_a_live_table_unmaps_it)
{
	mapped();
	zero(0, L3);
	op_end(0);
	expect(V_TLBI_MISSING);
	CHECK_EQ(got.page, GFN);
}

TEST(zeroing_a_live_table_then_flush_silent)
{
	mapped();
	zero(0, L3);
	dsb(0);
	tlbi_vmid(0, VMID);
	dsb(0);
	op_end(0);
	expect_silent();
}

/* A finished VM: flushed, loaded nowhere; its pool is rebuilt for a new
 * VM without any invalidation, as nothing can be cached. */
TEST(rebuilding_a_flushed_pool_silent)
{
	mapped();
	set_s2(1, 0, KROOT);
	unmap_gfn(0);
	dsb(0);
	tlbi_vmid(0, VMID);
	dsb(0);
	op_end(0);
	zero(0, ROOT);
	zero(0, L2);
	zero(0, L3);
	CHECK_EQ(tlb_oracle_add_root(o, ROOT, VMID + 1, VM + 1), 0);
	pte(0, ROOT, 0, 0, TABLE(L2));
	op_end(0);
	expect_silent();
}

#define L3B 0x40013000ull

/* A table filled before it is linked is known from its first write. */
TEST(table_filled_before_link_is_checked)
{
	mapped();
	pte(0, L3B, 7, 0, PAGE(DATA_B)); /* gfn 0x207 once linked at level-2 index 1 */
	pte(0, L2, 1, 0, TABLE(L3B));
	dsb(0);
	op_end(0);
	expect_silent();
	CHECK_EQ(state(L3B, 7), TLB_VALID);
	pte(0, L2, 1, TABLE(L3B), 0);
	dsb(0);
	tlbi_ipa(0, VMID, 0x200000); /* the level-2 entry, not the page */
	dsb(0);
	op_end(0);
	expect(V_TLBI_MISSING);
	CHECK_EQ(got.page, 0x207);
}

TEST(tree_built_before_root_known_is_checked)
{
	start();
	pte(0, ROOT, 0, 0, TABLE(L2));
	pte(0, L2, 0, 0, TABLE(L3));
	pte(0, L3, GFN, 0, PAGE(DATA_A));
	set_s2(1, VMID, ROOT);
	CHECK_EQ(state(L3, GFN), TLB_VALID);
	pte(0, L3, GFN, PAGE(DATA_A), PAGE(DATA_B));
	expect(V_BBM_MISSING);
	CHECK_EQ(got.page, GFN);
}

/* --- VMID reuse ---------------------------------------------------------------- */

TEST(vmid_reuse_with_new_root)
{
	start();
	set_s2(0, 7, ROOT);
	set_s2(0, 0, KROOT);
	set_s2(1, 7, SROOT);
	expect(V_VMID_REUSE);
	CHECK_EQ(got.cpu, 1);
	CHECK_EQ(got.expected, ROOT);
	CHECK_EQ(got.actual, SROOT);
}

TEST(vmid_reuse_after_tlbi_vmid_silent)
{
	start();
	set_s2(0, 7, ROOT);
	set_s2(0, 0, KROOT);
	tlbi_vmid(0, 7);
	dsb(0);
	set_s2(1, 7, SROOT);
	expect_silent();
}

TEST(vmid_reuse_after_tlbi_all_silent)
{
	start();
	set_s2(0, 7, ROOT);
	set_s2(0, 0, KROOT);
	tlbi_all(2);
	dsb(2);
	set_s2(1, 7, SROOT);
	expect_silent();
}

TEST(vmid_reuse_flush_not_completed)
{
	start();
	set_s2(0, 7, ROOT);
	set_s2(0, 0, KROOT);
	tlbi_vmid(0, 7);
	set_s2(1, 7, SROOT);
	expect(V_VMID_REUSE);
}

TEST(vmid_reuse_flush_while_still_loaded)
{
	start();
	set_s2(0, 7, ROOT);
	tlbi_vmid(1, 7);
	dsb(1);
	set_s2(0, 0, KROOT);
	set_s2(1, 7, SROOT);
	expect(V_VMID_REUSE);
}

TEST(vmid_reuse_loaded_during_flush)
{
	start();
	set_s2(0, 7, ROOT);
	set_s2(0, 0, KROOT);
	tlbi_vmid(0, 7);
	set_s2(2, 7, ROOT);
	set_s2(2, 0, KROOT);
	dsb(0);
	set_s2(1, 7, SROOT);
	expect(V_VMID_REUSE);
}

TEST(vmid_same_root_again_silent)
{
	start();
	set_s2(0, 7, ROOT);
	set_s2(0, 0, KROOT);
	set_s2(1, 7, ROOT);
	expect_silent();
}

/* --- SMMU tables ------------------------------------------------------------------ */

static void smmu_mapped(void)
{
	start();
	ev(0, EV_SMMU_ATTACH, UNIT, SROOT, 0, 0);
	pte(0, SROOT, 0, 0, TABLE(SL2));
	pte(0, SL2, 0, 0, TABLE(SL3));
	pte(0, SL3, GFN, 0, PAGE(DATA_A));
	dsb(0);
	op_end(0);
	expect_silent();
}

TEST(smmu_unmap_needs_unit_tlbi)
{
	smmu_mapped();
	pte(0, SL3, GFN, PAGE(DATA_A), 0);
	dsb(0);
	op_end(0);
	expect(V_TLBI_MISSING);
	CHECK_EQ(got.page, GFN);
}

TEST(smmu_unmap_with_unit_tlbi_silent)
{
	smmu_mapped();
	pte(0, SL3, GFN, PAGE(DATA_A), 0);
	dsb(0);
	ev(0, EV_SMMU_TLBI, UNIT, 0, 0, 0);
	op_end(0);
	expect_silent();
}

TEST(smmu_tlbi_of_another_unit)
{
	smmu_mapped();
	pte(0, SL3, GFN, PAGE(DATA_A), 0);
	ev(0, EV_SMMU_TLBI, UNIT + 1, 0, 0, 0);
	op_end(0);
	expect(V_TLBI_MISSING);
}

TEST(smmu_unmap_with_cpu_tlbi_is_wrong_target)
{
	smmu_mapped();
	pte(0, SL3, GFN, PAGE(DATA_A), 0);
	dsb(0);
	tlbi_ipa(0, VMID, IPA);
	dsb(0);
	op_end(0);
	expect(V_TLBI_WRONG_TARGET);
}

TEST(smmu_declared_root_names_vm)
{
	start();
	CHECK_EQ(tlb_oracle_add_smmu_root(o, SROOT, UNIT, VM), 0);
	CHECK(tlb_oracle_add_smmu_root(o, SROOT, 99, VM) != 0);
	ev(0, EV_SMMU_ATTACH, UNIT, SROOT, 0, 0);
	pte(0, SROOT, 0, 0, TABLE(SL2));
	pte(0, SROOT, 0, TABLE(SL2), 0);
	op_end(0);
	expect(V_TLBI_MISSING);
	CHECK_EQ(got.vm, VM);
}

TEST(smmu_detached_unit_needs_no_tlbi)
{
	smmu_mapped();
	ev(0, EV_SMMU_DETACH, UNIT, 0, 0, 0);
	pte(0, SL3, GFN, PAGE(DATA_A), 0);
	op_end(0);
	expect_silent();
}

TEST(smmu_change_then_detach_still_needs_tlbi)
{
	smmu_mapped();
	pte(0, SL3, GFN, PAGE(DATA_A), 0);
	ev(0, EV_SMMU_DETACH, UNIT, 0, 0, 0);
	op_end(0);
	expect(V_TLBI_MISSING);
}

/* --- states, learning, robustness ------------------------------------------------- */

TEST(entry_state_machine)
{
	mapped();
	CHECK_EQ(state(L3, GFN), TLB_VALID);
	unmap_gfn(0);
	CHECK_EQ(state(L3, GFN), TLB_INVALID_UNPUBLISHED);
	dsb(1); /* another CPU's barrier publishes nothing of cpu 0's */
	CHECK_EQ(state(L3, GFN), TLB_INVALID_UNPUBLISHED);
	dsb(0);
	CHECK_EQ(state(L3, GFN), TLB_INVALID_PUBLISHED);
	tlbi_ipa(0, VMID, IPA + 0x123); /* any address inside the page */
	CHECK_EQ(state(L3, GFN), TLB_TLBI_ISSUED);
	dsb(0);
	CHECK_EQ(state(L3, GFN), TLB_INVALID_CLEAN);
	CHECK_EQ(state(L3 + 0x10000, 0), -1);
	CHECK_STR_EQ(tlb_entry_state_name(TLB_INVALID_PUBLISHED), "invalid-published");
	CHECK_STR_EQ(tlb_entry_state_name(99), "unknown");
	CHECK_STR_EQ(tlb_entry_state_name(-1), "unknown");
	expect_silent();
}

TEST(root_learned_from_set_stage2)
{
	start();
	set_s2(0, VMID, ROOT);
	pte(0, ROOT, 0, 0, TABLE(L2));
	pte(0, L2, 0, 0, TABLE(L3));
	pte(0, L3, GFN, 0, PAGE(DATA_A));
	unmap_gfn(0);
	dsb(0);
	op_end(0);
	expect(V_TLBI_MISSING);
	CHECK_EQ(got.vm, 0);
}

TEST(bad_events_are_ignored)
{
	mapped();
	ev(200, EV_PTE_WRITE, L3, GFN, PAGE(DATA_A), PAGE(DATA_B)); /* no such CPU */
	pte(0, L3, 600, PAGE(DATA_A), PAGE(DATA_B));                /* no such index */
	pte(0, 0x7000000ull, 1, PAGE(DATA_A), PAGE(DATA_B));         /* no known table */
	ev(0, EV_PHYS_WRITE, 0x1000, UINT64_MAX, 0, 0);              /* enormous length */
	ev(0, EV_PHYS_WRITE, UINT64_MAX - 7, 64, 0, 0);              /* wraps around */
	ev(0, EV_SMMU_ATTACH, 1000, SROOT, 0, 0);
	ev(0, EV_SMMU_TLBI, 1000, 0, 0, 0);
	ev(0, 0, 0, 0, 0, 0);
	ev(0, 999, 0, 0, 0, 0);
	op_end(200);
	op_end(0);
	expect_silent();
	CHECK(!tlb_oracle_overflowed(o));
}

TEST(reset_forgets)
{
	mapped();
	unmap_gfn(0);
	tlb_oracle_reset(o);
	op_end(0);
	expect_silent();
	CHECK_EQ(state(L3, GFN), -1);
}

TEST(many_tables_overflow_safely)
{
	start();
	set_s2(0, VMID, ROOT);
	/* Link far more level-2 tables than the oracle holds. */
	for (unsigned i = 0; i < 2 * TLB_MAX_TABLES; i++)
		pte(0, ROOT, i % S2_ENTRIES, 0, TABLE(0x42000000ull + i * 4096ull));
	CHECK(tlb_oracle_overflowed(o));
	tlb_oracle_reset(o);
	CHECK(!tlb_oracle_overflowed(o));
}

static const struct test_case cases[] = {
	CASE(bbm_missing_new_output_address),
	CASE(bbm_missing_memory_type),
	CASE(bbm_missing_block_split),
	CASE(bbm_missing_table_to_block_same_address),
	CASE(bbm_correct_sequence_silent),
	CASE(bbm_permission_change_silent),
	CASE(permission_removed_needs_tlbi),
	CASE(revalidate_before_tlbi),
	CASE(revalidate_before_tlbi_completes),
	CASE(revalidate_after_other_cpu_completes_silent),
	CASE(tlbi_before_dsb),
	CASE(tlbi_before_dsb_then_repaired_silent),
	CASE(tlbi_before_dsb_at_revalidation),
	CASE(tlbi_missing),
	CASE(tlbi_missing_without_dsb),
	CASE(tlbi_missing_reported_once),
	CASE(tlbi_vmid_covers_silent),
	CASE(tlbi_all_covers_silent),
	CASE(context_never_loaded_needs_no_tlbi),
	CASE(boundary_checks_only_that_cpu),
	CASE(tlbi_not_completed),
	CASE(tlbi_not_completed_by_other_cpus_dsb),
	CASE(tlbi_wrong_ipa),
	CASE(tlbi_wrong_vmid),
	CASE(tlbi_wrong_target_then_right_silent),
	CASE(earlier_unrelated_tlbi_is_not_wrong_target),
	CASE(table_zeroed_before_unlink_invalidated),
	CASE(table_written_before_unlink_invalidated),
	CASE(table_reused_with_live_leaves),
	CASE(table_overwritten_by_kcore_before_unlink_invalidated),
	CASE(table_relinked_elsewhere_before_unlink_invalidated),
	CASE(table_freed_after_vmid_flush_silent),
	CASE(unlinked_leaves_need_their_own_tlbi),
	CASE(unlinked_subtree_leaves_need_their_own_tlbi),
	CASE(zeroing_a_live_table_unmaps_it),
	CASE(zeroing_a_live_table_then_flush_silent),
	CASE(rebuilding_a_flushed_pool_silent),
	CASE(table_filled_before_link_is_checked),
	CASE(tree_built_before_root_known_is_checked),
	CASE(vmid_reuse_with_new_root),
	CASE(vmid_reuse_after_tlbi_vmid_silent),
	CASE(vmid_reuse_after_tlbi_all_silent),
	CASE(vmid_reuse_flush_not_completed),
	CASE(vmid_reuse_flush_while_still_loaded),
	CASE(vmid_reuse_loaded_during_flush),
	CASE(vmid_same_root_again_silent),
	CASE(smmu_unmap_needs_unit_tlbi),
	CASE(smmu_unmap_with_unit_tlbi_silent),
	CASE(smmu_tlbi_of_another_unit),
	CASE(smmu_unmap_with_cpu_tlbi_is_wrong_target),
	CASE(smmu_declared_root_names_vm),
	CASE(smmu_detached_unit_needs_no_tlbi),
	CASE(smmu_change_then_detach_still_needs_tlbi),
	CASE(entry_state_machine),
	CASE(root_learned_from_set_stage2),
	CASE(bad_events_are_ignored),
	CASE(reset_forgets),
	CASE(many_tables_overflow_safely),
};

int main(int argc, char **argv)
{
	int rc = test_main(argc, argv, cases, N_CASES(cases));

	tlb_oracle_destroy(o);
	return rc;
}
