/* The baseline behaves like KVM without SeKVM: the host can reach every
 * VM's memory, before, during and after the VM's life, through its own
 * stage-2, other VMs, DMA and device mappings, and it owns the stage-2
 * tables.  Each case shows the weakness on the baseline and, from the same
 * machine state, that KCore refuses the same steps, so the case tells the
 * two apart rather than passing on any hypervisor. */
#include <string.h>

#include "guest_image.h"
#include "hyp/s2desc.h"
#include "target_fixture.h"

#define E(code) (-(int64_t)KCORE_E_##code)

#define GUEST_CPU 1u
#define OTHER_CPU 2u
#define DATA_GFN 0x200ull
#define SECRET 0x5ec2e75ec2e70001ull
#define HOST_WORD 0x4057000040570000ull

static unsigned tiny(void)
{
	for (unsigned i = 0; i < guest_image_count(); i++)
		if (strcmp(guest_image_name(i), "tiny") == 0)
			return i;
	CHECK_FAIL_("no guest image tiny");
}

/* VM 1 running on GUEST_CPU with page data(8) at DATA_GFN, holding SECRET
 * at offset 8 (a cacheable guest write).  Returns the page. */
static uint64_t vm_with_secret(void)
{
	uint64_t page = tf_data_pfn(8);

	CHECK_EQ(tf_boot_vm(tiny(), tf_data_pfn(0), 2), 1);
	CHECK_EQ(tf_run(GUEST_CPU, 1, 0), 0);
	CHECK_EQ(tf_hvc(HVC_MAP_VM_PAGE, 1, DATA_GFN, page), 0);
	CHECK_EQ(tf_guest_write(GUEST_CPU, (DATA_GFN << PAGE_SHIFT) + 8, SECRET), SIM_OK);
	return page;
}

TEST(host_reads_vm_page_after_map)
{
	uint64_t v = 0, page;

	tf_machine();
	tf_boot(&target_vanilla);
	page = vm_with_secret();
	CHECK_EQ(tf_host_read(tf_pa(page) + 8, &v), SIM_OK);
	CHECK_EQ(v, SECRET);
	/* The host writes the guest's memory as easily. */
	CHECK_EQ(tf_host_write(tf_pa(page) + 16, HOST_WORD), SIM_OK);
	CHECK_EQ(tf_guest_read(GUEST_CPU, (DATA_GFN << PAGE_SHIFT) + 16, &v), SIM_OK);
	CHECK_EQ(v, HOST_WORD);
	/* The page's view: still the host's, mapped nowhere as far as it says. */
	CHECK_EQ(tf_page(page).owner, KCORE_OWNER_KSERV);
	CHECK_EQ(tf_page(page).gfn, KCORE_NO_GFN);

	tf_boot(&target_kcore);
	page = vm_with_secret();
	CHECK_EQ(tf_host_read(tf_pa(page) + 8, &v), SIM_FAULT_TRANSLATION);
	CHECK_EQ(target_kcore.kserv_fault(tf_pa(page)), E(OWNER));
	CHECK_EQ(tf_page(page).owner, 1);
}

/* The VM writes its secret into its image page and a mapped page, powers
 * off and is cleared; returns the two pages. */
static void vm_cleared(uint64_t pages[2])
{
	pages[0] = tf_data_pfn(0);
	pages[1] = vm_with_secret();
	CHECK_EQ(tf_guest_write(GUEST_CPU, TF_IMAGE_GFN << PAGE_SHIFT, SECRET), SIM_OK);
	CHECK_EQ(tf_ghvc(GUEST_CPU, GHVC_POWER_OFF, 0), 0);
	CHECK_EQ(tf_hvc(HVC_CLEAR_VM, 1, 0, 0), 0);
}

TEST(host_reads_old_data_after_clear_vm)
{
	uint64_t pages[2], v;

	tf_machine();
	tf_boot(&target_vanilla);
	vm_cleared(pages);
	CHECK_EQ(tf_host_read(tf_pa(pages[0]), &v), SIM_OK);
	CHECK_EQ(v, SECRET);
	CHECK_EQ(tf_host_read(tf_pa(pages[1]) + 8, &v), SIM_OK);
	CHECK_EQ(v, SECRET);

	tf_boot(&target_kcore);
	vm_cleared(pages);
	for (unsigned i = 0; i < 2; i++) {
		for (unsigned flags = 0; flags <= SIM_ACC_NONCACHEABLE; flags += SIM_ACC_NONCACHEABLE) {
			v = 1;
			CHECK_EQ(tf_host_access(tf_pa(pages[i]) + 8 * i, flags, &v), SIM_OK);
			CHECK_EQ(v, 0);
		}
	}
}

/* VM 1 on GUEST_CPU and VM 2 on OTHER_CPU, both given page data(8). */
static void two_vms_one_page(int64_t want_second)
{
	uint64_t page = tf_data_pfn(8);

	CHECK_EQ(tf_boot_vm(tiny(), tf_data_pfn(0), 1), 1);
	CHECK_EQ(tf_boot_vm(tiny(), tf_data_pfn(1), 1), 2);
	CHECK_EQ(tf_run(GUEST_CPU, 1, 0), 0);
	CHECK_EQ(tf_run(OTHER_CPU, 2, 0), 0);
	CHECK_EQ(tf_hvc(HVC_MAP_VM_PAGE, 1, DATA_GFN, page), 0);
	CHECK_EQ(tf_hvc(HVC_MAP_VM_PAGE, 2, DATA_GFN + 5, page), want_second);
	CHECK_EQ(tf_hvc(HVC_MAP_VM_PAGE, 1, DATA_GFN + 1, page), want_second);
}

TEST(page_mapped_into_two_vms)
{
	uint64_t v = 0;

	tf_machine();
	tf_boot(&target_vanilla);
	two_vms_one_page(0);
	CHECK_EQ(tf_guest_write(GUEST_CPU, (DATA_GFN << PAGE_SHIFT) + 8, SECRET), SIM_OK);
	CHECK_EQ(tf_guest_read(OTHER_CPU, ((DATA_GFN + 5) << PAGE_SHIFT) + 8, &v), SIM_OK);
	CHECK_EQ(v, SECRET);
	/* and at a second gfn of the same VM */
	CHECK_EQ(tf_guest_read(GUEST_CPU, ((DATA_GFN + 1) << PAGE_SHIFT) + 8, &v), SIM_OK);
	CHECK_EQ(v, SECRET);

	tf_boot(&target_kcore);
	two_vms_one_page(E(OWNER));
	CHECK_EQ(tf_guest_read(OTHER_CPU, ((DATA_GFN + 5) << PAGE_SHIFT) + 8, &v),
		 SIM_FAULT_TRANSLATION);
}

/* A host-owned DMA unit pointed at the VM's page. */
static void dma_unit_on_vm_page(uint64_t page, int64_t want)
{
	CHECK_EQ(tf_hvc(HVC_SMMU_ALLOC, 0, 0, 0), 0);
	CHECK_EQ(tf_hvc(HVC_SMMU_MAP, 0, 0, page), want);
}

TEST(dma_into_vm_page)
{
	struct sim_access acc;
	uint64_t v, page;

	tf_machine();
	tf_boot(&target_vanilla);
	page = vm_with_secret();
	dma_unit_on_vm_page(page, 0);
	CHECK_EQ(sim_dma_access(0, 8, 0, &v, &acc), SIM_OK);
	CHECK_EQ(v, SECRET);
	v = HOST_WORD;
	CHECK_EQ(sim_dma_access(0, 24, SIM_ACC_WRITE, &v, &acc), SIM_OK);
	CHECK_EQ(tf_guest_read(GUEST_CPU, (DATA_GFN << PAGE_SHIFT) + 24, &v), SIM_OK);
	CHECK_EQ(v, HOST_WORD);
	CHECK_EQ(tf_page(page).dma, 1);

	tf_boot(&target_kcore);
	page = vm_with_secret();
	dma_unit_on_vm_page(page, E(OWNER));
	CHECK_EQ(sim_dma_access(0, 8, 0, &v, &acc), SIM_FAULT_TRANSLATION);
}

/* The VM gets a host page (holding HOST_WORD, written past the cache) as
 * a device mapping at gpa 0x10000000. */
static int64_t ioremap_host_page(uint64_t page)
{
	uint64_t v = HOST_WORD;

	CHECK_EQ(tf_host_access(tf_pa(page), SIM_ACC_WRITE | SIM_ACC_NONCACHEABLE, &v), SIM_OK);
	CHECK_EQ(tf_boot_vm(tiny(), tf_data_pfn(0), 1), 1);
	CHECK_EQ(tf_run(GUEST_CPU, 1, 0), 0);
	return tf_hvc(HVC_IOREMAP, 1, 0x10000000, tf_pa(page));
}

TEST(ioremap_of_ram)
{
	uint64_t v = 0, page;

	tf_machine();
	page = tf_data_pfn(9);
	tf_boot(&target_vanilla);
	CHECK_EQ(ioremap_host_page(page), 0);
	CHECK_EQ(tf_guest_read(GUEST_CPU, 0x10000000, &v), SIM_OK);
	CHECK_EQ(v, HOST_WORD);
	CHECK_EQ(tf_guest_write(GUEST_CPU, 0x10000008, SECRET), SIM_OK);
	CHECK_EQ(sim_mem_read64(tf_pa(page) + 8), SECRET);

	tf_boot(&target_kcore);
	CHECK_EQ(ioremap_host_page(page), E(NOT_MMIO));
	CHECK_EQ(tf_guest_read(GUEST_CPU, 0x10000000, &v), SIM_FAULT_TRANSLATION);
}

/* An image that is not in the manifest. */
static int64_t boot_corrupt_image(void)
{
	uint64_t pfn = tf_data_pfn(0);

	CHECK_EQ(tf_hvc(HVC_REGISTER_VM, 0, 0, 0), 1);
	CHECK_EQ(tf_hvc(HVC_REGISTER_VCPU, 1, 0, 0), 0);
	CHECK_EQ(tf_hvc(HVC_SET_BOOT_INFO, 1, TF_IMAGE_GFN << PAGE_SHIFT, 1), 0);
	tf_write_image_page(tiny(), 0, pfn, 1);
	CHECK_EQ(tf_hvc(HVC_REMAP_VM_IMAGE, 1, pfn, 0), 0);
	return tf_hvc(HVC_VERIFY_VM_IMAGE, 1, 0, 0);
}

TEST(unverified_image_runs)
{
	uint64_t v = 0;

	tf_machine();
	tf_boot(&target_vanilla);
	CHECK_EQ(boot_corrupt_image(), 0);
	CHECK_EQ(tf_vm(1).state, VM_VERIFIED);
	CHECK_EQ(tf_run(GUEST_CPU, 1, 0), 0);
	CHECK_EQ(tf_guest_read(GUEST_CPU, TF_IMAGE_GFN << PAGE_SHIFT, &v), SIM_OK);
	CHECK_EQ(v, tf_image_word(tiny(), 0, 0) ^ 1);

	tf_boot(&target_kcore);
	CHECK_EQ(boot_corrupt_image(), E(VERIFY));
	CHECK_EQ(tf_vm(1).state, VM_POWERED_OFF);
}

/* The host walks VM 1's stage-2 table from its root with its own reads and
 * points the level-3 entry of gfn at another page.  Returns the fault of
 * the first host read. */
static int host_redirects_gfn(uint64_t gfn, uint64_t new_pfn)
{
	uint64_t table = tf_vm(1).npt_root, desc = 0;
	int fault = SIM_OK;

	for (unsigned level = S2_START_LEVEL; level <= S2_LAST_LEVEL; level++) {
		uint64_t slot = table + 8ull * s2_index(gfn << PAGE_SHIFT, level);

		fault = tf_host_read(slot, &desc);
		if (fault != SIM_OK)
			return fault;
		if (level == S2_LAST_LEVEL) {
			CHECK_EQ(tf_host_write(slot, (desc & ~S2_OA_MASK) | tf_pa(new_pfn)), SIM_OK);
			break;
		}
		CHECK(s2_is_table(desc, level));
		table = s2_oa(desc);
	}
	return SIM_OK;
}

TEST(host_rewrites_vm_stage2)
{
	uint64_t v = 0, other;

	tf_machine();
	other = tf_data_pfn(12);
	tf_boot(&target_vanilla);
	CHECK_EQ(tf_host_write(tf_pa(other), HOST_WORD), SIM_OK);
	CHECK_EQ(tf_boot_vm(tiny(), tf_data_pfn(0), 1), 1);
	CHECK_EQ(host_redirects_gfn(TF_IMAGE_GFN, other), SIM_OK);
	CHECK_EQ(tf_run(GUEST_CPU, 1, 0), 0);
	CHECK_EQ(tf_guest_read(GUEST_CPU, TF_IMAGE_GFN << PAGE_SHIFT, &v), SIM_OK);
	CHECK_EQ(v, HOST_WORD);

	tf_boot(&target_kcore);
	CHECK_EQ(tf_boot_vm(tiny(), tf_data_pfn(0), 1), 1);
	CHECK_EQ(host_redirects_gfn(TF_IMAGE_GFN, other), SIM_FAULT_TRANSLATION);
	CHECK_EQ(target_kcore.kserv_fault(tf_vm(1).npt_root), E(OWNER));
}

static const struct test_case cases[] = {
	CASE(host_reads_vm_page_after_map),
	CASE(host_reads_old_data_after_clear_vm),
	CASE(page_mapped_into_two_vms),
	CASE(dma_into_vm_page),
	CASE(ioremap_of_ram),
	CASE(unverified_image_runs),
	CASE(host_rewrites_vm_stage2),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
