/* The stage-2 attribute contract (kcore.h, KCORE_S2_*): each field a leaf
 * can get wrong gives a named violation on a known-bad history, made by
 * rewriting one of KCore's leaves behind its back, and the contract's own
 * descriptor at the same place stays silent. */
#include "check.h"
#include "e2e_fixture.h"
#include "hyp/addr.h"
#include "hyp/s2desc.h"
#include "hyp_target.h"
#include "sim/machine.h"

#define GFN 0x80ull
#define MMIO_GFN 0x90ull
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

/* A verified VM with MMIO page 0 ioremapped at MMIO_GFN. */
static unsigned vm_with_mmio(void)
{
	e2e_up();
	unsigned vm = e2e_boot_vm(TINY, GFN, e2e_pfn(0), 1);
	CHECK_EQ(e2e_hvc(0, HVC_IOREMAP, vm, MMIO_GFN << PAGE_SHIFT, e2e_mmio_pa(0)), KCORE_OK);
	return vm;
}

TEST(exec_device_mapping_fires)
{
	struct violation v;
	unsigned vm = vm_with_mmio();

	e2e_poke_leaf(e2e_vm_root(vm), MMIO_GFN << PAGE_SHIFT, e2e_mmio_pa(0) | (KCORE_S2_VM_MMIO & ~S2_XN));
	expect(V_VM_REACH, &v);
	CHECK_EQ(v.page, e2e_mmio_pa(0) >> PAGE_SHIFT);
	CHECK(strstr(v.detail, "can execute") != NULL);
}

TEST(exec_device_mapping_near_miss)
{
	unsigned vm = vm_with_mmio();

	e2e_poke_leaf(e2e_vm_root(vm), MMIO_GFN << PAGE_SHIFT, e2e_mmio_pa(0) | KCORE_S2_VM_MMIO);
	expect_silent();
}

TEST(device_type_ram_fires)
{
	struct violation v;

	e2e_up();
	unsigned vm = e2e_boot_vm(TINY, GFN, e2e_pfn(0), 1);
	/* The image page as Device memory: no more reach, another type. */
	e2e_poke_leaf(e2e_vm_root(vm), GFN << PAGE_SHIFT, (e2e_pfn(0) << PAGE_SHIFT) | S2_PAGE_DEVICE_RW);
	expect(V_MEM_TYPE, &v);
	CHECK_EQ(v.page, e2e_pfn(0));
	CHECK_EQ(v.vm, vm);
	CHECK(strstr(v.detail, "RAM") != NULL);
}

TEST(noncacheable_ram_fires)
{
	struct violation v;

	e2e_up();
	unsigned vm = e2e_boot_vm(TINY, GFN, e2e_pfn(0), 1);
	uint64_t nc = (KCORE_S2_VM_IMAGE & ~S2_MEMATTR_MASK) | S2_MEMATTR_NORMAL_NC;
	e2e_poke_leaf(e2e_vm_root(vm), GFN << PAGE_SHIFT, (e2e_pfn(0) << PAGE_SHIFT) | nc);
	expect(V_MEM_TYPE, &v);
}

TEST(device_type_ram_near_miss)
{
	e2e_up();
	unsigned vm = e2e_boot_vm(TINY, GFN, e2e_pfn(0), 1);
	e2e_poke_leaf(e2e_vm_root(vm), GFN << PAGE_SHIFT, (e2e_pfn(0) << PAGE_SHIFT) | KCORE_S2_VM_IMAGE);
	expect_silent();
}

/* A VM page granted to KServ and faulted into KServ's stage-2. */
static void kserv_maps_granted_page(void)
{
	e2e_up();
	unsigned vm = e2e_boot_vm(TINY, GFN, e2e_pfn(0), 1);
	CHECK_EQ(e2e_hvc(1, HVC_VCPU_RUN, vm, 0, 0), KCORE_OK);
	CHECK_EQ(e2e_ghvc(1, GHVC_GRANT, GFN), 1);
	CHECK_EQ(e2e_fault(0, e2e_pfn(0) << PAGE_SHIFT), KCORE_OK);
}

TEST(kserv_exec_vm_page_fires)
{
	struct violation v;

	kserv_maps_granted_page();
	e2e_poke_leaf(e2e_kserv_root(), e2e_pfn(0) << PAGE_SHIFT, (e2e_pfn(0) << PAGE_SHIFT) | S2_PAGE_NORMAL_RW);
	expect(V_KSERV_REACH, &v);
	CHECK_EQ(v.page, e2e_pfn(0));
	CHECK(strstr(v.detail, "KServ can execute") != NULL);
}

TEST(kserv_exec_vm_page_near_miss)
{
	/* KCore's own fault handling maps the granted page as the contract says. */
	kserv_maps_granted_page();
	expect_silent();
}

TEST(kserv_mmio_normal_fires)
{
	struct violation v;

	e2e_up();
	CHECK_EQ(e2e_fault(0, e2e_mmio_pa(1)), KCORE_OK);
	e2e_poke_leaf(e2e_kserv_root(), e2e_mmio_pa(1), e2e_mmio_pa(1) | KCORE_S2_KSERV_SHARED);
	expect(V_MEM_TYPE, &v);
	CHECK_EQ(v.page, e2e_mmio_pa(1) >> PAGE_SHIFT);
	CHECK(strstr(v.detail, "MMIO") != NULL);
}

TEST(kserv_mmio_normal_near_miss)
{
	e2e_up();
	CHECK_EQ(e2e_fault(0, e2e_mmio_pa(1)), KCORE_OK);
	e2e_poke_leaf(e2e_kserv_root(), e2e_mmio_pa(1), e2e_mmio_pa(1) | KCORE_S2_KSERV_MMIO);
	expect_silent();
}

/* Less than the contract gives is no reach, but KServ's stage-2 is part of
 * the abstract state: refinement sees it. */
TEST(kserv_own_page_attrs_refined)
{
	struct violation v;

	e2e_up();
	CHECK_EQ(e2e_fault(0, e2e_pfn(5) << PAGE_SHIFT), KCORE_OK);
	e2e_poke_leaf(e2e_kserv_root(), e2e_pfn(5) << PAGE_SHIFT, (e2e_pfn(5) << PAGE_SHIFT) | S2_PAGE_NORMAL_RW_XN);
	expect(V_STATE_MISMATCH, &v);
	CHECK(strstr(v.detail, "KServ's stage-2") != NULL);
	e2e_oracle.checks = MODEL_CHECK_ALL & ~MODEL_CHECK_STATE;
	expect_silent();
}

TEST(smmu_exec_mapping_fires)
{
	struct violation v;

	e2e_up();
	CHECK_EQ(e2e_hvc(0, HVC_SMMU_ALLOC, 0, 0, 0), KCORE_OK);
	CHECK_EQ(e2e_hvc(0, HVC_SMMU_MAP, 0, 0x10000, e2e_pfn(30)), KCORE_OK);
	struct kcore_smmu_view u;
	CHECK(target_kcore.view_smmu(0, &u));
	e2e_poke_leaf(u.root, 0x10000, (e2e_pfn(30) << PAGE_SHIFT) | S2_PAGE_NORMAL_RW);
	expect(V_DMA_REACH, &v);
	CHECK(strstr(v.detail, "can execute") != NULL);
}

/* A VM's level-3 table moved into a page KServ owns: KServ could rewrite
 * it, whoever reaches it now. */
TEST(table_frame_in_kserv_page_fires)
{
	struct violation v;
	uint64_t table[S2_ENTRIES];

	e2e_up();
	unsigned vm = e2e_boot_vm(TINY, GFN, e2e_pfn(0), 1);
	uint64_t root = e2e_vm_root(vm), ipa = GFN << PAGE_SHIFT;
	uint64_t l2 = e2e_table_of(root, ipa, 2), l3 = e2e_table_of(root, ipa, 3), copy = e2e_pfn(50) << PAGE_SHIFT;
	sim_coherent_read_page(l3, table);
	for (unsigned i = 0; i < S2_ENTRIES; i++)
		sim_coherent_write64(copy + 8ull * i, table[i]);
	uint64_t link = sim_coherent_read64(l2 + 8ull * s2_index(ipa, 2));
	sim_coherent_write64(l2 + 8ull * s2_index(ipa, 2), (link & ~S2_OA_MASK) | copy);
	expect(V_TABLE_REACH, &v);
	CHECK_EQ(v.page, e2e_pfn(50));
	CHECK(strstr(v.detail, "table") != NULL);
}

TEST(table_frame_copy_unlinked_near_miss)
{
	uint64_t table[S2_ENTRIES];

	e2e_up();
	unsigned vm = e2e_boot_vm(TINY, GFN, e2e_pfn(0), 1);
	uint64_t l3 = e2e_table_of(e2e_vm_root(vm), GFN << PAGE_SHIFT, 3), copy = e2e_pfn(50) << PAGE_SHIFT;
	sim_coherent_read_page(l3, table);
	for (unsigned i = 0; i < S2_ENTRIES; i++)
		sim_coherent_write64(copy + 8ull * i, table[i]);
	expect_silent();
}

static const struct test_case cases[] = {
	CASE(exec_device_mapping_fires),
	CASE(exec_device_mapping_near_miss),
	CASE(device_type_ram_fires),
	CASE(noncacheable_ram_fires),
	CASE(device_type_ram_near_miss),
	CASE(kserv_exec_vm_page_fires),
	CASE(kserv_exec_vm_page_near_miss),
	CASE(kserv_mmio_normal_fires),
	CASE(kserv_mmio_normal_near_miss),
	CASE(kserv_own_page_attrs_refined),
	CASE(smmu_exec_mapping_fires),
	CASE(table_frame_in_kserv_page_fires),
	CASE(table_frame_copy_unlinked_near_miss),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
