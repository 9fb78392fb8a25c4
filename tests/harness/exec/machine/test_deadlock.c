/* Deadlocks are found and reported, not hung on.  KCore takes its locks in
 * one order, so it cannot deadlock; a test target does: KCore for every
 * operation except two, which take two locks of their own in opposite
 * orders (smmu_alloc: A then B; smmu_free: B then A), and a third that
 * takes one lock twice (smmu_iova_to_phys). */
#include <string.h>

#include "harness_fixture.h"
#include "hyp/arch.h"

static struct arch_spinlock lock_a, lock_b;
static struct hyp_target deadlocking;

static int64_t two_locks(struct arch_spinlock *first, struct arch_spinlock *second)
{
	arch_spin_lock(first);
	arch_spin_lock(second);
	arch_spin_unlock(second);
	arch_spin_unlock(first);
	return 0;
}

static int64_t deadlocking_call(uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2)
{
	switch (op) {
	case HVC_SMMU_ALLOC: return two_locks(&lock_a, &lock_b);
	case HVC_SMMU_FREE: return two_locks(&lock_b, &lock_a);
	case HVC_SMMU_IOVA_TO_PHYS: return two_locks(&lock_a, &lock_a);
	default: return target_kcore.host_call(op, a0, a1, a2);
	}
}

static int64_t deadlocking_init(const struct kcore_boot *boot)
{
	arch_spin_init(&lock_a, 0xa);
	arch_spin_init(&lock_b, 0xb);
	return target_kcore.init(boot);
}

/* The lock oracle would object to locks KCore does not have: the oracles
 * are off, a deadlock is reported without them. */
static void setup(void)
{
	deadlocking = target_kcore;
	deadlocking.name = "deadlocking";
	deadlocking.init = deadlocking_init;
	deadlocking.host_call = deadlocking_call;
	hf_setup(&deadlocking, 0);
}

static const char opposite_orders[] =
	"config cpus=2\n"
	"cpu0 smmu_alloc unit=0 owner=0\n"
	"cpu1 smmu_free unit=0\n"
	"cpu0 register_vm\n";

static struct program prog;
static struct exec_result r;

static void check_deadlock(const struct exec_result *res)
{
	CHECK(res->violated);
	CHECK_EQ(res->v.kind, V_PANIC);
	CHECK(strstr(res->v.detail, "deadlock") != NULL);
}

/* CPU 0 takes A (choices: CPU 0 first, starts its step, takes A), then
 * CPU 1 starts and takes B; each then waits for the other's lock. */
TEST(opposite_lock_orders_deadlock)
{
	static const uint8_t crossed[] = { 0, 0, 0, 1, 1, 1 };

	setup();
	hf_parse(opposite_orders, &prog);
	hf_set_schedule(&prog, crossed, sizeof(crossed));
	exec_run(&prog, &r);
	check_deadlock(&r);
	/* the step after them never ran, and neither locking step finished:
	 * the trace must not show them done */
	CHECK_EQ(r.obs[2].status, OBS_NOT_RUN);
	CHECK_EQ(r.obs[0].status, OBS_NOT_RUN);
	CHECK_EQ(r.obs[1].status, OBS_NOT_RUN);
	hf_teardown();
}

/* The near miss: the same steps one after the other finish cleanly. */
TEST(same_steps_in_turn_finish)
{
	setup();
	hf_parse(opposite_orders, &prog);
	CHECK(!exec_run(&prog, &r));
	for (unsigned i = 0; i < 3; i++)
		CHECK_EQ(r.obs[i].status, OBS_DONE);
	CHECK_EQ(r.obs[2].ret, 1); /* KCore behind the test target still works */
	hf_teardown();
}

/* Whatever the schedule, the run ends: in a deadlock or with every step
 * done. */
TEST(every_schedule_ends)
{
	struct hf_rng rng = { 0xdead10c5 };
	uint8_t sched[8];
	unsigned deadlocks = 0, clean = 0;

	setup();
	hf_parse(opposite_orders, &prog);
	for (unsigned run = 0; run < 200; run++) {
		for (unsigned i = 0; i < sizeof(sched); i++)
			sched[i] = (uint8_t)(hf_rand(&rng) & 1);
		hf_set_schedule(&prog, sched, sizeof(sched));
		if (exec_run(&prog, &r)) {
			check_deadlock(&r);
			deadlocks++;
		} else {
			clean++;
		}
	}
	CHECK(deadlocks > 0 && clean > 0);
	hf_teardown();
}

TEST(lock_taken_twice_is_reported)
{
	setup();
	hf_parse("cpu0 smmu_iova_to_phys unit=0 iova=0x1000\ncpu1 register_vm\n", &prog);
	exec_run(&prog, &r);
	CHECK(r.violated);
	CHECK_EQ(r.v.kind, V_PANIC);
	CHECK(strstr(r.v.detail, "self-deadlock") != NULL);
	CHECK_EQ(r.obs[1].status, OBS_NOT_RUN);
	CHECK_EQ(r.obs[0].status, OBS_NOT_RUN);
	hf_teardown();
}

static const struct test_case cases[] = {
	CASE(opposite_lock_orders_deadlock),
	CASE(same_steps_in_turn_finish),
	CASE(every_schedule_ends),
	CASE(lock_taken_twice_is_reported),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
