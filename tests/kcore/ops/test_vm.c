/* VM slots and vCPUs: register_vm, register_vcpu, vcpu_run, the guest's
 * exit and power_off, and VMID allocation. */
#include "helpers.h"

TEST(register_vm_fresh_slot)
{
	kt_up();
	kt_events_start();
	CHECK_EQ(kt_hvc(HVC_REGISTER_VM, 0, 0, 0), 1);
	kt_events_stop();
	struct kcore_vm_view v = kt_vm(1);
	struct kcore_region_view region;

	kcore_view_region(&region);
	CHECK_EQ(v.state, VM_READY);
	CHECK(v.vmid >= 1);
	CHECK_EQ(v.pool_used, 1);
	CHECK(!v.boot_set);
	CHECK(v.npt_root >> PAGE_SHIFT >= region.base_pfn);
	CHECK(v.npt_root >> PAGE_SHIFT < region.base_pfn + region.pages);
	for (unsigned c = 0; c < KCORE_MAX_VCPUS; c++) {
		CHECK_EQ(v.vcpu[c], VCPU_UNUSED);
		CHECK_EQ(v.vcpu_cpu[c], -1);
	}
	/* The root table is zeroed before use. */
	CHECK(kt_find_event(0, EV_PAGE_ZERO, true, v.npt_root) != SIZE_MAX);
	CHECK_EQ(kt_hvc(HVC_REGISTER_VM, 0, 0, 0), 2);
	CHECK(kt_vm(2).vmid != v.vmid);
	CHECK(kt_vm(2).npt_root != v.npt_root);
}

TEST(register_vm_limit)
{
	kt_up();
	for (unsigned vm = 1; vm <= KCORE_MAX_VMS; vm++)
		CHECK_EQ(kt_hvc(HVC_REGISTER_VM, 0, 0, 0), vm);
	CHECK_REJECTS(kt_hvc(HVC_REGISTER_VM, 0, 0, 0), KCORE_E_VM_LIMIT);
}

TEST(register_vcpu_checks)
{
	kt_up();
	unsigned booted = kt_boot_vm(kt_image("tiny"), KT_IMAGE_GFN, kt_data_pfn(0), 1);
	unsigned vm = (unsigned)kt_hvc(HVC_REGISTER_VM, 0, 0, 0);

	CHECK_REJECTS(kt_hvc(HVC_REGISTER_VCPU, 0, 0, 0), KCORE_E_VM);
	CHECK_REJECTS(kt_hvc(HVC_REGISTER_VCPU, KCORE_MAX_VMS + 1, 0, 0), KCORE_E_VM);
	CHECK_REJECTS(kt_hvc(HVC_REGISTER_VCPU, vm + 1, 0, 0), KCORE_E_VM); /* unused slot */
	CHECK_REJECTS(kt_hvc(HVC_REGISTER_VCPU, booted, 1, 0), KCORE_E_VM_STATE);
	CHECK_REJECTS(kt_hvc(HVC_REGISTER_VCPU, vm, KCORE_MAX_VCPUS, 0), KCORE_E_VCPU);
	CHECK_REJECTS(kt_hvc(HVC_REGISTER_VCPU, vm, UINT64_MAX, 0), KCORE_E_VCPU);
	CHECK_EQ(kt_hvc(HVC_REGISTER_VCPU, vm, KCORE_MAX_VCPUS - 1, 0), 0);
	CHECK_EQ(kt_vm(vm).vcpu[KCORE_MAX_VCPUS - 1], VCPU_READY);
	CHECK_REJECTS(kt_hvc(HVC_REGISTER_VCPU, vm, KCORE_MAX_VCPUS - 1, 0), KCORE_E_VCPU_STATE);
}

TEST(vcpu_run_enters_guest)
{
	kt_up();
	unsigned vm = kt_boot_vm(kt_image("tiny"), KT_IMAGE_GFN, kt_data_pfn(0), 2);
	struct kcore_vm_view v = kt_vm(vm);
	struct sim_stage2 s2;
	struct kcore_cpu_view cv;

	kt_run(2, vm, 1);
	sim_cpu_stage2(2, &s2);
	CHECK_EQ(s2.vmid, v.vmid);
	CHECK_EQ(s2.root, v.npt_root);
	CHECK(kcore_view_cpu(2, &cv));
	CHECK_EQ(cv.vm, vm);
	CHECK_EQ(cv.vcpu, 1);
	CHECK_EQ(kt_vm(vm).vcpu[1], VCPU_ACTIVE);
	CHECK_EQ(kt_vm(vm).vcpu_cpu[1], 2);
	/* The guest now sees its image, and nothing of KServ's. */
	uint64_t val;
	CHECK_EQ(kt_cpu_access(KT_IMAGE_GFN << PAGE_SHIFT, 0, &val), SIM_OK);
	CHECK(kt_cpu_access(kt_data_pfn(40) << PAGE_SHIFT, 0, &val) != SIM_OK);

	/* exit: back on KServ's stage-2. */
	CHECK_EQ(kt_ghvc(GHVC_EXIT, 0), 0);
	sim_cpu_stage2(2, &s2);
	CHECK_EQ(s2.vmid, 0);
	CHECK_EQ(kt_vm(vm).vcpu[1], VCPU_READY);
	CHECK_EQ(kt_vm(vm).vcpu_cpu[1], -1);
	CHECK(kcore_view_cpu(2, &cv));
	CHECK_EQ(cv.vm, 0);
	kt_run(0, vm, 1); /* runs again, elsewhere */
}

TEST(vcpu_run_checks)
{
	kt_up();
	unsigned vm = kt_boot_vm(kt_image("tiny"), KT_IMAGE_GFN, kt_data_pfn(0), 2);
	unsigned ready = (unsigned)kt_hvc(HVC_REGISTER_VM, 0, 0, 0);

	CHECK_EQ(kt_hvc(HVC_REGISTER_VCPU, ready, 0, 0), 0);
	CHECK_REJECTS(kt_hvc(HVC_VCPU_RUN, 0, 0, 0), KCORE_E_VM);
	CHECK_REJECTS(kt_hvc(HVC_VCPU_RUN, ready + 1, 0, 0), KCORE_E_VM);
	CHECK_REJECTS(kt_hvc(HVC_VCPU_RUN, ready, 0, 0), KCORE_E_VM_STATE);
	CHECK_REJECTS(kt_hvc(HVC_VCPU_RUN, vm, KCORE_MAX_VCPUS, 0), KCORE_E_VCPU);
	CHECK_REJECTS(kt_hvc(HVC_VCPU_RUN, vm, 2, 0), KCORE_E_VCPU_STATE); /* unregistered */
	kt_run(1, vm, 0);
	sim_set_cpu(0);
	CHECK_REJECTS(kt_hvc(HVC_VCPU_RUN, vm, 0, 0), KCORE_E_VCPU_STATE); /* active on CPU 1 */
	/* CPU 1 is in a guest: it cannot run a second vCPU. */
	sim_set_cpu(1);
	CHECK_REJECTS(kt_hvc(HVC_VCPU_RUN, vm, 1, 0), KCORE_E_CPU_STATE);
}

TEST(guest_calls_need_a_guest)
{
	kt_up();
	kt_boot_vm(kt_image("tiny"), KT_IMAGE_GFN, kt_data_pfn(0), 1);
	CHECK_REJECTS(kt_ghvc(GHVC_GRANT, KT_IMAGE_GFN), KCORE_E_CPU_STATE);
	CHECK_REJECTS(kt_ghvc(GHVC_REVOKE, KT_IMAGE_GFN), KCORE_E_CPU_STATE);
	CHECK_REJECTS(kt_ghvc(GHVC_POWER_OFF, 0), KCORE_E_CPU_STATE);
	CHECK_REJECTS(kt_ghvc(GHVC_EXIT, 0), KCORE_E_CPU_STATE);
}

TEST(power_off_with_other_vcpus_running)
{
	kt_up();
	unsigned vm = kt_boot_vm(kt_image("tiny"), KT_IMAGE_GFN, kt_data_pfn(0), 2);
	struct sim_stage2 s2;

	kt_run(1, vm, 0);
	kt_run(2, vm, 1);
	CHECK_EQ(kt_ghvc(GHVC_POWER_OFF, 0), 0); /* vCPU 1 on CPU 2 */
	CHECK_EQ(kt_vm(vm).state, VM_POWERED_OFF);
	CHECK_EQ(kt_vm(vm).vcpu[1], VCPU_READY);
	CHECK_EQ(kt_vm(vm).vcpu[0], VCPU_ACTIVE);
	sim_cpu_stage2(2, &s2);
	CHECK_EQ(s2.vmid, 0);
	/* vCPU 0 runs on until it exits; clear_vm must wait for it. */
	sim_set_cpu(0);
	CHECK_REJECTS(kt_hvc(HVC_CLEAR_VM, vm, 0, 0), KCORE_E_VCPU_STATE);
	CHECK_REJECTS(kt_hvc(HVC_VCPU_RUN, vm, 1, 0), KCORE_E_VM_STATE);
	sim_set_cpu(1);
	uint64_t val;
	CHECK_EQ(kt_cpu_access(KT_IMAGE_GFN << PAGE_SHIFT, 0, &val), SIM_OK);
	CHECK_EQ(kt_ghvc(GHVC_GRANT, KT_IMAGE_GFN), 1);
	CHECK_EQ(kt_ghvc(GHVC_EXIT, 0), 0);
	CHECK_EQ(kt_hvc(HVC_CLEAR_VM, vm, 0, 0), 0);
	CHECK_EQ(kt_vm(vm).state, VM_UNUSED);
}

/* Two live VMs never share a VMID. */
TEST(vmids_distinct_for_live_vms)
{
	kt_up();
	for (unsigned vm = 1; vm <= KCORE_MAX_VMS; vm++)
		CHECK_EQ(kt_hvc(HVC_REGISTER_VM, 0, 0, 0), vm);
	for (unsigned a = 1; a <= KCORE_MAX_VMS; a++)
		for (unsigned b = a + 1; b <= KCORE_MAX_VMS; b++)
			CHECK(kt_vm(a).vmid != kt_vm(b).vmid);
}

/* A VMID comes back only after a TLBI ALLE1IS, and never while a live VM
 * holds it. */
TEST(vmid_fresh_across_register_clear_cycles)
{
	static bool used[256];
	unsigned flushes = 0;

	kt_up();
	/* A VM that lives through every cycle. */
	unsigned keeper = kt_boot_vm(kt_image("tiny"), KT_IMAGE_GFN, kt_data_pfn(0), 1);
	uint16_t keeper_vmid = kt_vm(keeper).vmid;
	used[keeper_vmid] = true;

	for (unsigned cycle = 0; cycle < 600; cycle++) {
		kt_events_start();
		int64_t vm = kt_hvc(HVC_REGISTER_VM, 0, 0, 0);
		kt_events_stop();
		CHECK(vm >= 1);
		uint16_t vmid = kt_vm((unsigned)vm).vmid;

		if (kt_find_event(0, EV_TLBI_ALL, false, 0) != SIZE_MAX) {
			/* Every TLB flushed: only live VMs' VMIDs stay taken. */
			CHECK(kt_find_event(0, EV_DSB, false, 0) != SIZE_MAX);
			flushes++;
			for (unsigned i = 0; i < 256; i++)
				used[i] = false;
			used[keeper_vmid] = true;
		}
		CHECK(vmid != 0);
		CHECK(vmid != keeper_vmid);
		CHECK(!used[vmid]);
		used[vmid] = true;

		/* A failed verify powers it off, so clear_vm can take it back. */
		CHECK_EQ(kt_hvc(HVC_SET_BOOT_INFO, vm, 0, 1), 0);
		CHECK_EQ(kt_hvc(HVC_REMAP_VM_IMAGE, vm, kt_data_pfn(100), 0), 0);
		CHECK_EQ(kt_hvc(HVC_VERIFY_VM_IMAGE, vm, 0, 0), -KCORE_E_VERIFY);
		CHECK_EQ(kt_hvc(HVC_CLEAR_VM, vm, 0, 0), 0);
	}
	CHECK(flushes >= 2);
}

static const struct test_case cases[] = {
	CASE(register_vm_fresh_slot),
	CASE(register_vm_limit),
	CASE(register_vcpu_checks),
	CASE(vcpu_run_enters_guest),
	CASE(vcpu_run_checks),
	CASE(guest_calls_need_a_guest),
	CASE(power_off_with_other_vcpus_running),
	CASE(vmids_distinct_for_live_vms),
	CASE(vmid_fresh_across_register_clear_cycles),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
