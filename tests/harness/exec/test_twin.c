/* The noninterference oracle through the executor: a twin run with other
 * VM-private values must show KServ the same.  It fires on the baseline
 * when KServ reads a reclaimed VM's secret, stays silent when the guest
 * had shared that page, and stays silent on KCore, which scrubs. */
#include <string.h>

#include "exec/exec_twin.h"
#include "harness_fixture.h"

#define SECRET 0x5ec2e75ec2e70001ull
#define READ_STEP 12

/* The guest's step 8 and step 9 (%s, %s) in its page at gfn 0x80001,
 * then it powers off, KServ reclaims the VM and reads the page (step 12).
 * load() puts the secret's write at step 8 and step 9 is an optional
 * grant of the page before power-off. */
static const char secret_after_clear[] =
	"config cpus=2\n"
	"cpu0 register_vm\n"
	"cpu0 register_vcpu vm=1 vcpu=0\n"
	"cpu0 set_boot_info vm=1 gpa=0x80000000 npages=1\n"
	"cpu0 kserv_load img=tiny idx=0 pfn=0x400e0\n"
	"cpu0 remap_vm_image vm=1 pfn=0x400e0 idx=0\n"
	"cpu0 verify_vm_image vm=1\n"
	"cpu0 map_vm_page vm=1 gfn=0x80001 pfn=0x400e1\n"
	"cpu0 vcpu_run vm=1 vcpu=0\n"
	"cpu0 %s\n"
	"cpu0 %s\n"
	"cpu0 guest_power_off\n"
	"cpu1 clear_vm vm=1\n"
	"cpu1 kserv_read pa=0x400e1008\n";

#define WRITE_SECRET "guest_write gfn=0x80001 off=0x8 val=0x5ec2e75ec2e70001"
/* the same value to a gfn the VM has no page at: it faults */
#define WRITE_NOWHERE "guest_write gfn=0x80005 off=0x8 val=0x5ec2e75ec2e70001"

static struct program prog;
static struct exec_result r;

static void load_steps(const char *step8, const char *step9)
{
	char text[sizeof(secret_after_clear) + 128];

	snprintf(text, sizeof(text), secret_after_clear, step8, step9);
	hf_parse(text, &prog);
	CHECK_EQ(prog.nsteps, 13);
}

static void load(const char *step9)
{
	load_steps(WRITE_SECRET, step9);
}

TEST(fires_on_secret_read_after_clear)
{
	hf_setup(&target_vanilla, ORACLE_NI);
	load("guest_read gfn=0x80001 off=0x8");
	CHECK(exec_run(&prog, &r));
	CHECK_EQ(r.v.kind, V_NONINTERFERENCE);
	CHECK_EQ(r.v.step, READ_STEP);
	CHECK_EQ(r.v.cpu, 1);
	CHECK_EQ(r.v.expected, SECRET);
	CHECK(r.v.actual != SECRET);
	hf_teardown();
}

/* Without the noninterference oracle the same run is clean: the violation
 * above came from the twin, not from a step that failed. */
TEST(silent_with_oracle_off)
{
	hf_setup(&target_vanilla, 0);
	load("guest_read gfn=0x80001 off=0x8");
	CHECK(!exec_run(&prog, &r));
	CHECK_EQ(r.obs[READ_STEP].val, SECRET);
	hf_teardown();
}

/* The near miss: the guest shared the page before KServ read it, so what
 * it wrote there was KServ's to see. */
TEST(silent_when_page_was_granted)
{
	hf_setup(&target_vanilla, ORACLE_NI);
	load("guest_grant gfn=0x80001");
	if (exec_run(&prog, &r))
		hf_fail_run("noninterference on a page the guest had shared", &prog, &r);
	CHECK_EQ(r.obs[9].ret, 1);
	CHECK_EQ(r.obs[READ_STEP].val, SECRET);
	hf_teardown();
}

/* KCore scrubs the page on clear_vm: KServ reads zero in both runs. */
TEST(silent_on_kcore)
{
	hf_setup(&target_kcore, ORACLE_ALL);
	load("guest_read gfn=0x80001 off=0x8");
	if (exec_run(&prog, &r))
		hf_fail_run("violation on KCore", &prog, &r);
	CHECK_EQ(r.obs[READ_STEP].fault, 0);
	CHECK_EQ(r.obs[READ_STEP].val, 0);
	hf_teardown();
}

/* The twin runs only when KServ observes something after a private
 * write, and only up to its last such observation. */
TEST(runs_only_as_far_as_kserv_looks)
{
	struct exec_twin_counts c0, c1, c2;
	hf_setup(&target_vanilla, ORACLE_NI);

	/* KServ's read comes after the write: the twin runs, up to that read
	 * (the last step), so all 13 steps */
	load("guest_read gfn=0x80001 off=0x8");
	exec_twin_counts(&c0);
	exec_run(&prog, &r);
	exec_twin_counts(&c1);
	CHECK_EQ(c1.runs, c0.runs + 1);
	CHECK_EQ(c1.steps, c0.steps + 13);

	/* KServ reads before the guest writes, and nothing KServ sees comes
	 * after: no twin */
	hf_parse("config cpus=1\n"
		 "cpu0 register_vm\n"
		 "cpu0 register_vcpu vm=1 vcpu=0\n"
		 "cpu0 set_boot_info vm=1 gpa=0x80000000 npages=1\n"
		 "cpu0 kserv_load img=tiny idx=0 pfn=0x400e0\n"
		 "cpu0 remap_vm_image vm=1 pfn=0x400e0 idx=0\n"
		 "cpu0 verify_vm_image vm=1\n"
		 "cpu0 map_vm_page vm=1 gfn=0x80001 pfn=0x400e1\n"
		 "cpu0 kserv_read pa=0x40002000\n"
		 "cpu0 vcpu_run vm=1 vcpu=0\n"
		 "cpu0 guest_write gfn=0x80001 off=0x8 val=0x5ec2e75ec2e70001\n"
		 "cpu0 guest_read gfn=0x80001 off=0x8\n", &prog);
	CHECK(!exec_run(&prog, &r));
	exec_twin_counts(&c2);
	CHECK_EQ(c2.runs, c1.runs);

	/* the same with a guest exit and a KServ read after the write: the
	 * twin runs to that read and no further */
	hf_parse("config cpus=1\n"
		 "cpu0 register_vm\n"
		 "cpu0 register_vcpu vm=1 vcpu=0\n"
		 "cpu0 set_boot_info vm=1 gpa=0x80000000 npages=1\n"
		 "cpu0 kserv_load img=tiny idx=0 pfn=0x400e0\n"
		 "cpu0 remap_vm_image vm=1 pfn=0x400e0 idx=0\n"
		 "cpu0 verify_vm_image vm=1\n"
		 "cpu0 map_vm_page vm=1 gfn=0x80001 pfn=0x400e1\n"
		 "cpu0 vcpu_run vm=1 vcpu=0\n"
		 "cpu0 guest_write gfn=0x80001 off=0x8 val=0x5ec2e75ec2e70001\n"
		 "cpu0 guest_exit\n"
		 "cpu0 kserv_read pa=0x40002000\n"
		 "cpu0 vcpu_run vm=1 vcpu=0\n"
		 "cpu0 guest_read gfn=0x80001 off=0x8\n"
		 "cpu0 guest_read gfn=0x80001 off=0x10\n", &prog);
	CHECK(!exec_run(&prog, &r));
	exec_twin_counts(&c0);
	CHECK_EQ(c0.runs, c2.runs + 1);
	CHECK_EQ(c0.steps, c2.steps + 12); /* through the read, step 11 */
	hf_teardown();
}

/* A private write that faulted wrote nothing: with no other, the twin
 * would run step for step as the first run did, so it is not run.  One
 * that faulted before one that landed leaves the twin as it was: it
 * still runs, and still finds the secret. */
TEST(faulted_private_writes_need_no_twin)
{
	struct exec_twin_counts c0, c1, c2;
	hf_setup(&target_vanilla, ORACLE_NI);

	load_steps(WRITE_NOWHERE, "guest_read gfn=0x80001 off=0x8");
	exec_twin_counts(&c0);
	if (exec_run(&prog, &r))
		hf_fail_run("noninterference with no private value in memory", &prog, &r);
	exec_twin_counts(&c1);
	CHECK(r.obs[8].fault != 0);
	CHECK_EQ(c1.runs, c0.runs);

	load_steps(WRITE_NOWHERE, WRITE_SECRET);
	CHECK(exec_run(&prog, &r));
	exec_twin_counts(&c2);
	CHECK_EQ(r.v.kind, V_NONINTERFERENCE);
	CHECK_EQ(r.v.step, READ_STEP);
	CHECK_EQ(r.v.expected, SECRET);
	CHECK_EQ(c2.runs, c1.runs + 1);
	hf_teardown();
}

static const struct test_case cases[] = {
	CASE(runs_only_as_far_as_kserv_looks),
	CASE(faulted_private_writes_need_no_twin),
	CASE(fires_on_secret_read_after_clear),
	CASE(silent_with_oracle_off),
	CASE(silent_when_page_was_granted),
	CASE(silent_on_kcore),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
