/* KServ's stage-2 faults and the KServ helpers. */
#include "guest_image.h"
#include "helpers.h"

static uint64_t kserv_root(void)
{
	struct kcore_region_view region;

	kcore_view_region(&region);
	return region.kserv_root;
}

/* KServ's table starts empty and is filled page by page on demand, with
 * an identity mapping of normal memory. */
TEST(kserv_fault_maps_ram_on_demand)
{
	kt_up();
	uint64_t pa = kt_data_pfn(5) << PAGE_SHIFT, val;
	struct sim_walk w;

	CHECK_EQ(sim_s2_walk(kserv_root(), pa, &w), SIM_FAULT_TRANSLATION);
	CHECK_EQ(kcore_kserv_fault(pa + 0x123), 0);
	CHECK_EQ(sim_s2_walk(kserv_root(), pa, &w), SIM_OK);
	CHECK_EQ(w.pa, pa);
	CHECK_EQ(w.size, PAGE_SIZE);
	CHECK_EQ(w.desc, pa | S2_PAGE_NORMAL_RW);
	/* Only that page. */
	CHECK_EQ(sim_s2_walk(kserv_root(), pa + PAGE_SIZE, &w), SIM_FAULT_TRANSLATION);
	/* Already mapped: 0 and nothing written. */
	kt_events_start();
	CHECK_EQ(kcore_kserv_fault(pa), 0);
	kt_events_stop();
	CHECK_EQ(kt_mutating_events(), 0);
	/* The helper faults in and retries. */
	CHECK_EQ(kserv_write64(pa + PAGE_SIZE, 42), SIM_OK);
	CHECK_EQ(kserv_read64(pa + PAGE_SIZE, &val), SIM_OK);
	CHECK_EQ(val, 42);
}

TEST(kserv_fault_maps_mmio_as_device)
{
	kt_up();
	uint64_t pa = (kt_mmio_pfn() + 7) << PAGE_SHIFT, val;
	struct sim_walk w;

	CHECK_EQ(kcore_kserv_fault(pa), 0);
	CHECK_EQ(sim_s2_walk(kserv_root(), pa, &w), SIM_OK);
	CHECK_EQ(w.desc, pa | S2_PAGE_DEVICE_RW);
	CHECK(s2_is_device(w.desc));
	CHECK_EQ(kserv_read64(pa + 0x10, &val), SIM_OK);
}

TEST(kserv_fault_checks)
{
	kt_up();
	unsigned vm = kt_boot_vm(kt_image("tiny"), KT_IMAGE_GFN, kt_data_pfn(0), 1);
	uint64_t ram_end = (kt_ram_pfn() << PAGE_SHIFT) + sim_cfg()->ram_bytes;

	CHECK_REJECTS(kcore_kserv_fault((kt_ram_pfn() << PAGE_SHIFT) - 8), KCORE_E_PFN);
	CHECK_REJECTS(kcore_kserv_fault(ram_end), KCORE_E_PFN);
	CHECK_REJECTS(kcore_kserv_fault(0), KCORE_E_PFN);
	CHECK_REJECTS(kcore_kserv_fault(UINT64_MAX), KCORE_E_PFN);
	CHECK_REJECTS(kcore_kserv_fault(kt_ram_pfn() << PAGE_SHIFT), KCORE_E_OWNER); /* KCore's */
	CHECK_REJECTS(kcore_kserv_fault(kt_data_pfn(0) << PAGE_SHIFT), KCORE_E_OWNER); /* a VM's */
	kt_run(1, vm, 0);
	CHECK_REJECTS(kcore_kserv_fault(kt_data_pfn(5) << PAGE_SHIFT), KCORE_E_CPU_STATE);
	/* The helper does not touch memory from a CPU that runs a guest. */
	uint64_t val;
	CHECK_EQ(kserv_read64(kt_data_pfn(5) << PAGE_SHIFT, &val), SIM_FAULT_NOT_RUNNING);
}

/* KServ's pool holds 64 pages: on a machine with 256 MiB of RAM, faulting
 * in one page per 2 MiB uses it up; the refused fault changes nothing. */
TEST(kserv_fault_pool_exhaustion)
{
	struct sim_config cfg;
	struct kcore_region_view region;
	uint64_t pa = 0;

	sim_config_default(&cfg);
	cfg.ram_bytes = 256ull << 20;
	kt_up_with(&cfg);
	uint64_t base = (kt_ram_pfn() << PAGE_SHIFT) + (2ull << 20);
	for (unsigned i = 0;; i++) {
		kcore_view_region(&region);
		if (region.kserv_pool_used == KCORE_KSERV_POOL_PAGES)
			break;
		pa = base + (uint64_t)i * (2ull << 20);
		CHECK_EQ(kcore_kserv_fault(pa), 0);
	}
	CHECK_REJECTS(kcore_kserv_fault(pa + (2ull << 20)), KCORE_E_NOMEM);
	/* Pages under existing tables still map. */
	CHECK_EQ(kcore_kserv_fault(pa + PAGE_SIZE), 0);
	uint64_t val;
	CHECK_EQ(kserv_read64(pa + (2ull << 20), &val), SIM_FAULT_TRANSLATION);
}

/* kserv_load_image writes exactly the image bytes, faulting the page in. */
TEST(kserv_load_image_writes_the_image)
{
	kt_up();
	unsigned img = kt_image("small");
	uint64_t pfn = kt_data_pfn(9), pa = pfn << PAGE_SHIFT;
	uint8_t bytes[PAGE_SIZE];
	struct sim_walk w;

	CHECK_EQ(kserv_load_image(img, 1, pfn), 0);
	CHECK_EQ(sim_s2_walk(kserv_root(), pa, &w), SIM_OK);
	guest_image_page(img, 1, bytes);
	for (unsigned off = 0; off < PAGE_SIZE; off += 8) {
		uint64_t want = 0;

		for (unsigned b = 0; b < 8; b++)
			want |= (uint64_t)bytes[off + b] << (8 * b);
		CHECK_EQ(sim_coherent_read64(pa + off), want);
	}
	/* A page KServ cannot reach is not written. */
	CHECK_EQ(kserv_load_image(img, 0, kt_ram_pfn()), SIM_FAULT_TRANSLATION);
}

static const struct test_case cases[] = {
	CASE(kserv_fault_maps_ram_on_demand),
	CASE(kserv_fault_maps_mmio_as_device),
	CASE(kserv_fault_checks),
	CASE(kserv_fault_pool_exhaustion),
	CASE(kserv_load_image_writes_the_image),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
