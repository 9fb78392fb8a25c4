/* The unmodified-KVM baseline must fail the model oracles on a plain
 * attacker history: a check that cannot fail there is broken.  The history
 * boots a VM from a page KServ keeps mapped, then offers KServ's mapped
 * page to the VM; KCore takes such pages away from KServ, the baseline
 * does not. */
#include "check.h"
#include "e2e_fixture.h"
#include "guest_image.h"
#include "hyp/addr.h"
#include "kserv.h"
#include "sim/machine.h"

#define GFN 0x80ull

/* Run the attacker history on t; returns the first violation's kind,
 * V_NONE if the whole history passed. */
static enum violation_kind attack(const struct hyp_target *t, unsigned checks, struct violation *v)
{
	uint64_t image, data;
	int64_t ret = 0;

	if (e2e_try_up(t, checks, v))
		return v->kind;
	image = e2e_pfn(0);
	data = e2e_pfn(1);
	if (e2e_try_fault(0, image << PAGE_SHIFT, &ret, v) ||
	    e2e_try_hvc(0, HVC_REGISTER_VM, 0, 0, 0, &ret, v) ||
	    e2e_try_hvc(0, HVC_REGISTER_VCPU, 1, 0, 0, &ret, v) ||
	    e2e_try_hvc(0, HVC_SET_BOOT_INFO, 1, GFN << PAGE_SHIFT, 1, &ret, v))
		return v->kind;
	sim_set_cpu(0);
	CHECK_EQ(kserv_load_image(0, 0, image), 0);
	if (e2e_try_hvc(0, HVC_REMAP_VM_IMAGE, 1, image, 0, &ret, v) ||
	    e2e_try_hvc(0, HVC_VERIFY_VM_IMAGE, 1, 0, 0, &ret, v) ||
	    e2e_try_fault(0, data << PAGE_SHIFT, &ret, v) ||
	    e2e_try_hvc(0, HVC_MAP_VM_PAGE, 1, 0x10, data, &ret, v))
		return v->kind;
	return V_NONE;
}

TEST(kcore_passes_the_attack)
{
	struct violation v;

	CHECK_EQ(attack(&target_kcore, MODEL_CHECK_ALL, &v), V_NONE);
}

TEST(baseline_fails_isolation)
{
	struct violation v;

	/* KServ still maps the image page the model says KCore holds. */
	CHECK_EQ(attack(&target_vanilla, MODEL_CHECK_ISOLATION, &v), V_TABLE_REACH);
	CHECK_EQ(v.page, e2e_pfn(0));
}

TEST(baseline_fails_refinement)
{
	struct violation v;

	/* The baseline keeps no owners: KCore's region is not KCore's. */
	CHECK_EQ(attack(&target_vanilla, MODEL_CHECK_RET | MODEL_CHECK_STATE, &v), V_STATE_MISMATCH);
	CHECK_EQ(v.page, e2e_boot()->kcore_base_pfn);
}

static const struct test_case cases[] = {
	CASE(kcore_passes_the_attack),
	CASE(baseline_fails_isolation),
	CASE(baseline_fails_refinement),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
