/* The oracles' counters: each family counts the steps it checked and the
 * events it was fed only when it is on, and a run's first violation is
 * charged to the family that reported it. */
#include <string.h>

#include "harness_fixture.h"
#include "exec/checks/oracle_stats.h"
#include "violation.h"

static struct program prog;
static struct exec_result r;

enum { REFINE = 1, ISOLATION = 2, TLB = 3, CACHE = 4, LOCK = 5 };

TEST(clean_run_counts_checks_and_no_violation)
{
	hf_setup(&target_kcore, ORACLE_ALL);
	hf_load("corpus/seeds/map-race.txt", &prog);
	memset(&oracle_stats, 0, sizeof(oracle_stats));
	CHECK(!exec_run(&prog, &r));
	CHECK_EQ(oracle_stats.runs, 1);
	CHECK(oracle_stats.steps[REFINE] > 0 && oracle_stats.events[REFINE] == r.events);
	CHECK(oracle_stats.steps[ISOLATION] > 0);
	CHECK(oracle_stats.steps[TLB] > 0 && oracle_stats.events[TLB] == r.events);
	CHECK(oracle_stats.events[LOCK] == r.events);
	for (unsigned o = 0; o < ORACLE_FAMILIES; o++)
		CHECK_EQ(oracle_stats.violations[o], 0);
}

TEST(oracle_switched_off_counts_nothing)
{
	hf_setup(&target_kcore, ORACLE_ALL & ~ORACLE_TLB & ~ORACLE_REFINE);
	hf_load("corpus/seeds/map-race.txt", &prog);
	memset(&oracle_stats, 0, sizeof(oracle_stats));
	exec_run(&prog, &r);
	CHECK_EQ(oracle_stats.steps[TLB], 0);
	CHECK_EQ(oracle_stats.events[TLB], 0);
	CHECK_EQ(oracle_stats.steps[REFINE], 0);
	CHECK_EQ(oracle_stats.events[REFINE], 0);
	CHECK(oracle_stats.events[LOCK] > 0);
}

TEST(violation_charged_to_its_oracle)
{
	hf_setup(&target_vanilla, ORACLE_ALL & ~ORACLE_REFINE);
	hf_load("corpus/attacks/kserv-reads-vm-page.txt", &prog);
	memset(&oracle_stats, 0, sizeof(oracle_stats));
	CHECK(exec_run(&prog, &r));
	unsigned family = violation_kind_oracle(r.v.kind);
	CHECK_EQ(family, ISOLATION);
	for (unsigned o = 0; o < ORACLE_FAMILIES; o++)
		CHECK_EQ(oracle_stats.violations[o], o == family ? 1 : 0);
}

static const struct test_case cases[] = {
	CASE(clean_run_counts_checks_and_no_violation),
	CASE(oracle_switched_off_counts_nothing),
	CASE(violation_charged_to_its_oracle),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
