/* KCore and the reference model agree, step by step: return codes equal,
 * abstraction of KCore's state equal to the model's, nothing reachable
 * beyond what the model allows, after every operation. */
#include "check.h"
#include "e2e_fixture.h"
#include "guest_image.h"
#include "hyp/addr.h"
#include "kserv.h"
#include "model/s2/s2scan.h"
#include "sim/machine.h"

#define GFN 0x80ull
#define E(e) (-(int64_t)(e))

static unsigned image(const char *name)
{
	for (unsigned i = 0; i < guest_image_count(); i++)
		if (strcmp(guest_image_name(i), name) == 0)
			return i;
	CHECK_FAIL_("no guest image %s", name);
}

TEST(benign_vm_lifecycle)
{
	e2e_up();
	unsigned vm = e2e_boot_vm(image("small"), GFN, e2e_pfn(0), 2);
	uint64_t data = e2e_pfn(10), shared_pa;

	CHECK_EQ(e2e_hvc(1, HVC_VCPU_RUN, vm, 0, 0), KCORE_OK);
	/* KServ offers a page it has touched: map_vm_page must take it away. */
	CHECK_EQ(e2e_fault(0, data << PAGE_SHIFT), KCORE_OK);
	CHECK_EQ(e2e_hvc(0, HVC_MAP_VM_PAGE, vm, 0x200, data), KCORE_OK);
	CHECK_EQ(e2e_hvc(0, HVC_MAP_VM_PAGE, vm, 0x40000, e2e_pfn(11)), KCORE_OK);
	CHECK_EQ(e2e_hvc(0, HVC_IOREMAP, vm, 0x9000000, e2e_mmio_pa(0)), KCORE_OK);
	/* The guest shares a page for I/O; KServ maps and uses it. */
	CHECK_EQ(e2e_ghvc(1, GHVC_GRANT, 0x200), 1);
	CHECK_EQ(e2e_ghvc(1, GHVC_GRANT, 0x200), 2);
	shared_pa = data << PAGE_SHIFT;
	CHECK_EQ(e2e_fault(0, shared_pa), KCORE_OK);
	sim_set_cpu(0);
	CHECK_EQ(kserv_write64(shared_pa, 0x1234), 0);
	CHECK_EQ(e2e_ghvc(1, GHVC_REVOKE, 0x200), 1);
	CHECK_EQ(e2e_ghvc(1, GHVC_REVOKE, 0x200), 0);
	/* DMA for KServ and for the VM. */
	CHECK_EQ(e2e_hvc(0, HVC_SMMU_ALLOC, 0, 0, 0), KCORE_OK);
	CHECK_EQ(e2e_hvc(0, HVC_SMMU_MAP, 0, 0x10000, e2e_pfn(20)), KCORE_OK);
	CHECK_EQ(e2e_hvc(0, HVC_SMMU_IOVA_TO_PHYS, 0, 0x10abc, 0), (e2e_pfn(20) << PAGE_SHIFT) | 0xabc);
	CHECK_EQ(e2e_hvc(0, HVC_SMMU_ALLOC, 1, vm, 0), KCORE_OK);
	CHECK_EQ(e2e_hvc(0, HVC_SMMU_MAP, 1, 0x20000, data), KCORE_OK);
	CHECK_EQ(e2e_hvc(0, HVC_SMMU_UNMAP, 0, 0x10000, 0), KCORE_OK);
	CHECK_EQ(e2e_hvc(0, HVC_SMMU_FREE, 0, 0, 0), KCORE_OK);
	/* Exit, run again on another CPU, power off and reclaim. */
	CHECK_EQ(e2e_ghvc(1, GHVC_EXIT, 0), KCORE_OK);
	CHECK_EQ(e2e_hvc(2, HVC_VCPU_RUN, vm, 1, 0), KCORE_OK);
	CHECK_EQ(e2e_hvc(3, HVC_VCPU_RUN, vm, 0, 0), KCORE_OK);
	CHECK_EQ(e2e_ghvc(2, GHVC_POWER_OFF, 0), KCORE_OK);
	CHECK_EQ(e2e_hvc(0, HVC_CLEAR_VM, vm, 0, 0), E(KCORE_E_VCPU_STATE));
	CHECK_EQ(e2e_ghvc(3, GHVC_EXIT, 0), KCORE_OK);
	CHECK_EQ(e2e_hvc(0, HVC_CLEAR_VM, vm, 0, 0), KCORE_OK);
	/* The pages are KServ's again and the slot is reused. */
	CHECK_EQ(e2e_fault(0, data << PAGE_SHIFT), KCORE_OK);
	CHECK_EQ(e2e_hvc(0, HVC_REGISTER_VM, 0, 0, 0), vm);
}

TEST(rejections_agree)
{
	e2e_up();
	unsigned vm = e2e_boot_vm(image("tiny"), GFN, e2e_pfn(0), 1);
	uint64_t ram_end = e2e_boot()->ram_base_pfn + e2e_boot()->ram_pages;

	CHECK_EQ(e2e_hvc(0, 0, 0, 0, 0), E(KCORE_E_OP));
	CHECK_EQ(e2e_hvc(0, HVC_REGISTER_VCPU, 7, 0, 0), E(KCORE_E_VM));
	CHECK_EQ(e2e_hvc(0, HVC_REGISTER_VCPU, vm, 0, 0), E(KCORE_E_VM_STATE));
	unsigned ready = (unsigned)e2e_hvc(0, HVC_REGISTER_VM, 0, 0, 0);
	CHECK_EQ(e2e_hvc(0, HVC_REGISTER_VCPU, ready, 4, 0), E(KCORE_E_VCPU));
	CHECK_EQ(e2e_hvc(0, HVC_REGISTER_VCPU, ready, 0, 0), KCORE_OK);
	CHECK_EQ(e2e_hvc(0, HVC_REGISTER_VCPU, ready, 0, 0), E(KCORE_E_VCPU_STATE));
	CHECK_EQ(e2e_hvc(0, HVC_SET_BOOT_INFO, ready, 0x1001, 1), E(KCORE_E_BOOT_INFO));
	CHECK_EQ(e2e_hvc(0, HVC_SET_BOOT_INFO, ready, 0x1000, 2), KCORE_OK);
	CHECK_EQ(e2e_hvc(0, HVC_REMAP_VM_IMAGE, ready, ram_end, 0), E(KCORE_E_PFN));
	CHECK_EQ(e2e_hvc(0, HVC_REMAP_VM_IMAGE, ready, e2e_pfn(0), 0), E(KCORE_E_OWNER));
	CHECK_EQ(e2e_hvc(0, HVC_VERIFY_VM_IMAGE, ready, 0, 0), E(KCORE_E_BOOT_INFO));
	CHECK_EQ(e2e_hvc(0, HVC_VCPU_RUN, ready, 0, 0), E(KCORE_E_VM_STATE));
	CHECK_EQ(e2e_hvc(1, HVC_VCPU_RUN, vm, 0, 0), KCORE_OK);
	CHECK_EQ(e2e_hvc(1, HVC_VCPU_RUN, vm, 0, 0), E(KCORE_E_VCPU_STATE));
	CHECK_EQ(e2e_hvc(0, HVC_MAP_VM_PAGE, vm, S2_MAX_GFN + 1, e2e_pfn(1)), E(KCORE_E_GFN));
	CHECK_EQ(e2e_hvc(0, HVC_MAP_VM_PAGE, vm, GFN, e2e_pfn(1)), E(KCORE_E_MAPPED));
	CHECK_EQ(e2e_hvc(0, HVC_SMMU_ALLOC, 0, 0, 0), KCORE_OK);
	CHECK_EQ(e2e_hvc(0, HVC_SMMU_MAP, 0, 0x3000, e2e_pfn(1)), KCORE_OK);
	CHECK_EQ(e2e_hvc(0, HVC_MAP_VM_PAGE, vm, 1, e2e_pfn(1)), E(KCORE_E_DMA));
	CHECK_EQ(e2e_hvc(0, HVC_SMMU_MAP, 0, 0x3000, e2e_pfn(2)), E(KCORE_E_MAPPED));
	CHECK_EQ(e2e_hvc(0, HVC_SMMU_MAP, 0, 0x3008, e2e_pfn(2)), E(KCORE_E_IOVA));
	CHECK_EQ(e2e_hvc(0, HVC_SMMU_MAP, 0, 0x4000, e2e_pfn(0)), E(KCORE_E_OWNER));
	CHECK_EQ(e2e_hvc(0, HVC_SMMU_UNMAP, 0, 0x5000, 0), E(KCORE_E_UNMAPPED));
	CHECK_EQ(e2e_hvc(0, HVC_SMMU_ALLOC, 0, 0, 0), E(KCORE_E_UNIT_STATE));
	CHECK_EQ(e2e_hvc(0, HVC_SMMU_ALLOC, 9, 0, 0), E(KCORE_E_UNIT));
	CHECK_EQ(e2e_hvc(0, HVC_IOREMAP, vm, 0x7000, e2e_pfn(3) << PAGE_SHIFT), E(KCORE_E_NOT_MMIO));
	CHECK_EQ(e2e_ghvc(0, GHVC_GRANT, GFN), E(KCORE_E_CPU_STATE));
	CHECK_EQ(e2e_ghvc(1, GHVC_GRANT, GFN + 1), E(KCORE_E_UNMAPPED));
	CHECK_EQ(e2e_ghvc(1, GHVC_REVOKE, GFN), E(KCORE_E_NOT_SHARED));
	for (int64_t n = 1; n <= KCORE_MAX_SHARE; n++)
		CHECK_EQ(e2e_ghvc(1, GHVC_GRANT, GFN), n);
	CHECK_EQ(e2e_ghvc(1, GHVC_GRANT, GFN), E(KCORE_E_SHARE_LIMIT));
	CHECK_EQ(e2e_fault(1, e2e_pfn(5) << PAGE_SHIFT), E(KCORE_E_CPU_STATE));
	CHECK_EQ(e2e_fault(0, 0x1000), E(KCORE_E_PFN));
	CHECK_EQ(e2e_fault(0, e2e_boot()->kcore_base_pfn << PAGE_SHIFT), E(KCORE_E_OWNER));
	CHECK_EQ(e2e_hvc(0, HVC_CLEAR_VM, vm, 0, 0), E(KCORE_E_VM_STATE));
}

TEST(every_guest_image_verifies)
{
	e2e_up();
	for (unsigned img = 0; img < guest_image_count(); img++)
		CHECK(e2e_boot_vm(img, GFN, e2e_pfn(16 * img), 1) == img + 1);
}

TEST(wrong_image_fails_alike)
{
	e2e_up();
	unsigned img = image("small");
	int64_t vm = e2e_hvc(0, HVC_REGISTER_VM, 0, 0, 0);

	CHECK_EQ(e2e_hvc(0, HVC_SET_BOOT_INFO, vm, GFN << PAGE_SHIFT, 2), KCORE_OK);
	for (unsigned i = 0; i < 2; i++) {
		/* The pages in the wrong order. */
		CHECK_EQ(e2e_fault(0, e2e_pfn(i) << PAGE_SHIFT), KCORE_OK);
		sim_set_cpu(0);
		CHECK_EQ(kserv_load_image(img, 1 - i, e2e_pfn(i)), 0);
		CHECK_EQ(e2e_hvc(0, HVC_REMAP_VM_IMAGE, vm, e2e_pfn(i), i), KCORE_OK);
	}
	CHECK_EQ(e2e_hvc(0, HVC_VERIFY_VM_IMAGE, vm, 0, 0), E(KCORE_E_VERIFY));
	CHECK_EQ(e2e_hvc(0, HVC_CLEAR_VM, vm, 0, 0), KCORE_OK);
}

TEST(pools_run_out_alike)
{
	e2e_up();
	unsigned vm = e2e_boot_vm(image("tiny"), GFN, e2e_pfn(0), 1);
	unsigned next = 1;
	int64_t ret;

	/* Fresh level-3 tables until the VM's pool is out, then a gfn under an
	 * existing table still maps. */
	for (uint64_t i = 1; (ret = e2e_hvc(0, HVC_MAP_VM_PAGE, vm, GFN + i * 512, e2e_pfn(next))) == KCORE_OK; i++)
		next++;
	CHECK_EQ(ret, E(KCORE_E_NOMEM));
	CHECK_EQ(e2e_hvc(0, HVC_MAP_VM_PAGE, vm, GFN + 1, e2e_pfn(next)), KCORE_OK);
	CHECK_EQ(e2e_hvc(0, HVC_SMMU_ALLOC, 2, 0, 0), KCORE_OK);
	for (uint64_t i = 0; (ret = e2e_hvc(0, HVC_SMMU_MAP, 2, (i * 512) << PAGE_SHIFT, e2e_pfn(100))) == KCORE_OK; i++)
		;
	CHECK_EQ(ret, E(KCORE_E_NOMEM));
}

TEST(vm_slots_run_out_alike)
{
	e2e_up();
	for (unsigned vm = 1; vm <= KCORE_MAX_VMS; vm++)
		CHECK_EQ(e2e_hvc(vm % 4, HVC_REGISTER_VM, 0, 0, 0), vm);
	CHECK_EQ(e2e_hvc(0, HVC_REGISTER_VM, 0, 0, 0), E(KCORE_E_VM_LIMIT));
}

struct scan_count {
	uint64_t root;
	unsigned leaves;
};

/* Each leaf the scan reports is what the machine's walker finds there. */
static bool leaf_matches_walker(void *ctx, const struct s2_leaf *leaf)
{
	struct scan_count *c = ctx;
	struct sim_walk w;
	uint64_t probe = leaf->ipa + leaf->size - PAGE_SIZE;

	CHECK_EQ(sim_s2_walk(c->root, probe, &w), SIM_OK);
	CHECK_EQ(w.desc, leaf->desc);
	CHECK_EQ(w.level, leaf->level);
	CHECK_EQ(w.size, leaf->size);
	CHECK_EQ(w.pa, leaf->pa + leaf->size - PAGE_SIZE);
	c->leaves++;
	return true;
}

static unsigned scan_checked(uint64_t root)
{
	struct scan_count c = { .root = root };

	CHECK_EQ(s2_scan(root, S2_SCAN_TABLES_DEFAULT, leaf_matches_walker, &c), S2_SCAN_DONE);
	return c.leaves;
}

TEST(table_scan_matches_the_walker)
{
	struct kcore_vm_view view;
	struct kcore_region_view region;
	struct kcore_smmu_view unit;

	e2e_up();
	unsigned vm = e2e_boot_vm(image("boot4"), GFN, e2e_pfn(0), 1);
	CHECK_EQ(e2e_hvc(0, HVC_MAP_VM_PAGE, vm, 0x7ffffff, e2e_pfn(8)), KCORE_OK);
	CHECK_EQ(e2e_hvc(0, HVC_IOREMAP, vm, 0x3000, e2e_mmio_pa(9)), KCORE_OK);
	CHECK_EQ(e2e_hvc(0, HVC_SMMU_ALLOC, 3, 0, 0), KCORE_OK);
	CHECK_EQ(e2e_hvc(0, HVC_SMMU_MAP, 3, 0x5000, e2e_pfn(9)), KCORE_OK);
	CHECK_EQ(e2e_fault(0, e2e_pfn(10) << PAGE_SHIFT), KCORE_OK);
	CHECK(target_kcore.view_vm(vm, &view));
	target_kcore.view_region(&region);
	CHECK(target_kcore.view_smmu(3, &unit));
	CHECK_EQ(scan_checked(view.npt_root), 6);
	CHECK_EQ(scan_checked(unit.root), 1);
	CHECK(scan_checked(region.kserv_root) >= 1);
	/* A block, written by hand where nothing is mapped, scans as one leaf. */
	uint64_t l1 = view.npt_root + 8ull * s2_index(1ull << 30, 1);
	sim_coherent_write64(l1, (e2e_boot()->ram_base_pfn << PAGE_SHIFT) | (S2_PAGE_NORMAL_RW & ~S2_TYPE_TABLE));
	CHECK_EQ(scan_checked(view.npt_root), 7);
}

static const struct test_case cases[] = {
	CASE(benign_vm_lifecycle),
	CASE(rejections_agree),
	CASE(every_guest_image_verifies),
	CASE(wrong_image_fails_alike),
	CASE(pools_run_out_alike),
	CASE(vm_slots_run_out_alike),
	CASE(table_scan_matches_the_walker),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
