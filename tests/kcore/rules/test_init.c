/* kcore_init and kcore_init_cpu: layouts accepted and refused, the state a
 * fresh KCore starts from, and reset between inputs. */
#include "helpers.h"

static void default_boot(struct kcore_boot *boot)
{
	kt_layout(boot);
}

TEST(init_default_layout)
{
	struct kcore_region_view region;

	kt_up();
	CHECK_EQ(kcore_region_pages_needed(),
		 KCORE_KSERV_POOL_PAGES + KCORE_MAX_VMS * KCORE_VM_POOL_PAGES +
			 KCORE_SMMU_UNITS * KCORE_SMMU_POOL_PAGES);
	kcore_view_region(&region);
	CHECK_EQ(region.base_pfn, kt_ram_pfn());
	CHECK_EQ(region.pages, kcore_region_pages_needed());
	CHECK_EQ(region.kserv_pool_used, 1);
	CHECK(region.kserv_root >> PAGE_SHIFT >= region.base_pfn);
	CHECK(region.kserv_root >> PAGE_SHIFT < region.base_pfn + region.pages);

	/* KCore's region is KCore's, the rest of RAM KServ's. */
	CHECK_EQ(kt_page(kt_ram_pfn()).owner, KCORE_OWNER_KCORE);
	CHECK_EQ(kt_page(kt_ram_pfn() + region.pages - 1).owner, KCORE_OWNER_KCORE);
	CHECK_EQ(kt_page(kt_ram_pfn() + region.pages).owner, KCORE_OWNER_KSERV);
	CHECK_EQ(kt_page(kt_ram_pfn() + region.pages).gfn, KCORE_NO_GFN);
	struct kcore_page_view dummy;
	CHECK(!kcore_view_page(kt_ram_pfn() - 1, &dummy));
	CHECK(!kcore_view_page(kt_mmio_pfn(), &dummy));

	/* Every CPU in the host on KServ's stage-2. */
	for (unsigned cpu = 0; cpu < sim_cfg()->ncpus; cpu++) {
		struct sim_stage2 s2;
		struct kcore_cpu_view cv;

		sim_cpu_stage2(cpu, &s2);
		CHECK(s2.enabled);
		CHECK_EQ(s2.vmid, 0);
		CHECK_EQ(s2.root, region.kserv_root);
		CHECK(kcore_view_cpu(cpu, &cv));
		CHECK_EQ(cv.vm, 0);
	}
	struct kcore_cpu_view cv;
	CHECK(!kcore_view_cpu(sim_cfg()->ncpus, &cv));
	for (unsigned vm = 1; vm <= KCORE_MAX_VMS; vm++)
		CHECK_EQ(kt_vm(vm).state, VM_UNUSED);
	struct kcore_vm_view vv;
	CHECK(!kcore_view_vm(0, &vv));
	CHECK(!kcore_view_vm(KCORE_MAX_VMS + 1, &vv));
	for (unsigned u = 0; u < KCORE_SMMU_UNITS; u++)
		CHECK(!kt_smmu(u).allocated);
}

/* A refused layout leaves the running KCore exactly as it was. */
static uint32_t *cap_vmids(struct kcore_caps *c) { return &c->vmids; }
static uint32_t *cap_vm_pool(struct kcore_caps *c) { return &c->vm_pool_pages; }
static uint32_t *cap_smmu_pool(struct kcore_caps *c) { return &c->smmu_pool_pages; }
static uint32_t *cap_kserv_pool(struct kcore_caps *c) { return &c->kserv_pool_pages; }
static uint32_t *cap_share(struct kcore_caps *c) { return &c->max_share; }

static void check_refused(const struct kcore_boot *boot)
{
	struct kt_snapshot *s = kt_snapshot_take();

	kt_events_start();
	CHECK_EQ(kcore_init(boot), -KCORE_E_PFN);
	kt_events_stop();
	CHECK_EQ(kt_events_count(), 0);
	kt_snapshot_check(s);
}

TEST(init_rejects_kcore_region_outside_ram)
{
	struct kcore_boot boot;

	kt_up();
	default_boot(&boot);
	boot.kcore_base_pfn = boot.ram_base_pfn - 1;
	check_refused(&boot);
	default_boot(&boot);
	boot.kcore_base_pfn = boot.ram_base_pfn + boot.ram_pages - boot.kcore_pages + 1;
	check_refused(&boot);
	default_boot(&boot);
	boot.kcore_base_pfn = boot.ram_base_pfn + boot.ram_pages;
	check_refused(&boot);
	default_boot(&boot);
	boot.kcore_base_pfn = UINT64_MAX - 10;
	check_refused(&boot);
}

TEST(init_rejects_small_kcore_region)
{
	struct kcore_boot boot;

	kt_up();
	default_boot(&boot);
	boot.kcore_pages = kcore_region_pages_needed() - 1;
	check_refused(&boot);
	/* The region may sit anywhere in RAM and be larger than needed. */
	default_boot(&boot);
	boot.kcore_base_pfn = boot.ram_base_pfn + boot.ram_pages - 2 * kcore_region_pages_needed();
	boot.kcore_pages = 2 * kcore_region_pages_needed();
	CHECK_EQ(kcore_init(&boot), KCORE_OK);
	CHECK_EQ(kt_page(boot.kcore_base_pfn).owner, KCORE_OWNER_KCORE);
	CHECK_EQ(kt_page(boot.ram_base_pfn).owner, KCORE_OWNER_KSERV);
}

TEST(init_rejects_mmio_overlapping_ram)
{
	struct kcore_boot boot;

	kt_up();
	default_boot(&boot);
	boot.mmio_base_pfn = boot.ram_base_pfn + boot.ram_pages - 1;
	check_refused(&boot);
	default_boot(&boot);
	boot.mmio_base_pfn = boot.ram_base_pfn - 1;
	boot.mmio_pages = 2;
	check_refused(&boot);
	default_boot(&boot);
	boot.mmio_base_pfn = boot.ram_base_pfn - 1;
	boot.mmio_pages = boot.ram_pages + 2;
	check_refused(&boot);
	/* Beyond the 39-bit space KServ's identity map covers. */
	default_boot(&boot);
	boot.mmio_base_pfn = S2_MAX_GFN;
	boot.mmio_pages = 2;
	check_refused(&boot);
}

/* Each capacity just below its minimum and just above its maximum, and a
 * value far out, is refused like any bad layout; its bounds are taken. */
TEST(init_rejects_bad_caps)
{
	struct kcore_boot boot;
	const struct { uint32_t *(*field)(struct kcore_caps *); uint32_t min, max; } caps[] = {
		{ cap_vmids, KCORE_MIN_VMIDS, KCORE_MAX_VMIDS },
		{ cap_vm_pool, KCORE_MIN_VM_POOL_PAGES, KCORE_VM_POOL_PAGES },
		{ cap_smmu_pool, KCORE_MIN_SMMU_POOL_PAGES, KCORE_SMMU_POOL_PAGES },
		{ cap_kserv_pool, KCORE_MIN_KSERV_POOL_PAGES, KCORE_KSERV_POOL_PAGES },
		{ cap_share, KCORE_MIN_SHARE, KCORE_MAX_SHARE },
	};

	kt_up();
	for (unsigned i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		const uint32_t bad[] = { caps[i].min - 1, caps[i].max + 1, UINT32_MAX };
		for (unsigned b = 0; b < 3; b++) {
			if (bad[b] == 0)
				continue; /* 0 is the maximum */
			default_boot(&boot);
			*caps[i].field(&boot.caps) = bad[b];
			check_refused(&boot);
		}
		default_boot(&boot);
		*caps[i].field(&boot.caps) = caps[i].min;
		CHECK_EQ(kcore_init(&boot), KCORE_OK);
		*caps[i].field(&boot.caps) = caps[i].max;
		CHECK_EQ(kcore_init(&boot), KCORE_OK);
	}
}

TEST(init_rejects_bad_ram_and_cpus)
{
	struct kcore_boot boot;

	kt_up();
	default_boot(&boot);
	boot.ram_pages = 0;
	check_refused(&boot);
	default_boot(&boot);
	boot.ram_pages = KCORE_MAX_RAM_PAGES + 1ull;
	check_refused(&boot);
	default_boot(&boot);
	boot.ram_base_pfn = S2_MAX_GFN;
	boot.kcore_base_pfn = S2_MAX_GFN;
	check_refused(&boot);
	default_boot(&boot);
	boot.ncpus = 0;
	check_refused(&boot);
	default_boot(&boot);
	boot.ncpus = ARCH_MAX_CPUS + 1;
	check_refused(&boot);
	default_boot(&boot);
	boot.ncpus = sim_cfg()->ncpus + 1; /* more CPUs than the machine has */
	check_refused(&boot);
	check_refused(NULL);
}

/* kcore_init between inputs: everything back to the fresh state. */
TEST(init_resets_everything)
{
	struct kcore_boot boot;
	unsigned img = kt_image("small");

	kt_up();
	unsigned vm = kt_boot_vm(img, KT_IMAGE_GFN, kt_data_pfn(0), 1);
	CHECK_EQ(kt_hvc(HVC_MAP_VM_PAGE, vm, 0x10, kt_data_pfn(10)), 0);
	CHECK_EQ(kt_hvc(HVC_SMMU_ALLOC, 0, 0, 0), 0);
	CHECK_EQ(kt_hvc(HVC_SMMU_MAP, 0, 0, kt_data_pfn(20)), 0);
	kt_run(1, vm, 0);

	default_boot(&boot);
	CHECK_EQ(kcore_init(&boot), KCORE_OK);
	for (unsigned cpu = 0; cpu < boot.ncpus; cpu++) {
		sim_set_cpu(cpu);
		kcore_init_cpu();
	}
	sim_set_cpu(0);
	/* Every page, though the reset restores only those the run changed. */
	for (uint64_t pfn = boot.ram_base_pfn; pfn < boot.ram_base_pfn + boot.ram_pages; pfn++) {
		struct kcore_page_view p = kt_page(pfn);
		bool in_kcore = pfn >= boot.kcore_base_pfn && pfn < boot.kcore_base_pfn + boot.kcore_pages;
		CHECK_EQ(p.owner, in_kcore ? KCORE_OWNER_KCORE : KCORE_OWNER_KSERV);
		CHECK_EQ(p.dma, 0);
		CHECK_EQ(p.share, 0);
		CHECK_EQ(p.gfn, KCORE_NO_GFN);
	}
	CHECK_EQ(kt_vm(vm).state, VM_UNUSED);
	CHECK(!kt_smmu(0).allocated);
	struct kcore_cpu_view cv;
	CHECK(kcore_view_cpu(1, &cv));
	CHECK_EQ(cv.vm, 0);
	/* And it works again from scratch. */
	CHECK_EQ(kt_boot_vm(img, KT_IMAGE_GFN, kt_data_pfn(0), 1), 1);
}

TEST(err_names)
{
	CHECK_STR_EQ(kcore_err_name(0), "OK");
	CHECK_STR_EQ(kcore_err_name(7), "OK");
	CHECK_STR_EQ(kcore_err_name(-KCORE_E_OP), "E_OP");
	CHECK_STR_EQ(kcore_err_name(-KCORE_E_VM_STATE), "E_VM_STATE");
	CHECK_STR_EQ(kcore_err_name(-KCORE_E_NOMEM), "E_NOMEM");
	CHECK_STR_EQ(kcore_err_name(-KCORE_E_NOT_MMIO), "E_NOT_MMIO");
	CHECK_STR_EQ(kcore_err_name(-KCORE_E__COUNT), "E_UNKNOWN");
	CHECK_STR_EQ(kcore_err_name(INT64_MIN), "E_UNKNOWN");
	for (int e = 1; e < KCORE_E__COUNT; e++) {
		const char *name = kcore_err_name(-e);
		CHECK(name[0] == 'E' && name[1] == '_');
		for (int f = 1; f < e; f++)
			CHECK(strcmp(name, kcore_err_name(-f)) != 0);
	}
}

TEST(unknown_operations)
{
	kt_up();
	CHECK_REJECTS(kt_hvc(0, 0, 0, 0), KCORE_E_OP);
	CHECK_REJECTS(kt_hvc(HVC__END, 1, 2, 3), KCORE_E_OP);
	CHECK_REJECTS(kt_hvc(UINT64_MAX, 0, 0, 0), KCORE_E_OP);
	CHECK_REJECTS(kt_ghvc(0, 0), KCORE_E_OP);
	CHECK_REJECTS(kt_ghvc(GHVC__END, 0), KCORE_E_OP);
	CHECK_REJECTS(kt_ghvc(1ull << 40, 0), KCORE_E_OP);
}

static const struct test_case cases[] = {
	CASE(init_default_layout),
	CASE(init_rejects_kcore_region_outside_ram),
	CASE(init_rejects_small_kcore_region),
	CASE(init_rejects_mmio_overlapping_ram),
	CASE(init_rejects_bad_ram_and_cpus),
	CASE(init_rejects_bad_caps),
	CASE(init_resets_everything),
	CASE(err_names),
	CASE(unknown_operations),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
