/* ioremap: device memory into a VM. */
#include "helpers.h"

#define GFN 0x400ull

TEST(ioremap_maps_device_memory)
{
	kt_up();
	unsigned vm = kt_boot_vm(kt_image("tiny"), KT_IMAGE_GFN, kt_data_pfn(0), 1);
	uint64_t pa = (kt_mmio_pfn() + 3) << PAGE_SHIFT, val;
	struct sim_walk w;

	CHECK_EQ(kt_hvc(HVC_IOREMAP, vm, GFN << PAGE_SHIFT, pa), 0);
	CHECK_EQ(sim_s2_walk(kt_vm(vm).npt_root, GFN << PAGE_SHIFT, &w), SIM_OK);
	CHECK_EQ(w.desc, pa | S2_PAGE_DEVICE_RW);
	kt_run(1, vm, 0);
	CHECK_EQ(kt_cpu_access((GFN << PAGE_SHIFT) + 8, 0, &val), SIM_OK);
	CHECK_EQ(val, sim_mem_read64(pa + 8));
	/* Device pages have no owner to track: nothing in RAM changed hands. */
	CHECK_EQ(kt_vm(vm).pool_used, 4);
}

TEST(ioremap_checks)
{
	kt_up();
	unsigned vm = kt_boot_vm(kt_image("tiny"), KT_IMAGE_GFN, kt_data_pfn(0), 1);
	unsigned ready = (unsigned)kt_hvc(HVC_REGISTER_VM, 0, 0, 0);
	uint64_t pa = kt_mmio_pfn() << PAGE_SHIFT, gpa = GFN << PAGE_SHIFT;
	uint64_t mmio_end = pa + sim_cfg()->mmio_bytes;

	CHECK_REJECTS(kt_hvc(HVC_IOREMAP, 0, gpa, pa), KCORE_E_VM);
	CHECK_REJECTS(kt_hvc(HVC_IOREMAP, ready + 1, gpa, pa), KCORE_E_VM);
	CHECK_REJECTS(kt_hvc(HVC_IOREMAP, ready, gpa, pa), KCORE_E_VM_STATE);
	CHECK_REJECTS(kt_hvc(HVC_IOREMAP, vm, gpa + 4, pa), KCORE_E_GFN);
	CHECK_REJECTS(kt_hvc(HVC_IOREMAP, vm, (S2_MAX_GFN + 1) << PAGE_SHIFT, pa), KCORE_E_GFN);
	CHECK_REJECTS(kt_hvc(HVC_IOREMAP, vm, gpa, pa + 4), KCORE_E_NOT_MMIO);
	CHECK_REJECTS(kt_hvc(HVC_IOREMAP, vm, gpa, pa - PAGE_SIZE), KCORE_E_NOT_MMIO);
	CHECK_REJECTS(kt_hvc(HVC_IOREMAP, vm, gpa, mmio_end), KCORE_E_NOT_MMIO);
	CHECK_REJECTS(kt_hvc(HVC_IOREMAP, vm, gpa, kt_data_pfn(9) << PAGE_SHIFT), KCORE_E_NOT_MMIO);
	CHECK_REJECTS(kt_hvc(HVC_IOREMAP, vm, KT_IMAGE_GFN << PAGE_SHIFT, pa), KCORE_E_MAPPED);
	CHECK_EQ(kt_hvc(HVC_IOREMAP, vm, gpa, mmio_end - PAGE_SIZE), 0);
	CHECK_REJECTS(kt_hvc(HVC_IOREMAP, vm, gpa, pa), KCORE_E_MAPPED);
	/* Fill the VM's pool, then one more 2 MiB region is refused. */
	unsigned n = 0;
	while (kt_vm(vm).pool_used < KCORE_VM_POOL_PAGES) {
		n++;
		CHECK_EQ(kt_hvc(HVC_IOREMAP, vm, gpa + n * (2ull << 20), pa), 0);
	}
	CHECK_REJECTS(kt_hvc(HVC_IOREMAP, vm, gpa + (n + 1) * (2ull << 20), pa), KCORE_E_NOMEM);
}

static const struct test_case cases[] = {
	CASE(ioremap_maps_device_memory),
	CASE(ioremap_checks),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
