/* Lock discipline oracle, fed hand-written event histories. */
#include "check.h"
#include "hw/lock_discipline.h"
#include "hyp/kcore_locks.h"

static struct lock_oracle o;
static struct violation got;
static unsigned nviol;

static void start(void)
{
	lock_oracle_reset(&o);
	nviol = 0;
}

static void keep(bool found, const struct violation *v)
{
	if (found && nviol++ == 0)
		got = *v;
}

static void ev(unsigned cpu, unsigned kind, uint64_t a, uint64_t b)
{
	struct sim_event e = { .kind = (uint16_t)kind, .cpu = (uint16_t)cpu, .a = a, .b = b };
	struct violation v;

	keep(lock_oracle_event(&o, &e, &v), &v);
}

static void lock(unsigned cpu, uint32_t id) { ev(cpu, EV_LOCK_ACQUIRE, id, 0); }
static void unlock(unsigned cpu, uint32_t id) { ev(cpu, EV_LOCK_RELEASE, id, 0); }
static void touch(unsigned cpu, uint32_t obj) { ev(cpu, EV_SHARED_ACCESS, obj, 1); }

static void op_end(unsigned cpu)
{
	struct violation v;

	keep(lock_oracle_op_end(&o, cpu, &v), &v);
}

static void expect(enum violation_kind k)
{
	if (nviol == 0)
		CHECK_FAIL_("expected %s, got nothing", violation_kind_name(k));
	if (got.kind != k) {
		violation_print(stderr, &got);
		CHECK_STR_EQ(violation_kind_name(got.kind), violation_kind_name(k));
	}
}

static void expect_silent(void)
{
	if (nviol) {
		violation_print(stderr, &got);
		CHECK_EQ(nviol, 0);
	}
}

#define CORE KID(KLOCK_CORE, 0)
#define NPT(vm) KID(KLOCK_VM_NPT, vm)
#define SMMU KID(KLOCK_SMMU, 0)
#define S2PAGE KID(KLOCK_S2PAGE, 0)
#define KSERV KID(KLOCK_KSERV_NPT, 0)

TEST(access_without_lock)
{
	start();
	touch(1, KID(KOBJ_S2PAGE, 17));
	expect(V_LOCK_NOT_HELD);
	CHECK_EQ(got.cpu, 1);
	CHECK_EQ(got.expected, S2PAGE);
	CHECK_EQ(got.actual, KID(KOBJ_S2PAGE, 17));
}

TEST(access_with_lock_silent)
{
	start();
	lock(1, S2PAGE);
	touch(1, KID(KOBJ_S2PAGE, 17));
	ev(1, EV_SHARED_ACCESS, KID(KOBJ_S2PAGE, 3), 0);
	unlock(1, S2PAGE);
	op_end(1);
	expect_silent();
}

TEST(access_with_another_vms_lock)
{
	start();
	lock(0, NPT(1));
	touch(0, KID(KOBJ_VM_NPT, 2));
	expect(V_LOCK_NOT_HELD);
	CHECK_EQ(got.vm, 2);
	CHECK_EQ(got.expected, NPT(2));
}

TEST(access_with_lock_held_by_another_cpu)
{
	start();
	lock(0, CORE);
	touch(1, KID(KOBJ_VM_INFO, 3));
	expect(V_LOCK_NOT_HELD);
	CHECK_EQ(got.cpu, 1);
	CHECK_EQ(got.vm, 3);
}

TEST(access_after_release)
{
	start();
	lock(0, KSERV);
	unlock(0, KSERV);
	touch(0, KID(KOBJ_KSERV_NPT, 0));
	expect(V_LOCK_NOT_HELD);
}

TEST(access_to_unknown_object)
{
	start();
	lock(0, CORE);
	touch(0, KID(77, 1));
	expect(V_LOCK_NOT_HELD);
	CHECK_EQ(got.expected, 0);
}

TEST(every_object_class_with_its_lock_silent)
{
	start();
	lock(2, CORE);
	lock(2, NPT(4));
	lock(2, SMMU);
	lock(2, S2PAGE);
	lock(2, KSERV);
	touch(2, KID(KOBJ_VM_INFO, 4));
	touch(2, KID(KOBJ_VMID, 0));
	touch(2, KID(KOBJ_VM_NPT, 4));
	touch(2, KID(KOBJ_SMMU, 3));
	touch(2, KID(KOBJ_S2PAGE, 0xffff));
	touch(2, KID(KOBJ_KSERV_NPT, 0));
	unlock(2, KSERV);
	unlock(2, S2PAGE);
	unlock(2, SMMU);
	unlock(2, NPT(4));
	unlock(2, CORE);
	op_end(2);
	expect_silent();
}

TEST(order_inverted)
{
	start();
	lock(0, S2PAGE);
	lock(0, NPT(1));
	expect(V_LOCK_ORDER);
	CHECK_EQ(got.expected, S2PAGE);
	CHECK_EQ(got.actual, NPT(1));
	CHECK_EQ(got.vm, 1);
}

TEST(order_same_class_twice)
{
	start();
	lock(0, NPT(1));
	lock(0, NPT(2));
	expect(V_LOCK_ORDER);
}

TEST(order_names_highest_class_held)
{
	start();
	lock(0, CORE);
	lock(0, KSERV);
	lock(0, SMMU);
	expect(V_LOCK_ORDER);
	CHECK_EQ(got.expected, KSERV);
}

TEST(nested_in_order_silent)
{
	start();
	lock(0, CORE);
	lock(0, NPT(1));
	lock(0, S2PAGE);
	lock(0, KSERV);
	unlock(0, KSERV);
	unlock(0, S2PAGE);
	/* After a release, a class above the highest still held is fine. */
	lock(0, SMMU);
	unlock(0, SMMU);
	unlock(0, NPT(1));
	unlock(0, CORE);
	op_end(0);
	expect_silent();
}

TEST(locksets_are_per_cpu_silent)
{
	start();
	lock(0, KSERV);
	lock(1, CORE);
	unlock(1, CORE);
	unlock(0, KSERV);
	op_end(0);
	op_end(1);
	expect_silent();
}

TEST(unlock_not_held)
{
	start();
	unlock(3, SMMU);
	expect(V_UNLOCK_NOT_HELD);
	CHECK_EQ(got.cpu, 3);
	CHECK_EQ(got.actual, SMMU);
}

TEST(unlock_by_another_cpu)
{
	start();
	lock(0, S2PAGE);
	unlock(1, S2PAGE);
	expect(V_UNLOCK_NOT_HELD);
	CHECK_EQ(got.cpu, 1);
}

TEST(unlock_twice)
{
	start();
	lock(0, S2PAGE);
	unlock(0, S2PAGE);
	unlock(0, S2PAGE);
	expect(V_UNLOCK_NOT_HELD);
}

TEST(unlock_out_of_order_silent)
{
	start();
	lock(0, CORE);
	lock(0, S2PAGE);
	unlock(0, CORE);
	unlock(0, S2PAGE);
	op_end(0);
	expect_silent();
}

TEST(lock_leaked)
{
	start();
	lock(2, CORE);
	lock(2, NPT(3));
	unlock(2, CORE);
	op_end(2);
	expect(V_LOCK_LEAKED);
	CHECK_EQ(got.cpu, 2);
	CHECK_EQ(got.actual, NPT(3));
	CHECK_EQ(got.vm, 3);
	/* The report empties the set: the next operation starts clean. */
	nviol = 0;
	op_end(2);
	lock(2, CORE);
	expect_silent();
}

TEST(leak_on_another_cpu_not_charged)
{
	start();
	lock(1, CORE);
	op_end(0);
	expect_silent();
	op_end(1);
	expect(V_LOCK_LEAKED);
}

TEST(bad_events_are_ignored)
{
	start();
	lock(ARCH_MAX_CPUS, CORE);
	touch(200, KID(KOBJ_S2PAGE, 0));
	unlock(65535, CORE);
	ev(0, EV_PTE_WRITE, 1, 2);
	op_end(ARCH_MAX_CPUS);
	op_end(0);
	expect_silent();
}

TEST(full_lockset_stays_safe)
{
	start();
	for (unsigned cls = 1; cls <= LOCK_MAX_HELD + 4; cls++)
		lock(0, KID(cls, 0));
	expect_silent();
	CHECK(o.overflow);
	/* Locks past the set's room were not tracked: releasing them is not
	 * judged, the tracked ones still are. */
	unlock(0, KID(LOCK_MAX_HELD + 4, 0));
	unlock(0, KID(1, 0));
	expect_silent();
}

/* The lockset's classes follow the locks: a release from the middle drops
 * its class, the others stay. */
TEST(release_from_the_middle_keeps_the_rest)
{
	start();
	lock(0, CORE);
	lock(0, NPT(1));
	lock(0, S2PAGE);
	unlock(0, NPT(1));
	touch(0, KID(KOBJ_S2PAGE, 5));
	touch(0, KID(KOBJ_VM_INFO, 1));
	expect_silent();
	touch(0, KID(KOBJ_VM_NPT, 1));
	expect(V_LOCK_NOT_HELD);
	CHECK_EQ(got.expected, NPT(1));
}

/* A lock taken twice (an order violation) is held until released twice. */
TEST(lock_taken_twice_held_until_released_twice)
{
	start();
	lock(0, S2PAGE);
	lock(0, S2PAGE);
	expect(V_LOCK_ORDER);
	nviol = 0;
	unlock(0, S2PAGE);
	touch(0, KID(KOBJ_S2PAGE, 5));
	expect_silent();
	unlock(0, S2PAGE);
	touch(0, KID(KOBJ_S2PAGE, 5));
	expect(V_LOCK_NOT_HELD);
}

/* Classes beyond KCore's table still order: 40 before 3, 33 before 32
 * and before 5. */
TEST(order_of_unknown_high_classes)
{
	start();
	lock(0, KID(40, 0));
	expect_silent();
	lock(0, SMMU);
	expect(V_LOCK_ORDER);
	CHECK_EQ(got.expected, KID(40, 0));
	nviol = 0;
	unlock(0, KID(40, 0));
	unlock(0, SMMU);
	lock(0, KSERV);
	touch(0, KID(KOBJ_KSERV_NPT, 0));
	lock(0, KID(33, 0));
	expect_silent();
	lock(0, KID(32, 0));
	expect(V_LOCK_ORDER);
	CHECK_EQ(got.expected, KID(33, 0));
	CHECK_EQ(got.actual, KID(32, 0));
	nviol = 0;
	lock(1, KID(33, 0));
	lock(1, KSERV);
	expect(V_LOCK_ORDER);
	CHECK_EQ(got.expected, KID(33, 0));
}

TEST(class_and_object_names)
{
	CHECK_STR_EQ(lock_class_name(CORE), "core");
	CHECK_STR_EQ(lock_class_name(NPT(2)), "vm-npt");
	CHECK_STR_EQ(lock_class_name(SMMU), "smmu");
	CHECK_STR_EQ(lock_class_name(S2PAGE), "s2page");
	CHECK_STR_EQ(lock_class_name(KSERV), "kserv-npt");
	CHECK_STR_EQ(lock_class_name(KID(9, 0)), "unknown");
	CHECK_STR_EQ(lock_object_name(KID(KOBJ_VM_INFO, 1)), "vm-info");
	CHECK_STR_EQ(lock_object_name(KID(KOBJ_VMID, 0)), "vmid");
	CHECK_STR_EQ(lock_object_name(KID(0, 0)), "unknown");
}

static const struct test_case cases[] = {
	CASE(access_without_lock),
	CASE(access_with_lock_silent),
	CASE(access_with_another_vms_lock),
	CASE(access_with_lock_held_by_another_cpu),
	CASE(access_after_release),
	CASE(access_to_unknown_object),
	CASE(every_object_class_with_its_lock_silent),
	CASE(order_inverted),
	CASE(order_same_class_twice),
	CASE(order_names_highest_class_held),
	CASE(nested_in_order_silent),
	CASE(locksets_are_per_cpu_silent),
	CASE(unlock_not_held),
	CASE(unlock_by_another_cpu),
	CASE(unlock_twice),
	CASE(unlock_out_of_order_silent),
	CASE(lock_leaked),
	CASE(leak_on_another_cpu_not_charged),
	CASE(bad_events_are_ignored),
	CASE(full_lockset_stays_safe),
	CASE(release_from_the_middle_keeps_the_rest),
	CASE(lock_taken_twice_held_until_released_twice),
	CASE(order_of_unknown_high_classes),
	CASE(class_and_object_names),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
