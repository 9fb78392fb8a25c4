/* Booting a VM: set_boot_info, remap_vm_image, verify_vm_image against the
 * built-in manifest of the real guest images. */
#include <stdlib.h>

#include "guest_image.h"
#include "helpers.h"

TEST(set_boot_info_checks)
{
	kt_up();
	unsigned booted = kt_boot_vm(kt_image("tiny"), KT_IMAGE_GFN, kt_data_pfn(0), 1);
	unsigned vm = (unsigned)kt_hvc(HVC_REGISTER_VM, 0, 0, 0);
	uint64_t last_gpa = S2_MAX_GFN << PAGE_SHIFT;

	CHECK_REJECTS(kt_hvc(HVC_SET_BOOT_INFO, 0, 0, 1), KCORE_E_VM);
	CHECK_REJECTS(kt_hvc(HVC_SET_BOOT_INFO, vm + 1, 0, 1), KCORE_E_VM);
	CHECK_REJECTS(kt_hvc(HVC_SET_BOOT_INFO, booted, 0, 1), KCORE_E_VM_STATE);
	CHECK_REJECTS(kt_hvc(HVC_SET_BOOT_INFO, vm, 0x1008, 1), KCORE_E_BOOT_INFO);
	CHECK_REJECTS(kt_hvc(HVC_SET_BOOT_INFO, vm, 0x1000, 0), KCORE_E_BOOT_INFO);
	CHECK_REJECTS(kt_hvc(HVC_SET_BOOT_INFO, vm, 0x1000, KCORE_MAX_IMAGE_PAGES + 1), KCORE_E_BOOT_INFO);
	CHECK_REJECTS(kt_hvc(HVC_SET_BOOT_INFO, vm, 0x1000, UINT64_MAX), KCORE_E_BOOT_INFO);
	CHECK_REJECTS(kt_hvc(HVC_SET_BOOT_INFO, vm, last_gpa, 2), KCORE_E_BOOT_INFO);
	CHECK_REJECTS(kt_hvc(HVC_SET_BOOT_INFO, vm, UINT64_MAX & ~PAGE_MASK, 1), KCORE_E_BOOT_INFO);
	/* The very last gfn is in range. */
	CHECK_EQ(kt_hvc(HVC_SET_BOOT_INFO, vm, last_gpa - PAGE_SIZE, 2), 0);
	CHECK(kt_vm(vm).boot_set);
	CHECK_EQ(kt_vm(vm).boot_gfn, S2_MAX_GFN - 1);
	CHECK_EQ(kt_vm(vm).boot_npages, 2);
	CHECK_REJECTS(kt_hvc(HVC_SET_BOOT_INFO, vm, 0x1000, 1), KCORE_E_BOOT_INFO); /* twice */
}

TEST(remap_takes_page_from_kserv)
{
	kt_up();
	unsigned vm = (unsigned)kt_hvc(HVC_REGISTER_VM, 0, 0, 0);
	uint64_t pfn = kt_data_pfn(3), pa = pfn << PAGE_SHIFT, val;

	CHECK_EQ(kt_hvc(HVC_SET_BOOT_INFO, vm, KT_IMAGE_GFN << PAGE_SHIFT, 2), 0);
	/* KServ has the page mapped and a TLB entry for it, and a dirty line. */
	CHECK_EQ(kserv_write64(pa, 0x1234), SIM_OK);
	CHECK_EQ(kt_kserv_read(pa, &val), SIM_OK);
	kt_events_start();
	CHECK_EQ(kt_hvc(HVC_REMAP_VM_IMAGE, vm, pfn, 1), 0);
	kt_events_stop();
	CHECK_EQ(kt_page(pfn).owner, KCORE_OWNER_KCORE);
	CHECK_EQ(kt_vm(vm).image_pfn[1], pfn);
	CHECK_EQ(kt_vm(vm).image_pfn[0], 0);
	/* Unmapped from KServ with break, DSB, TLBI, DSB; then cleaned. */
	size_t brk = kt_find_event(0, EV_PTE_WRITE, false, 0);
	CHECK(brk != SIZE_MAX);
	CHECK_EQ(kt_event(brk)->d, 0);
	CHECK_EQ(kt_event(brk + 1)->kind, EV_DSB);
	CHECK_EQ(kt_event(brk + 2)->kind, EV_TLBI_IPA);
	CHECK_EQ(kt_event(brk + 2)->a, 0);
	CHECK_EQ(kt_event(brk + 2)->b, pa);
	CHECK_EQ(kt_event(brk + 3)->kind, EV_DSB);
	CHECK(kt_find_event(brk, EV_DC_CIVAC, true, pa + PAGE_SIZE - CACHE_LINE_SIZE) != SIZE_MAX);
	bool dirty;
	CHECK(!sim_cache_line(pa, &dirty, NULL));
	CHECK_EQ(sim_mem_read64(pa), 0x1234);
	/* KServ can no longer reach it, and KCore refuses to map it back. */
	CHECK(kt_kserv_read(pa, &val) != SIM_OK);
	CHECK_EQ(kcore_kserv_fault(pa), -KCORE_E_OWNER);
}

TEST(remap_checks)
{
	kt_up();
	unsigned booted = kt_boot_vm(kt_image("tiny"), KT_IMAGE_GFN, kt_data_pfn(0), 1);
	unsigned vm = (unsigned)kt_hvc(HVC_REGISTER_VM, 0, 0, 0);
	unsigned unset = (unsigned)kt_hvc(HVC_REGISTER_VM, 0, 0, 0);
	uint64_t pfn = kt_data_pfn(10);

	CHECK_EQ(kt_hvc(HVC_SET_BOOT_INFO, vm, 0, 2), 0);
	CHECK_REJECTS(kt_hvc(HVC_REMAP_VM_IMAGE, 0, pfn, 0), KCORE_E_VM);
	CHECK_REJECTS(kt_hvc(HVC_REMAP_VM_IMAGE, unset + 1, pfn, 0), KCORE_E_VM);
	CHECK_REJECTS(kt_hvc(HVC_REMAP_VM_IMAGE, booted, pfn, 0), KCORE_E_VM_STATE);
	CHECK_REJECTS(kt_hvc(HVC_REMAP_VM_IMAGE, unset, pfn, 0), KCORE_E_BOOT_INFO);
	CHECK_REJECTS(kt_hvc(HVC_REMAP_VM_IMAGE, vm, pfn, 2), KCORE_E_BOOT_INFO);
	CHECK_REJECTS(kt_hvc(HVC_REMAP_VM_IMAGE, vm, pfn, UINT64_MAX), KCORE_E_BOOT_INFO);
	CHECK_REJECTS(kt_hvc(HVC_REMAP_VM_IMAGE, vm, kt_ram_pfn() - 1, 0), KCORE_E_PFN);
	CHECK_REJECTS(kt_hvc(HVC_REMAP_VM_IMAGE, vm, kt_mmio_pfn(), 0), KCORE_E_PFN);
	CHECK_REJECTS(kt_hvc(HVC_REMAP_VM_IMAGE, vm, UINT64_MAX, 0), KCORE_E_PFN);
	CHECK_REJECTS(kt_hvc(HVC_REMAP_VM_IMAGE, vm, kt_ram_pfn(), 0), KCORE_E_OWNER); /* KCore's */
	CHECK_REJECTS(kt_hvc(HVC_REMAP_VM_IMAGE, vm, kt_data_pfn(0), 0), KCORE_E_OWNER); /* a VM's */
	CHECK_EQ(kt_hvc(HVC_REMAP_VM_IMAGE, vm, pfn, 0), 0);
	CHECK_REJECTS(kt_hvc(HVC_REMAP_VM_IMAGE, vm, kt_data_pfn(11), 0), KCORE_E_BOOT_INFO); /* filled */
	CHECK_REJECTS(kt_hvc(HVC_REMAP_VM_IMAGE, vm, pfn, 1), KCORE_E_OWNER); /* now KCore's */
	/* A page a device can reach stays with KServ. */
	CHECK_EQ(kt_hvc(HVC_SMMU_ALLOC, 0, 0, 0), 0);
	CHECK_EQ(kt_hvc(HVC_SMMU_MAP, 0, 0x5000, kt_data_pfn(12)), 0);
	CHECK_REJECTS(kt_hvc(HVC_REMAP_VM_IMAGE, vm, kt_data_pfn(12), 1), KCORE_E_DMA);
}

TEST(verify_checks)
{
	kt_up();
	unsigned booted = kt_boot_vm(kt_image("tiny"), KT_IMAGE_GFN, kt_data_pfn(0), 1);
	unsigned vm = (unsigned)kt_hvc(HVC_REGISTER_VM, 0, 0, 0);

	CHECK_REJECTS(kt_hvc(HVC_VERIFY_VM_IMAGE, 0, 0, 0), KCORE_E_VM);
	CHECK_REJECTS(kt_hvc(HVC_VERIFY_VM_IMAGE, vm + 1, 0, 0), KCORE_E_VM);
	CHECK_REJECTS(kt_hvc(HVC_VERIFY_VM_IMAGE, booted, 0, 0), KCORE_E_VM_STATE);
	CHECK_REJECTS(kt_hvc(HVC_VERIFY_VM_IMAGE, vm, 0, 0), KCORE_E_BOOT_INFO); /* unset */
	CHECK_EQ(kt_hvc(HVC_SET_BOOT_INFO, vm, 0, 2), 0);
	CHECK_REJECTS(kt_hvc(HVC_VERIFY_VM_IMAGE, vm, 0, 0), KCORE_E_BOOT_INFO); /* no slot */
	CHECK_EQ(kt_hvc(HVC_REMAP_VM_IMAGE, vm, kt_data_pfn(10), 1), 0);
	CHECK_REJECTS(kt_hvc(HVC_VERIFY_VM_IMAGE, vm, 0, 0), KCORE_E_BOOT_INFO); /* slot 0 */
}

/* Each page sits at gpa/4K + idx, owned by the VM, and reads back as the
 * image through cacheable and non-cacheable guest accesses alike. */
static void check_image_mapped(unsigned vm, unsigned img, uint64_t gfn, uint64_t first_pfn)
{
	unsigned npages = guest_image_npages(img);
	uint8_t *bytes = malloc(PAGE_SIZE);

	CHECK(bytes != NULL);
	CHECK_EQ(kt_vm(vm).state, VM_VERIFIED);
	kt_run(1, vm, 0);
	for (unsigned idx = 0; idx < npages; idx++) {
		struct kcore_page_view p = kt_page(first_pfn + idx);

		CHECK_EQ(p.owner, vm);
		CHECK_EQ(p.gfn, gfn + idx);
		guest_image_page(img, idx, bytes);
		for (unsigned off = 0; off < PAGE_SIZE; off += 512) {
			uint64_t want = 0, got = 0, got_nc = 0;
			uint64_t ipa = ((gfn + idx) << PAGE_SHIFT) + off;

			for (unsigned b = 0; b < 8; b++)
				want |= (uint64_t)bytes[off + b] << (8 * b);
			CHECK_EQ(kt_cpu_access(ipa, 0, &got), SIM_OK);
			CHECK_EQ(kt_cpu_access(ipa, SIM_ACC_NONCACHEABLE, &got_nc), SIM_OK);
			CHECK_EQ(got, want);
			CHECK_EQ(got_nc, want);
		}
	}
	/* Nothing beyond the image. */
	uint64_t val;
	CHECK(kt_cpu_access((gfn + npages) << PAGE_SHIFT, 0, &val) != SIM_OK);
	CHECK_EQ(kt_ghvc(GHVC_EXIT, 0), 0);
	sim_set_cpu(0);
	free(bytes);
}

TEST(verify_maps_image_at_its_gfns)
{
	kt_up();
	unsigned img = kt_image("boot4");
	uint64_t gfn = 0x1fe; /* the image crosses a level-3 table boundary */
	unsigned vm = kt_load_vm(img, gfn, kt_data_pfn(0), 1);

	CHECK_EQ(kt_vm(vm).state, VM_READY);
	CHECK_EQ(kt_hvc(HVC_VERIFY_VM_IMAGE, vm, 0, 0), 0);
	check_image_mapped(vm, img, gfn, kt_data_pfn(0));
	/* KServ cannot reach the pages. */
	uint64_t val;
	CHECK(kt_kserv_read(kt_data_pfn(0) << PAGE_SHIFT, &val) != SIM_OK);
}

TEST(verify_every_guest_image)
{
	kt_up();
	for (unsigned img = 0; img < guest_image_count(); img++) {
		uint64_t first = kt_data_pfn(16 * img);
		unsigned vm = kt_boot_vm(img, KT_IMAGE_GFN + 0x40 * img, first, 1);

		check_image_mapped(vm, img, KT_IMAGE_GFN + 0x40 * img, first);
	}
}

/* A bad image: the VM is powered off, its pages stay KCore's until
 * clear_vm scrubs them and gives them back to KServ. */
TEST(verify_failure_powers_off_and_clear_returns_pages)
{
	kt_up();
	unsigned img = kt_image("small");
	unsigned vm = (unsigned)kt_hvc(HVC_REGISTER_VM, 0, 0, 0);
	uint64_t p0 = kt_data_pfn(0), p1 = kt_data_pfn(1);

	CHECK_EQ(kt_hvc(HVC_REGISTER_VCPU, vm, 0, 0), 0);
	CHECK_EQ(kt_hvc(HVC_SET_BOOT_INFO, vm, KT_IMAGE_GFN << PAGE_SHIFT, 2), 0);
	/* The right pages in the wrong order. */
	CHECK_EQ(kserv_load_image(img, 1, p0), 0);
	CHECK_EQ(kserv_load_image(img, 0, p1), 0);
	CHECK_EQ(kt_hvc(HVC_REMAP_VM_IMAGE, vm, p0, 0), 0);
	CHECK_EQ(kt_hvc(HVC_REMAP_VM_IMAGE, vm, p1, 1), 0);
	CHECK_EQ(kt_hvc(HVC_VERIFY_VM_IMAGE, vm, 0, 0), -KCORE_E_VERIFY);
	CHECK_EQ(kt_vm(vm).state, VM_POWERED_OFF);
	CHECK_EQ(kt_page(p0).owner, KCORE_OWNER_KCORE);
	CHECK_EQ(kt_page(p1).owner, KCORE_OWNER_KCORE);
	CHECK_REJECTS(kt_hvc(HVC_VCPU_RUN, vm, 0, 0), KCORE_E_VM_STATE);
	CHECK_REJECTS(kt_hvc(HVC_VERIFY_VM_IMAGE, vm, 0, 0), KCORE_E_VM_STATE);

	CHECK_EQ(kt_hvc(HVC_CLEAR_VM, vm, 0, 0), 0);
	for (uint64_t pfn = p0; pfn <= p1; pfn++) {
		uint64_t val = 1;

		CHECK_EQ(kt_page(pfn).owner, KCORE_OWNER_KSERV);
		CHECK_EQ(kt_kserv_read(pfn << PAGE_SHIFT, &val), SIM_OK);
		CHECK_EQ(val, 0);
		CHECK_EQ(kserv_access((pfn << PAGE_SHIFT) + 0x800, SIM_ACC_NONCACHEABLE, &val), SIM_OK);
		CHECK_EQ(val, 0);
	}
	CHECK_EQ(kt_vm(vm).state, VM_UNUSED);
}

/* A real image's pages with the length of another entry do not verify. */
TEST(verify_rejects_wrong_length)
{
	kt_up();
	unsigned img = kt_image("boot4");
	unsigned vm = (unsigned)kt_hvc(HVC_REGISTER_VM, 0, 0, 0);

	CHECK_EQ(kt_hvc(HVC_SET_BOOT_INFO, vm, 0, 3), 0);
	for (unsigned idx = 0; idx < 3; idx++) {
		CHECK_EQ(kserv_load_image(img, idx, kt_data_pfn(idx)), 0);
		CHECK_EQ(kt_hvc(HVC_REMAP_VM_IMAGE, vm, kt_data_pfn(idx), idx), 0);
	}
	CHECK_EQ(kt_hvc(HVC_VERIFY_VM_IMAGE, vm, 0, 0), -KCORE_E_VERIFY);
	CHECK_EQ(kt_vm(vm).state, VM_POWERED_OFF);
}

/* KServ changing one byte after loading is caught. */
TEST(verify_rejects_modified_image)
{
	kt_up();
	unsigned img = kt_image("tiny");
	unsigned vm = (unsigned)kt_hvc(HVC_REGISTER_VM, 0, 0, 0);
	uint64_t pa = kt_data_pfn(0) << PAGE_SHIFT, val;

	CHECK_EQ(kt_hvc(HVC_SET_BOOT_INFO, vm, 0, 1), 0);
	CHECK_EQ(kserv_load_image(img, 0, kt_data_pfn(0)), 0);
	CHECK_EQ(kt_kserv_read(pa + 0xff8, &val), SIM_OK);
	CHECK_EQ(kserv_write64(pa + 0xff8, val ^ 0x100), SIM_OK);
	CHECK_EQ(kt_hvc(HVC_REMAP_VM_IMAGE, vm, kt_data_pfn(0), 0), 0);
	CHECK_EQ(kt_hvc(HVC_VERIFY_VM_IMAGE, vm, 0, 0), -KCORE_E_VERIFY);
}

static const struct test_case cases[] = {
	CASE(set_boot_info_checks),
	CASE(remap_takes_page_from_kserv),
	CASE(remap_checks),
	CASE(verify_checks),
	CASE(verify_maps_image_at_its_gfns),
	CASE(verify_every_guest_image),
	CASE(verify_failure_powers_off_and_clear_returns_pages),
	CASE(verify_rejects_wrong_length),
	CASE(verify_rejects_modified_image),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
