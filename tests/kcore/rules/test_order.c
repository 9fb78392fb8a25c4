/* The order of checks: a call that fails several checks gets the error of
 * the first one hyp/kcore.h lists. */
#include "helpers.h"

#define GFN 0x300ull

TEST(order_vm_and_boot_checks)
{
	kt_up();
	unsigned vm = kt_boot_vm(kt_image("tiny"), KT_IMAGE_GFN, kt_data_pfn(0), 1);
	unsigned ready = (unsigned)kt_hvc(HVC_REGISTER_VM, 0, 0, 0);
	uint64_t ram = kt_data_pfn(10), bad_pfn = kt_ram_pfn() - 1;

	/* register_vcpu: state before vCPU index. */
	CHECK_REJECTS(kt_hvc(HVC_REGISTER_VCPU, vm, KCORE_MAX_VCPUS, 0), KCORE_E_VM_STATE);
	/* set_boot_info: state before arguments; "set twice" before arguments. */
	CHECK_REJECTS(kt_hvc(HVC_SET_BOOT_INFO, vm, 1, 0), KCORE_E_VM_STATE);
	/* remap: boot info before pfn, pfn before owner. */
	CHECK_REJECTS(kt_hvc(HVC_REMAP_VM_IMAGE, ready, bad_pfn, 0), KCORE_E_BOOT_INFO);
	CHECK_EQ(kt_hvc(HVC_SET_BOOT_INFO, ready, 0, 1), 0);
	CHECK_REJECTS(kt_hvc(HVC_REMAP_VM_IMAGE, ready, bad_pfn, 0), KCORE_E_PFN);
	CHECK_REJECTS(kt_hvc(HVC_REMAP_VM_IMAGE, ready, ram, 1), KCORE_E_BOOT_INFO);
	/* remap: owner before DMA (a VM page its own unit maps). */
	CHECK_EQ(kt_hvc(HVC_SMMU_ALLOC, 0, vm, 0), 0);
	CHECK_EQ(kt_hvc(HVC_SMMU_MAP, 0, 0, kt_data_pfn(0)), 0);
	CHECK_REJECTS(kt_hvc(HVC_REMAP_VM_IMAGE, ready, kt_data_pfn(0), 0), KCORE_E_OWNER);
	/* verify and clear: state before anything else. */
	CHECK_REJECTS(kt_hvc(HVC_VERIFY_VM_IMAGE, vm, 0, 0), KCORE_E_VM_STATE);
	CHECK_REJECTS(kt_hvc(HVC_CLEAR_VM, ready, 0, 0), KCORE_E_VM_STATE);
	/* vcpu_run: vCPU index, then vCPU state, then the CPU. */
	kt_run(1, vm, 0);
	CHECK_REJECTS(kt_hvc(HVC_VCPU_RUN, vm, KCORE_MAX_VCPUS, 0), KCORE_E_VCPU);
	CHECK_REJECTS(kt_hvc(HVC_VCPU_RUN, vm, 1, 0), KCORE_E_VCPU_STATE);
	CHECK_REJECTS(kt_hvc(HVC_VCPU_RUN, ready, 0, 0), KCORE_E_VM_STATE);
	CHECK_REJECTS(kt_hvc(HVC_VCPU_RUN, 0, KCORE_MAX_VCPUS, 0), KCORE_E_VM);
}

TEST(order_memory_checks)
{
	kt_up();
	unsigned vm = kt_boot_vm(kt_image("tiny"), KT_IMAGE_GFN, kt_data_pfn(0), 1);
	uint64_t bad_pfn = kt_ram_pfn() - 1, mmio = kt_mmio_pfn() << PAGE_SHIFT;

	/* map_vm_page: gfn, pfn, mapped, owner, DMA, pool. */
	CHECK_REJECTS(kt_hvc(HVC_MAP_VM_PAGE, vm, S2_MAX_GFN + 1, bad_pfn), KCORE_E_GFN);
	CHECK_REJECTS(kt_hvc(HVC_MAP_VM_PAGE, vm, KT_IMAGE_GFN, bad_pfn), KCORE_E_PFN);
	CHECK_REJECTS(kt_hvc(HVC_MAP_VM_PAGE, vm, KT_IMAGE_GFN, kt_ram_pfn()), KCORE_E_MAPPED);
	CHECK_EQ(kt_hvc(HVC_SMMU_ALLOC, 0, vm, 0), 0);
	CHECK_EQ(kt_hvc(HVC_SMMU_MAP, 0, 0, kt_data_pfn(0)), 0);
	CHECK_REJECTS(kt_hvc(HVC_MAP_VM_PAGE, vm, GFN, kt_data_pfn(0)), KCORE_E_OWNER);
	for (unsigned n = 1; kt_vm(vm).pool_used < KCORE_VM_POOL_PAGES; n++)
		CHECK_EQ(kt_hvc(HVC_MAP_VM_PAGE, vm, n * 0x200ull, kt_data_pfn(100 + n)), 0);
	CHECK_EQ(kt_hvc(HVC_SMMU_ALLOC, 1, 0, 0), 0);
	CHECK_EQ(kt_hvc(HVC_SMMU_MAP, 1, 0, kt_data_pfn(50)), 0);
	CHECK_REJECTS(kt_hvc(HVC_MAP_VM_PAGE, vm, 1ull << 20, kt_data_pfn(50)), KCORE_E_DMA);

	/* ioremap: gpa, then pa, then mapped, then pool. */
	CHECK_REJECTS(kt_hvc(HVC_IOREMAP, vm, 0x1001, kt_data_pfn(9) << PAGE_SHIFT), KCORE_E_GFN);
	CHECK_REJECTS(kt_hvc(HVC_IOREMAP, vm, KT_IMAGE_GFN << PAGE_SHIFT, mmio + 1), KCORE_E_NOT_MMIO);
	CHECK_REJECTS(kt_hvc(HVC_IOREMAP, vm, KT_IMAGE_GFN << PAGE_SHIFT, mmio), KCORE_E_MAPPED);

	/* grant and revoke: CPU, gfn, mapping. */
	CHECK_REJECTS(kt_ghvc(GHVC_GRANT, S2_MAX_GFN + 1), KCORE_E_CPU_STATE);
	kt_run(1, vm, 0);
	CHECK_REJECTS(kt_ghvc(GHVC_GRANT, S2_MAX_GFN + 1), KCORE_E_GFN);
	CHECK_REJECTS(kt_ghvc(GHVC_REVOKE, S2_MAX_GFN + 1), KCORE_E_GFN);
	/* KServ fault: CPU before address. */
	CHECK_REJECTS(kcore_kserv_fault(0), KCORE_E_CPU_STATE);
}

TEST(order_smmu_checks)
{
	kt_up();
	uint64_t bad_pfn = kt_ram_pfn() - 1;

	kt_boot_vm(kt_image("tiny"), KT_IMAGE_GFN, kt_data_pfn(0), 1);
	CHECK_REJECTS(kt_hvc(HVC_SMMU_ALLOC, KCORE_SMMU_UNITS, 99, 0), KCORE_E_UNIT);
	CHECK_REJECTS(kt_hvc(HVC_SMMU_MAP, 0, 0x1001, bad_pfn), KCORE_E_UNIT_STATE);
	CHECK_REJECTS(kt_hvc(HVC_SMMU_UNMAP, 0, 0x1001, 0), KCORE_E_UNIT_STATE);
	CHECK_REJECTS(kt_hvc(HVC_SMMU_IOVA_TO_PHYS, 0, UINT64_MAX, 0), KCORE_E_UNIT_STATE);
	CHECK_REJECTS(kt_hvc(HVC_SMMU_FREE, KCORE_SMMU_UNITS, 0, 0), KCORE_E_UNIT);
	CHECK_EQ(kt_hvc(HVC_SMMU_ALLOC, 0, 0, 0), 0);
	/* map: iova, pfn, mapped, owner, pool. */
	CHECK_REJECTS(kt_hvc(HVC_SMMU_MAP, 0, 0x1001, bad_pfn), KCORE_E_IOVA);
	CHECK_EQ(kt_hvc(HVC_SMMU_MAP, 0, 0x1000, kt_data_pfn(20)), 0);
	CHECK_REJECTS(kt_hvc(HVC_SMMU_MAP, 0, 0x1000, bad_pfn), KCORE_E_PFN);
	CHECK_REJECTS(kt_hvc(HVC_SMMU_MAP, 0, 0x1000, kt_data_pfn(0)), KCORE_E_MAPPED);
	for (unsigned n = 1; kt_smmu(0).pool_used < KCORE_SMMU_POOL_PAGES; n++)
		CHECK_EQ(kt_hvc(HVC_SMMU_MAP, 0, n * (2ull << 20), kt_data_pfn(20 + n)), 0);
	CHECK_REJECTS(kt_hvc(HVC_SMMU_MAP, 0, 1ull << 35, kt_data_pfn(0)), KCORE_E_OWNER);
	/* unmap: iova before mapping. */
	CHECK_REJECTS(kt_hvc(HVC_SMMU_UNMAP, 0, 0x5001, 0), KCORE_E_IOVA);
}

static const struct test_case cases[] = {
	CASE(order_vm_and_boot_checks),
	CASE(order_memory_checks),
	CASE(order_smmu_checks),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
