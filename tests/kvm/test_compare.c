/* The real-KVM comparison's judgement, without QEMU: the outcome
 * classifier (compare_outcome.c) and the model/KVM step matcher
 * (compare_match.c), each fed a known-bad history that must give exactly
 * its verdict and a near miss that must not. */
#include "check.h"
#include "compare/compare.h"
#include "compare/compare_match.h"
#include "compare/compare_views.h"
#include "program/file/progfile.h"
#include "sim/machine.h"
#include "program/text/text.h"

#define BOOT_VM                                                                          \
	"config cpus=2\ncpu0 register_vm\ncpu0 register_vcpu vm=1 vcpu=0\n"               \
	"cpu0 set_boot_info vm=1 gpa=0x80000000 npages=1\n"                               \
	"cpu0 kserv_load img=tiny idx=0 pfn=0x400e0\ncpu0 remap_vm_image vm=1 pfn=0x400e0 idx=0\n" \
	"cpu0 verify_vm_image vm=1\n"
#define RUN_VM BOOT_VM "cpu0 map_vm_page vm=1 gfn=0x80001 pfn=0x400e1\ncpu0 vcpu_run vm=1 vcpu=0\n"
#define SECRET "0x5ec2e75ec2e70001"

static struct kvm_case kc;

static void setup(void)
{
	static bool done;
	if (!done) {
		struct exec_options eo = { .target = &target_vanilla, .oracles = 0 };
		CHECK(exec_setup(&eo) == 0);
		done = true;
	}
}

/* kc: the program, the baseline's run, and KVM observing exactly what
 * the baseline did on every applicable step. */
static void load(const char *text)
{
	char err[256];
	setup();
	memset(&kc, 0, sizeof(kc));
	if (program_parse(text, "test", progfile_images(), &kc.prog, err, sizeof(err)) != 0)
		CHECK_FAIL_("%s", err);
	kvm_case_prepare(&kc);
	for (unsigned j = 0; j < kc.norder; j++) {
		unsigned i = kc.order[j];
		const struct step_obs *o = &kc.ref.obs[i];
		char status = o->status == OBS_DONE ? 'd' : o->status == OBS_NOT_HOST ? 'h' : 'g';
		/* a guest call where no guest runs: on KVM there is no guest to make it */
		if (program_step_info(kc.prog.step[i].kind)->cls == STEP_CLASS_GUEST_CALL && o->ret == -KCORE_E_CPU_STATE)
			status = 'g';
		kc.obs[i] = (struct kvm_obs){ .have = true, .status = status, .ret = o->ret, .val = o->val,
					      .fault = o->fault != SIM_OK };
	}
	kc.ended = true;
}

static unsigned kvm_breaks(void)
{
	static struct target_run t;
	views_from_kvm(&kc, &t);
	return t.out.breaks;
}

static unsigned model_breaks(void)
{
	static struct target_run t;
	views_from_model(&kc.prog, &kc.ref, &t);
	return t.out.breaks;
}

TEST(host_read_of_a_secret)
{
	load(RUN_VM "cpu0 guest_write gfn=0x80001 off=0x8 val=" SECRET "\ncpu1 kserv_read pa=0x400e1008\n");
	CHECK_EQ(kvm_breaks(), OUT_HOST_READ);
	CHECK_EQ(model_breaks(), OUT_HOST_READ);
}

TEST(no_host_read_of_a_granted_page)
{
	load(RUN_VM "cpu0 guest_write gfn=0x80001 off=0x8 val=" SECRET "\ncpu0 guest_grant gfn=0x80001\n"
		    "cpu1 kserv_read pa=0x400e1008\n");
	CHECK_EQ(kvm_breaks(), 0);
	CHECK_EQ(model_breaks(), 0);
}

TEST(residue_after_clear)
{
	load(RUN_VM "cpu0 guest_write gfn=0x80001 off=0x8 val=" SECRET "\ncpu0 guest_power_off\n"
		    "cpu1 clear_vm vm=1\ncpu1 kserv_read pa=0x400e1008\n");
	CHECK_EQ(kvm_breaks(), OUT_RESIDUE);
}

TEST(no_residue_when_scrubbed)
{
	load(RUN_VM "cpu0 guest_write gfn=0x80001 off=0x8 val=" SECRET "\ncpu0 guest_power_off\n"
		    "cpu1 clear_vm vm=1\ncpu1 kserv_read pa=0x400e1008\n");
	kc.obs[11].val = 0; /* a scrubbed page reads zero */
	CHECK_EQ(kvm_breaks(), 0);
}

TEST(host_write_into_a_vm_page)
{
	load(RUN_VM "cpu1 kserv_write pa=0x400e1010 val=0x4057000040570000\ncpu0 guest_read gfn=0x80001 off=0x10\n");
	CHECK_EQ(kvm_breaks(), OUT_HOST_WRITE);
}

TEST(no_host_write_before_the_page_was_given)
{
	load(BOOT_VM "cpu1 kserv_write pa=0x400e1010 val=0x4057000040570000\n"
		     "cpu0 map_vm_page vm=1 gfn=0x80001 pfn=0x400e1\ncpu0 vcpu_run vm=1 vcpu=0\n"
		     "cpu0 guest_read gfn=0x80001 off=0x10\n");
	CHECK_EQ(kvm_breaks(), 0);
}

TEST(vm_device_is_not_the_host)
{
	load(RUN_VM "cpu0 guest_write gfn=0x80001 off=0x8 val=" SECRET "\ncpu0 guest_exit\n"
		    "cpu1 smmu_alloc unit=1 owner=1\ncpu1 smmu_map unit=1 iova=0x1000 pfn=0x400e1\n"
		    "cpu1 dma_read unit=1 iova=0x1008\n");
	CHECK_EQ(model_breaks(), 0);
}

TEST(kserv_device_is_the_host)
{
	load(RUN_VM "cpu0 guest_write gfn=0x80001 off=0x8 val=" SECRET "\ncpu0 guest_exit\n"
		    "cpu1 smmu_alloc unit=1 owner=0\ncpu1 smmu_map unit=1 iova=0x1000 pfn=0x400e1\n"
		    "cpu1 dma_read unit=1 iova=0x1008\n");
	CHECK_EQ(model_breaks(), OUT_HOST_READ);
}

TEST(agreeing_runs_match)
{
	struct case_match m;
	load(RUN_VM "cpu0 guest_write gfn=0x80001 off=0x8 val=" SECRET "\ncpu1 kserv_read pa=0x400e1008\n"
		    "cpu0 guest_exit\ncpu0 guest_exit\n");
	match_case(&kc, &m);
	CHECK_EQ(m.different, 0);
	CHECK_EQ(m.explained, 0);
	CHECK_EQ(m.same, kc.norder);
}

TEST(a_different_read_is_a_mismatch)
{
	struct case_match m;
	load(RUN_VM "cpu0 guest_write gfn=0x80001 off=0x8 val=" SECRET "\ncpu1 kserv_read pa=0x400e1008\n");
	kc.obs[9].val = 0;
	match_case(&kc, &m);
	CHECK_EQ(m.different, 1);
	CHECK_EQ(m.diff[0].step, 9);
	CHECK_EQ(m.diff[0].verdict, MATCH_DIFFERENT);
}

TEST(a_different_fault_is_a_mismatch)
{
	struct case_match m;
	load(RUN_VM "cpu0 guest_read gfn=0x80001 off=0x8\n");
	kc.obs[8].fault = true;
	match_case(&kc, &m);
	CHECK_EQ(m.different, 1);
	CHECK_EQ(m.diff[0].step, 8);
}

TEST(difference_after_smmu_map_is_explained)
{
	struct case_match m;
	load(RUN_VM "cpu1 smmu_alloc unit=1 owner=0\ncpu1 smmu_map unit=1 iova=0x1000 pfn=0x400e1\n"
		    "cpu1 dma_write unit=1 iova=0x1008 val=0x8000\ncpu0 guest_read gfn=0x80001 off=0x8\n");
	kc.obs[11].val = 0; /* KVM has no DMA: the guest reads zero */
	match_case(&kc, &m);
	CHECK_EQ(m.different, 0);
	CHECK_EQ(m.explained, 1);
	CHECK_EQ(m.diff[0].verdict, MATCH_EXPLAINED);
}

TEST(early_map_is_explained_once)
{
	struct case_match m;
	load("config cpus=1\ncpu0 register_vm\ncpu0 register_vcpu vm=1 vcpu=0\n"
	     "cpu0 map_vm_page vm=1 gfn=0x80001 pfn=0x400e1\n");
	CHECK(kc.ref.obs[2].ret == -KCORE_E_VM_STATE);
	kc.obs[2].ret = 0; /* KVM takes the slot */
	match_case(&kc, &m);
	CHECK_EQ(m.different, 0);
	CHECK_EQ(m.explained, 1);
	kc.obs[1].ret = -22; /* but a refused vCPU is a mismatch */
	match_case(&kc, &m);
	CHECK_EQ(m.different, 1);
}

TEST(stopped_vcpu_is_explained)
{
	struct case_match m;
	load(BOOT_VM "cpu0 register_vcpu vm=1 vcpu=1\ncpu0 vcpu_run vm=1 vcpu=0\ncpu1 vcpu_run vm=1 vcpu=1\n"
		     "cpu0 guest_power_off\ncpu1 guest_read gfn=0x80000 off=0x0\n");
	kc.obs[10] = (struct kvm_obs){ .have = true, .status = 's' };
	match_case(&kc, &m);
	CHECK_EQ(m.different, 0);
	CHECK_EQ(m.explained, 1);
	kc.obs[10] = (struct kvm_obs){ .have = true, .status = 'x' }; /* a broken run is not */
	match_case(&kc, &m);
	CHECK_EQ(m.different, 1);
}

TEST(guest_call_without_guest_matches)
{
	struct case_match m;
	load("config cpus=1\ncpu0 guest_exit\n");
	CHECK(kc.ref.obs[0].ret == -KCORE_E_CPU_STATE);
	kc.obs[0] = (struct kvm_obs){ .have = true, .status = 'g' };
	match_case(&kc, &m);
	CHECK_EQ(m.different, 0);
	CHECK_EQ(m.same, 1);
}

TEST(hyp_region_and_machine_events_are_not_applicable)
{
	load(RUN_VM "cpu1 kserv_read pa=0x40042000\ncpu1 tlb_fill ipa=0x400e1000\ncpu1 kserv_read pa=0x400e1000\n");
	CHECK(kvm_step_why_not(&kc.prog.step[8]) != NULL);
	CHECK(kvm_step_why_not(&kc.prog.step[9]) != NULL);
	CHECK(kvm_step_why_not(&kc.prog.step[10]) == NULL);
}

static const struct test_case cases[] = {
	CASE(host_read_of_a_secret), CASE(no_host_read_of_a_granted_page), CASE(residue_after_clear),
	CASE(no_residue_when_scrubbed), CASE(host_write_into_a_vm_page), CASE(no_host_write_before_the_page_was_given),
	CASE(vm_device_is_not_the_host), CASE(kserv_device_is_the_host), CASE(agreeing_runs_match),
	CASE(a_different_read_is_a_mismatch), CASE(a_different_fault_is_a_mismatch),
	CASE(difference_after_smmu_map_is_explained), CASE(early_map_is_explained_once),
	CASE(stopped_vcpu_is_explained), CASE(guest_call_without_guest_matches), CASE(hyp_region_and_machine_events_are_not_applicable),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
