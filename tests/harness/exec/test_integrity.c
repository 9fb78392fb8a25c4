/* The integrity twin through the executor: a twin run in which everything
 * KServ writes into pages it may not write is changed must show the VMs
 * the same.  It fires on the baseline when KServ writes a page it gave a
 * VM and the guest reads it, and stays silent when the guest had granted
 * the page, when KServ wrote the page while it was still its own, and on
 * KCore, which takes the page away. */
#include <string.h>

#include "exec/exec_twin_integrity.h"
#include "harness_fixture.h"

#define READ_STEP 11
#define KSERV_VAL 0x4057000040570000ull

/* KServ offers page 0x400e1 to VM 1 at gfn 0x80001 (step 6); %s (step 8)
 * is a guest step before KServ writes the page (step 10) and the guest
 * reads the word back (step 11).  %s (step 5) is what KServ does first. */
static const char write_after_handover[] =
	"config cpus=2\n"
	"cpu0 register_vm\n"
	"cpu0 register_vcpu vm=1 vcpu=0\n"
	"cpu0 set_boot_info vm=1 gpa=0x80000000 npages=1\n"
	"cpu0 kserv_load img=tiny idx=0 pfn=0x400e0\n"
	"cpu0 remap_vm_image vm=1 pfn=0x400e0 idx=0\n"
	"cpu0 %s\n"
	"cpu0 verify_vm_image vm=1\n"
	"cpu0 map_vm_page vm=1 gfn=0x80001 pfn=0x400e1\n"
	"cpu0 vcpu_run vm=1 vcpu=0\n"
	"cpu0 %s\n"
	"cpu1 kserv_write pa=0x400e1010 val=0x4057000040570000\n"
	"cpu0 guest_read gfn=0x80001 off=0x10\n";

static struct program prog;
static struct exec_result r;

static void load(const char *step5, const char *step9)
{
	char text[sizeof(write_after_handover) + 128];

	snprintf(text, sizeof(text), write_after_handover, step5, step9);
	hf_parse(text, &prog);
	CHECK_EQ(prog.nsteps, 12);
}

TEST(fires_on_kserv_write_to_vm_page)
{
	hf_setup(&target_vanilla, ORACLE_INTEGRITY);
	load("kserv_read pa=0x400e1000", "guest_read gfn=0x80001 off=0x8");
	CHECK(exec_run(&prog, &r));
	if (r.v.kind != V_INTEGRITY)
		violation_print(stderr, &r.v);
	CHECK_EQ(r.v.kind, V_INTEGRITY);
	CHECK_EQ(r.v.step, READ_STEP);
	CHECK_EQ(r.v.vm, 1);
	CHECK_EQ(r.v.expected, KSERV_VAL);
	CHECK(r.v.actual != KSERV_VAL);
	hf_teardown();
}

TEST(silent_with_oracle_off)
{
	hf_setup(&target_vanilla, 0);
	load("kserv_read pa=0x400e1000", "guest_read gfn=0x80001 off=0x8");
	CHECK(!exec_run(&prog, &r));
	CHECK_EQ(r.obs[READ_STEP].val, KSERV_VAL);
	hf_teardown();
}

/* Near miss: the guest granted the page, so KServ's write is its to make. */
TEST(silent_when_page_was_granted)
{
	hf_setup(&target_vanilla, ORACLE_INTEGRITY);
	load("kserv_read pa=0x400e1000", "guest_grant gfn=0x80001");
	if (exec_run(&prog, &r))
		hf_fail_run("integrity on a page the guest had shared", &prog, &r);
	CHECK_EQ(r.obs[READ_STEP].val, KSERV_VAL);
	hf_teardown();
}

/* Near miss: KServ wrote the page while it was its own; the guest reads
 * what it was given. */
TEST(silent_when_written_before_handover)
{
	hf_setup(&target_kcore, ORACLE_ALL);
	load("kserv_write pa=0x400e1018 val=0x77", "guest_read gfn=0x80001 off=0x18");
	if (exec_run(&prog, &r))
		hf_fail_run("integrity on KServ's own page", &prog, &r);
	CHECK_EQ(r.obs[9].val, 0x77);
	hf_teardown();
}

/* KCore took the page from KServ: the write faults, in both runs.  It
 * wrote nothing, so the twin, which would run step for step as the first
 * run did, is not run at all; on the baseline, where the same write
 * lands, it is. */
TEST(silent_on_kcore)
{
	struct exec_twin_counts c0, c1, c2;

	hf_setup(&target_kcore, ORACLE_ALL);
	load("kserv_read pa=0x400e1000", "guest_read gfn=0x80001 off=0x8");
	exec_integrity_counts(&c0);
	if (exec_run(&prog, &r))
		hf_fail_run("integrity on KCore", &prog, &r);
	exec_integrity_counts(&c1);
	CHECK(r.obs[10].fault != 0);
	CHECK(r.obs[READ_STEP].val != KSERV_VAL);
	CHECK_EQ(c1.runs, c0.runs);
	hf_teardown();

	hf_setup(&target_vanilla, ORACLE_INTEGRITY);
	load("kserv_read pa=0x400e1000", "guest_read gfn=0x80001 off=0x8");
	CHECK(exec_run(&prog, &r));
	exec_integrity_counts(&c2);
	CHECK_EQ(r.obs[10].fault, 0);
	CHECK_EQ(c2.runs, c1.runs + 1);
	CHECK_EQ(c2.steps, c1.steps + 12);
	hf_teardown();
}

static const struct test_case cases[] = {
	CASE(fires_on_kserv_write_to_vm_page),
	CASE(silent_with_oracle_off),
	CASE(silent_when_page_was_granted),
	CASE(silent_when_written_before_handover),
	CASE(silent_on_kcore),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
