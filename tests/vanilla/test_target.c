/* The target interface and the baseline's view: choosing a target by
 * name, refusing layouts as KCore does, the host's identity map of every
 * page, and the state kcore_view.h shows for a baseline with no page
 * ownership. */
#include <string.h>

#include "guest_image.h"
#include "hyp/s2desc.h"
#include "setup.h"
#include "target_fixture.h"

#define E(code) (-(int64_t)KCORE_E_##code)

#define GUEST_CPU 1u
#define DATA_GFN 0x200ull

static unsigned tiny(void)
{
	for (unsigned i = 0; i < guest_image_count(); i++)
		if (strcmp(guest_image_name(i), "tiny") == 0)
			return i;
	CHECK_FAIL_("no guest image tiny");
}

TEST(target_by_name_finds_both)
{
	CHECK(target_by_name("kcore") == &target_kcore);
	CHECK(target_by_name("vanilla") == &target_vanilla);
	CHECK_STR_EQ(target_kcore.name, "kcore");
	CHECK_STR_EQ(target_vanilla.name, "vanilla");
	CHECK(target_by_name(NULL) == NULL);
	CHECK(target_by_name("") == NULL);
	CHECK(target_by_name("KCore") == NULL);
	CHECK(target_by_name("vanilla ") == NULL);
	CHECK(target_by_name("kvm") == NULL);
}

/* One broken field at a time; both targets refuse each with E_PFN. */
static void break_layout(struct kcore_boot *b, unsigned which)
{
	kt_layout(b);
	switch (which) {
	case 0: b->kcore_pages = target_vanilla.region_pages_needed() - 1; break;
	case 1: b->kcore_base_pfn = b->ram_base_pfn + b->ram_pages - 1; break;
	case 2: b->kcore_base_pfn = b->ram_base_pfn - b->kcore_pages; break;
	case 3: b->mmio_base_pfn = b->ram_base_pfn + b->ram_pages - 1; break;
	case 4: b->ncpus = 0; break;
	case 5: b->ncpus = sim_cfg()->ncpus + 1; break;
	case 6: b->ram_pages = 0; break;
	case 7: b->ram_pages = KCORE_MAX_RAM_PAGES + 1; break;
	case 8: b->ram_base_pfn = S2_MAX_GFN; break;
	case 9: b->mmio_base_pfn = S2_MAX_GFN; break;
	}
}
#define BROKEN_LAYOUTS 10

TEST(init_refuses_layouts_as_kcore_does)
{
	const struct hyp_target *targets[] = { &target_kcore, &target_vanilla };
	struct kcore_boot b;

	tf_machine();
	for (unsigned t = 0; t < 2; t++) {
		tf_boot(targets[t]);
		CHECK_EQ(tf_hvc(HVC_REGISTER_VM, 0, 0, 0), 1);
		for (unsigned which = 0; which < BROKEN_LAYOUTS; which++) {
			break_layout(&b, which);
			CHECK_EQ(targets[t]->init(&b), E(PFN));
		}
		CHECK_EQ(targets[t]->init(NULL), E(PFN));
		/* Nothing was reset by the refusals. */
		CHECK_EQ(tf_vm(1).state, VM_READY);
		kt_layout(&b);
		CHECK_EQ(targets[t]->view_boot()->kcore_pages, b.kcore_pages);
	}
}

TEST(host_maps_every_page)
{
	struct kcore_region_view region;
	uint64_t ram, mmio, v;

	tf_machine();
	ram = sim_cfg()->ram_base;
	mmio = sim_cfg()->mmio_base;
	tf_boot(&target_vanilla);
	target_vanilla.view_region(&region);
	/* The tables' own pages, the host's root included. */
	CHECK_EQ(target_vanilla.kserv_fault(region.kserv_root), 0);
	CHECK_EQ(target_vanilla.kserv_fault(tf_pa(region.base_pfn + region.pages - 1)), 0);
	CHECK_EQ(target_vanilla.kserv_fault(ram + sim_cfg()->ram_bytes - 1), 0);
	CHECK_EQ(target_vanilla.kserv_fault(ram + sim_cfg()->ram_bytes - 1), 0);
	CHECK_EQ(target_vanilla.kserv_fault(mmio + 0x123), 0);
	CHECK_EQ(target_vanilla.kserv_fault(ram + sim_cfg()->ram_bytes), E(PFN));
	CHECK_EQ(target_vanilla.kserv_fault(0), E(PFN));
	CHECK_EQ(target_vanilla.kserv_fault(UINT64_MAX), E(PFN));
	CHECK_EQ(tf_host_read(region.kserv_root, &v), SIM_OK);
	CHECK(s2_is_table(v, S2_START_LEVEL));

	/* Not from a CPU that runs a guest. */
	CHECK_EQ(tf_boot_vm(tiny(), tf_data_pfn(0), 1), 1);
	CHECK_EQ(tf_run(GUEST_CPU, 1, 0), 0);
	sim_set_cpu(GUEST_CPU);
	CHECK_EQ(target_vanilla.kserv_fault(ram + 0x2000000), E(CPU_STATE));
	sim_set_cpu(TF_HOST_CPU);

	/* Nothing is taken back: the image page stays mapped in the host. */
	struct sim_stage2 s2;
	struct sim_walk walk;
	sim_cpu_stage2(TF_HOST_CPU, &s2);
	CHECK_EQ(sim_s2_walk(s2.root, tf_pa(tf_data_pfn(0)), &walk), SIM_OK);
	CHECK_EQ(walk.pa, tf_pa(tf_data_pfn(0)));
}

static bool in_region(uint64_t pa, const struct kcore_region_view *r)
{
	uint64_t pfn = pa >> PAGE_SHIFT;

	return !(pa & PAGE_MASK) && pfn >= r->base_pfn && pfn - r->base_pfn < r->pages;
}

TEST(view_without_ownership)
{
	struct kcore_region_view region;
	struct kcore_smmu_view unit;
	struct kcore_cpu_view cpu;
	struct kcore_page_view page;
	uint64_t data;

	tf_machine();
	data = tf_data_pfn(8);
	tf_boot(&target_vanilla);
	CHECK_EQ(tf_boot_vm(tiny(), tf_data_pfn(0), 1), 1);
	CHECK_EQ(tf_run(GUEST_CPU, 1, 0), 0);
	CHECK_EQ(tf_hvc(HVC_MAP_VM_PAGE, 1, DATA_GFN, data), 0);
	CHECK_EQ(tf_ghvc(GUEST_CPU, GHVC_GRANT, DATA_GFN), 1);
	CHECK_EQ(tf_hvc(HVC_SMMU_ALLOC, 3, 1, 0), 0);
	CHECK_EQ(tf_hvc(HVC_SMMU_MAP, 3, 0x4000, data), 0);

	page = tf_page(data);
	CHECK_EQ(page.owner, KCORE_OWNER_KSERV);
	CHECK_EQ(page.gfn, KCORE_NO_GFN);
	CHECK_EQ(page.share, 1);
	CHECK_EQ(page.dma, 1);
	CHECK_EQ(tf_page(tf_data_pfn(0)).owner, KCORE_OWNER_KSERV);
	target_vanilla.view_region(&region);
	CHECK_EQ(tf_page(region.base_pfn).owner, KCORE_OWNER_KSERV);
	CHECK(!target_vanilla.view_page(tf_mmio_pfn(), &page));

	struct kcore_vm_view vm = tf_vm(1);
	CHECK_EQ(vm.state, VM_VERIFIED);
	CHECK(vm.vmid != 0);
	CHECK(in_region(vm.npt_root, &region));
	CHECK_EQ(vm.vcpu[0], VCPU_ACTIVE);
	CHECK_EQ(vm.vcpu_cpu[0], GUEST_CPU);
	CHECK_EQ(vm.boot_gfn, TF_IMAGE_GFN);
	CHECK_EQ(vm.image_pfn[0], tf_data_pfn(0));
	/* root, one level-2 table, and a level-3 table for each of the two
	 * gfns (0x80 and 0x200 lie in different 2 MiB ranges) */
	CHECK_EQ(vm.pool_used, 4);
	CHECK_EQ(tf_vm(2).state, VM_UNUSED);
	CHECK(!target_vanilla.view_vm(0, &vm));
	CHECK(!target_vanilla.view_vm(KCORE_MAX_VMS + 1, &vm));

	CHECK(target_vanilla.view_smmu(3, &unit));
	CHECK(unit.allocated);
	CHECK_EQ(unit.owner, 1);
	CHECK(in_region(unit.root, &region));
	CHECK(!target_vanilla.view_smmu(KCORE_SMMU_UNITS, &unit));

	CHECK(target_vanilla.view_cpu(GUEST_CPU, &cpu));
	CHECK_EQ(cpu.vm, 1);
	CHECK(target_vanilla.view_cpu(TF_HOST_CPU, &cpu));
	CHECK_EQ(cpu.vm, 0);
	CHECK(!target_vanilla.view_cpu(sim_cfg()->ncpus, &cpu));

	CHECK(in_region(region.kserv_root, &region));
	CHECK(region.kserv_pool_used >= 1);
	CHECK_EQ(target_vanilla.view_boot()->ram_pages, sim_cfg()->ram_bytes >> PAGE_SHIFT);
}

/* Every slot's brief (state, VMID, root) is its view's, on both targets,
 * through a VM's life: the isolation checks read briefs only. */
static void briefs_match_views(const struct hyp_target *t)
{
	for (unsigned vm = 0; vm <= KCORE_MAX_VMS + 1; vm++) {
		struct kcore_vm_view v;
		struct kcore_vm_brief b;
		bool ok = t->view_vm(vm, &v);
		CHECK_EQ(t->view_vm_brief(vm, &b), ok);
		if (!ok)
			continue;
		CHECK_EQ(b.state, v.state);
		CHECK_EQ(b.vmid, v.vmid);
		CHECK_EQ(b.npt_root, v.npt_root);
	}
}

TEST(brief_is_the_view_in_brief)
{
	const struct hyp_target *targets[] = { &target_kcore, &target_vanilla };

	tf_machine();
	for (unsigned t = 0; t < 2; t++) {
		tf_boot(targets[t]);
		briefs_match_views(targets[t]);
		CHECK_EQ(tf_hvc(HVC_REGISTER_VM, 0, 0, 0), 1);
		briefs_match_views(targets[t]);
		CHECK_EQ(tf_boot_vm(tiny(), tf_data_pfn(0), 1), 2);
		CHECK_EQ(tf_run(GUEST_CPU, 2, 0), 0);
		briefs_match_views(targets[t]);
		CHECK(tf_vm(2).vmid != 0);
		CHECK_EQ(tf_ghvc(GUEST_CPU, GHVC_POWER_OFF, 0), 0);
		briefs_match_views(targets[t]);
		CHECK_EQ(tf_hvc(HVC_CLEAR_VM, 2, 0, 0), 0);
		briefs_match_views(targets[t]);
		CHECK_EQ(tf_vm(2).state, VM_UNUSED);
	}
}

static const struct test_case cases[] = {
	CASE(target_by_name_finds_both),
	CASE(init_refuses_layouts_as_kcore_does),
	CASE(host_maps_every_page),
	CASE(view_without_ownership),
	CASE(brief_is_the_view_in_brief),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
