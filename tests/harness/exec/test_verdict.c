/* The most specific verdict: when KCore's own end-of-call assertion and an
 * oracle see one fault, the oracle's named kind is reported.  A target that
 * is KCore with one error path that forgets its unlock (a KServ fault at
 * an address that is neither RAM nor MMIO leaves the KServ table lock
 * held) must be reported as lock-leaked, not as a panic. */
#include "base/locks.h"
#include "harness_fixture.h"
#include "hyp/arch.h"

#define LEAKY_PA 0x1000ull /* below RAM: E_PFN before any lock */

static int64_t leaky_kserv_fault(uint64_t pa)
{
	if (pa == LEAKY_PA)
		(void)kcore_lock_kserv_npt(); /* the error path's forgotten unlock */
	return target_kcore.kserv_fault(pa);
}

static struct hyp_target leaky;

static void setup(unsigned oracles)
{
	leaky = target_kcore;
	leaky.name = "kcore-leaky";
	leaky.kserv_fault = leaky_kserv_fault;
	hf_setup(&leaky, oracles);
}

static struct program prog;
static struct exec_result r;

TEST(leaked_lock_named_by_lock_oracle)
{
	setup(ORACLE_ALL);
	hf_parse("config cpus=1\ncpu0 kserv_fault pa=0x1000\n", &prog);
	CHECK(exec_run(&prog, &r));
	if (r.v.kind != V_LOCK_LEAKED)
		violation_print(stderr, &r.v);
	CHECK_EQ(r.v.kind, V_LOCK_LEAKED);
	CHECK_EQ(r.v.cpu, 0);
	hf_teardown();
}

/* Without the lock oracle nothing names it: KCore's assertion does. */
TEST(leaked_lock_panics_without_lock_oracle)
{
	setup(ORACLE_ALL & ~ORACLE_LOCK);
	hf_parse("config cpus=1\ncpu0 kserv_fault pa=0x1000\n", &prog);
	CHECK(exec_run(&prog, &r));
	CHECK_EQ(r.v.kind, V_PANIC);
	CHECK(strstr(r.v.detail, "lock held") != NULL);
	hf_teardown();
}

/* The near miss: the same call without the leak is clean. */
TEST(error_path_without_leak_silent)
{
	setup(ORACLE_ALL);
	hf_parse("config cpus=1\ncpu0 kserv_fault pa=0x2000\n", &prog);
	if (exec_run(&prog, &r))
		hf_fail_run("a clean error path", &prog, &r);
	CHECK_EQ(r.obs[0].ret, -(int64_t)KCORE_E_PFN);
	hf_teardown();
}

static const struct test_case cases[] = {
	CASE(leaked_lock_named_by_lock_oracle),
	CASE(leaked_lock_panics_without_lock_oracle),
	CASE(error_path_without_leak_silent),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
