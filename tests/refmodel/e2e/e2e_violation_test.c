/* Each violation kind the model oracles report fires on a known-bad
 * history, made by corrupting the machine behind KCore's back (a stage-2
 * descriptor written into memory, a TLB entry left stale, a context left
 * loaded) or by handing over a wrong return code; and its near miss, the
 * closest legitimate history, stays silent. */
#include "check.h"
#include "e2e_fixture.h"
#include "hyp/addr.h"
#include "hyp/arch.h"
#include "hyp/s2desc.h"
#include "hyp_target.h"
#include "sim/machine.h"

#define GFN 0x80ull
#define TINY 0u /* guest image "tiny": one page */

static void expect(enum violation_kind kind, struct violation *v)
{
	bool hit = e2e_quiescent(v);

	if (hit && v->kind != kind)
		violation_print(stderr, v);
	if (!hit || v->kind != kind)
		CHECK_FAIL_("expected %s, got %s", violation_kind_name(kind), hit ? violation_kind_name(v->kind) : "none");
}

static void expect_silent(void)
{
	struct violation v;

	e2e_expect_clean(e2e_quiescent(&v), &v);
}

static struct kcore_vm_view vm_view(unsigned vm)
{
	struct kcore_vm_view v;

	CHECK(target_kcore.view_vm(vm, &v));
	return v;
}

static uint64_t leaf(uint64_t pfn)
{
	return (pfn << PAGE_SHIFT) | S2_PAGE_NORMAL_RW;
}

/* A leaf for pfn with the attributes the contract gives kind (kcore.h). */
static uint64_t leaf_as(uint64_t pfn, uint64_t attrs)
{
	return (pfn << PAGE_SHIFT) | attrs;
}

/* --- Return codes --------------------------------------------------------- */

TEST(ret_mismatch_fires)
{
	struct violation v;
	int64_t ret;

	e2e_up();
	sim_set_cpu(0);
	ret = target_kcore.host_call(HVC_REGISTER_VM, 0, 0, 0);
	CHECK_EQ(ret, 1);
	CHECK(model_oracle_host_call(&e2e_oracle, 0, HVC_REGISTER_VM, 0, 0, 0, ret + 1, &v));
	CHECK_EQ(v.kind, V_RET_MISMATCH);
	CHECK_EQ(v.expected, 1);
	CHECK_EQ(v.actual, 2);
	CHECK_EQ(v.cpu, 0);
	CHECK(strstr(v.detail, "register_vm") != NULL);
}

TEST(ret_mismatch_near_miss)
{
	struct violation v;

	e2e_up();
	sim_set_cpu(2);
	int64_t ret = target_kcore.host_call(HVC_SMMU_FREE, 0, 0, 0);
	CHECK_EQ(ret, -(int64_t)KCORE_E_UNIT_STATE);
	e2e_expect_clean(model_oracle_host_call(&e2e_oracle, 2, HVC_SMMU_FREE, 0, 0, 0, ret, &v), &v);
	expect_silent();
}

/* --- Abstract state ------------------------------------------------------- */

TEST(state_mismatch_on_extra_leaf)
{
	struct violation v;

	e2e_up();
	unsigned vm = e2e_boot_vm(TINY, GFN, e2e_pfn(0), 1);
	/* The VM's own page, at a second gfn. */
	e2e_poke_leaf(vm_view(vm).npt_root, (GFN + 1) << PAGE_SHIFT, leaf(e2e_pfn(0)));
	expect(V_STATE_MISMATCH, &v);
	CHECK_EQ(v.vm, vm);
	CHECK_EQ(v.page, GFN + 1);
	CHECK(strstr(v.detail, "VM 1 gfn 0x81") != NULL);
}

TEST(state_mismatch_near_miss)
{
	e2e_up();
	unsigned vm = e2e_boot_vm(TINY, GFN, e2e_pfn(0), 1);
	/* The same descriptor without its valid bit maps nothing. */
	e2e_poke_leaf(vm_view(vm).npt_root, (GFN + 1) << PAGE_SHIFT, leaf(e2e_pfn(0)) & ~S2_VALID);
	expect_silent();
}

/* --- KServ's reach -------------------------------------------------------- */

TEST(kserv_reach_fires)
{
	struct violation v;

	e2e_up();
	e2e_boot_vm(TINY, GFN, e2e_pfn(0), 1);
	/* KServ had the image page mapped before handing it over. */
	e2e_poke_leaf(e2e_kserv_root(), e2e_pfn(0) << PAGE_SHIFT, leaf(e2e_pfn(0)));
	expect(V_KSERV_REACH, &v);
	CHECK_EQ(v.page, e2e_pfn(0));
	CHECK_EQ(v.vm, 0);
	CHECK(strstr(v.detail, "KServ reaches") != NULL);
	CHECK(strstr(v.detail, "VM 1's, 0 grants") != NULL);
}

TEST(kserv_reach_near_miss)
{
	e2e_up();
	unsigned vm = e2e_boot_vm(TINY, GFN, e2e_pfn(0), 1);
	/* Once the guest grants the page, the same descriptor is allowed. */
	CHECK_EQ(e2e_hvc(1, HVC_VCPU_RUN, vm, 0, 0), KCORE_OK);
	CHECK_EQ(e2e_ghvc(1, GHVC_GRANT, GFN), 1);
	e2e_poke_leaf(e2e_kserv_root(), e2e_pfn(0) << PAGE_SHIFT, leaf_as(e2e_pfn(0), KCORE_S2_KSERV_SHARED));
	expect_silent();
}

TEST(kserv_reach_through_block)
{
	struct violation v;

	e2e_up();
	e2e_boot_vm(TINY, GFN, e2e_pfn(0), 1);
	/* A 2 MiB block over KServ's own pages and, at its end, the VM's. */
	uint64_t base = (e2e_pfn(0) << PAGE_SHIFT) & ~((1ull << 21) - 1);
	uint64_t l2 = e2e_table_of(e2e_kserv_root(), base, 2);
	sim_coherent_write64(l2 + 8ull * s2_index(base, 2),
			     base | (S2_PAGE_NORMAL_RW & ~S2_TYPE_TABLE));
	expect(V_KSERV_REACH, &v);
	CHECK_EQ(v.page, e2e_pfn(0));
}

TEST(kserv_reach_through_loaded_vm_context)
{
	struct violation v;

	e2e_up();
	unsigned vm = e2e_boot_vm(TINY, GFN, e2e_pfn(0), 1);
	/* CPU 2 is in the host but still has the VM's tables loaded. */
	sim_set_cpu(2);
	arch_set_stage2(vm_view(vm).vmid, pa_init(vm_view(vm).npt_root));
	expect(V_KSERV_REACH, &v);
	CHECK_EQ(v.cpu, 2);
	CHECK_EQ(v.page, e2e_pfn(0));
}

/* --- A VM's reach --------------------------------------------------------- */

TEST(vm_reach_through_stale_tlb)
{
	struct violation v;
	uint64_t ipa = (GFN + 1) << PAGE_SHIFT;

	e2e_up();
	unsigned vm = e2e_boot_vm(TINY, GFN, e2e_pfn(0), 1);
	uint64_t root = vm_view(vm).npt_root;
	CHECK_EQ(e2e_hvc(1, HVC_VCPU_RUN, vm, 0, 0), KCORE_OK);
	/* A KServ page appears in the VM's table just long enough for a
	 * speculative walk, then the table is put back. */
	e2e_poke_leaf(root, ipa, leaf(e2e_pfn(50)));
	CHECK(sim_tlb_spec_fill(1, ipa));
	e2e_poke_leaf(root, ipa, 0);
	expect(V_VM_REACH, &v);
	CHECK_EQ(v.vm, vm);
	CHECK_EQ(v.cpu, 1);
	CHECK_EQ(v.page, e2e_pfn(50));
}

/* Load (vmid, root) on cpu, fill a TLB entry for ipa, and put KServ's
 * context back: a stale entry tagged vmid. */
static void stale_entry(unsigned cpu, uint16_t vmid, uint64_t root, uint64_t ipa)
{
	sim_set_cpu(cpu);
	arch_set_stage2(vmid, pa_init(root));
	CHECK(sim_tlb_spec_fill(cpu, ipa));
	arch_set_stage2(0, pa_init(e2e_kserv_root()));
}

TEST(vm_reach_through_reused_vmid)
{
	struct violation v;

	e2e_up();
	unsigned a = e2e_boot_vm(TINY, GFN, e2e_pfn(0), 1);
	unsigned b = e2e_boot_vm(TINY, GFN, e2e_pfn(1), 1);
	/* An entry for A's page, tagged with B's VMID: B reaches A's page. */
	stale_entry(2, vm_view(b).vmid, vm_view(a).npt_root, GFN << PAGE_SHIFT);
	expect(V_VM_REACH, &v);
	CHECK_EQ(v.vm, b);
	CHECK_EQ(v.page, e2e_pfn(0));
}

/* KCore as it is, except that VM shared_vm reports VM 1's VMID: two live
 * VMs holding one VMID, as a VMID allocator that hands one out twice
 * would leave them. */
static unsigned shared_vm;

static bool view_vm_shared_vmid(unsigned vm, struct kcore_vm_view *out)
{
	struct kcore_vm_view first;

	if (!target_kcore.view_vm(vm, out))
		return false;
	if (vm == shared_vm && target_kcore.view_vm(1, &first))
		out->vmid = first.vmid;
	return true;
}

TEST(vm_reach_through_shared_vmid)
{
	struct violation v;
	struct hyp_target shared = target_kcore;

	e2e_up();
	unsigned a = e2e_boot_vm(TINY, GFN, e2e_pfn(0), 1);
	unsigned b = e2e_boot_vm(TINY, GFN, e2e_pfn(1), 1);
	CHECK_EQ(a, 1u);
	shared_vm = b;
	shared.view_vm = view_vm_shared_vmid;
	shared.view_vm_brief = NULL; /* the briefs come from view_vm then */
	e2e_oracle.target = &shared;
	/* A's own entry, under A's VMID: fine for A, but B runs with that
	 * VMID too and would hit it. */
	stale_entry(2, vm_view(a).vmid, vm_view(a).npt_root, GFN << PAGE_SHIFT);
	expect(V_VM_REACH, &v);
	CHECK_EQ(v.vm, b);
	CHECK_EQ(v.page, e2e_pfn(0));
	e2e_oracle.target = &target_kcore;
	/* With distinct VMIDs the same entry is A's alone. */
	expect_silent();
}

TEST(vm_reach_near_miss_dead_vmid)
{
	e2e_up();
	unsigned a = e2e_boot_vm(TINY, GFN, e2e_pfn(0), 1);
	unsigned b = e2e_boot_vm(TINY, GFN, e2e_pfn(1), 1);
	uint16_t unused = (uint16_t)(vm_view(a).vmid + vm_view(b).vmid + 100);
	/* The same entry under a VMID no live VM holds harms nobody yet. */
	stale_entry(2, unused, vm_view(a).npt_root, GFN << PAGE_SHIFT);
	expect_silent();
}

/* --- DMA ------------------------------------------------------------------ */

/* KServ's unit 0 maps iova 0x10000 to a KServ page; a VM owns e2e_pfn(0). */
static uint64_t dma_setup(void)
{
	struct kcore_smmu_view u;

	e2e_up();
	e2e_boot_vm(TINY, GFN, e2e_pfn(0), 1);
	CHECK_EQ(e2e_hvc(0, HVC_SMMU_ALLOC, 0, 0, 0), KCORE_OK);
	CHECK_EQ(e2e_hvc(0, HVC_SMMU_MAP, 0, 0x10000, e2e_pfn(30)), KCORE_OK);
	CHECK(target_kcore.view_smmu(0, &u));
	return u.root;
}

TEST(dma_reach_fires)
{
	struct violation v;
	uint64_t root = dma_setup();

	e2e_oracle.checks = MODEL_CHECK_ALL & ~MODEL_CHECK_STATE;
	e2e_poke_leaf(root, 0x11000, leaf(e2e_pfn(0)));
	expect(V_DMA_REACH, &v);
	CHECK_EQ(v.page, e2e_pfn(0));
	CHECK_EQ(v.vm, 0); /* the unit's owner */
}

TEST(dma_reach_near_miss)
{
	uint64_t root = dma_setup();

	e2e_oracle.checks = MODEL_CHECK_ALL & ~MODEL_CHECK_STATE;
	/* A second iova for the page the unit may reach already. */
	e2e_poke_leaf(root, 0x11000, leaf_as(e2e_pfn(30), KCORE_S2_SMMU));
	expect_silent();
}

TEST(checks_switch_off_independently)
{
	struct violation v;
	uint64_t root = dma_setup();

	e2e_poke_leaf(root, 0x11000, leaf_as(e2e_pfn(0), KCORE_S2_SMMU));
	/* Both checks see the leaf; isolation's verdict is the more specific. */
	expect(V_DMA_REACH, &v);
	e2e_oracle.checks = MODEL_CHECK_ALL & ~MODEL_CHECK_ISOLATION;
	expect(V_STATE_MISMATCH, &v);
	CHECK(strstr(v.detail, "SMMU 0 iova page 0x11") != NULL);
	e2e_oracle.checks = MODEL_CHECK_ALL & ~MODEL_CHECK_STATE;
	expect(V_DMA_REACH, &v);
	e2e_oracle.checks = MODEL_CHECK_RET;
	expect_silent();
}

/* --- KCore's own pages ---------------------------------------------------- */

TEST(table_reach_fires)
{
	struct violation v;

	e2e_up();
	uint64_t last = e2e_boot()->kcore_base_pfn + e2e_boot()->kcore_pages - 1;
	CHECK_EQ(e2e_fault(0, e2e_pfn(40) << PAGE_SHIFT), KCORE_OK);
	/* KServ's leaf for its own page, pointed at KCore's last page. */
	e2e_poke_leaf(e2e_kserv_root(), e2e_pfn(40) << PAGE_SHIFT, leaf(last));
	expect(V_TABLE_REACH, &v);
	CHECK_EQ(v.page, last);
}

TEST(table_reach_near_miss)
{
	e2e_up();
	uint64_t first_after = e2e_boot()->kcore_base_pfn + e2e_boot()->kcore_pages;
	CHECK_EQ(e2e_fault(0, e2e_pfn(40) << PAGE_SHIFT), KCORE_OK);
	/* The first page past KCore's region is KServ's to reach (at another
	 * address, which refinement alone objects to). */
	e2e_oracle.checks = MODEL_CHECK_ALL & ~MODEL_CHECK_STATE;
	e2e_poke_leaf(e2e_kserv_root(), e2e_pfn(40) << PAGE_SHIFT, leaf(first_after));
	expect_silent();
}

static const struct test_case cases[] = {
	CASE(ret_mismatch_fires),
	CASE(ret_mismatch_near_miss),
	CASE(state_mismatch_on_extra_leaf),
	CASE(state_mismatch_near_miss),
	CASE(kserv_reach_fires),
	CASE(kserv_reach_near_miss),
	CASE(kserv_reach_through_block),
	CASE(kserv_reach_through_loaded_vm_context),
	CASE(vm_reach_through_stale_tlb),
	CASE(vm_reach_through_reused_vmid),
	CASE(vm_reach_through_shared_vmid),
	CASE(vm_reach_near_miss_dead_vmid),
	CASE(dma_reach_fires),
	CASE(dma_reach_near_miss),
	CASE(checks_switch_off_independently),
	CASE(table_reach_fires),
	CASE(table_reach_near_miss),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
