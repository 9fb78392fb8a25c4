/* The state check skips a VM's or unit's fields and map while neither the
 * model's side nor the target's has moved since they were last found
 * equal.  These histories move one side only, with nothing else around
 * it moving, and the check must still see the difference at the step it
 * appears:
 *  - the target's view of a VM field changes while the VM's tree and the
 *    model's VM stay as they were (a call on another object);
 *  - the same for an SMMU unit's field;
 *  - the model's map of a VM moves (an ioremap the target drops) while
 *    the VM's tree stays as it was.
 * A map entry of the target cannot move alone: it is read from the tables,
 * and a write to a table frame moves the frame's generation and so the
 * tree's version.  Each history has a near miss, the same program on the
 * honest target, which stays silent. */
#include <string.h>

#include "harness_fixture.h"

/* The target under test: KCore, but from call number `from` on (counting
 * host calls from 1) one thing goes wrong, as a buggy hypervisor's would. */
enum drift { DRIFT_NONE, DRIFT_VM_BOOT_GFN, DRIFT_UNIT_POOL, DRIFT_DROP_IOREMAP };

static struct {
	enum drift what;
	unsigned from, calls;
} D;

static bool drifting(void)
{
	return D.what != DRIFT_NONE && D.calls >= D.from;
}

static int64_t drift_host_call(uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2)
{
	D.calls++;
	if (D.what == DRIFT_DROP_IOREMAP && drifting() && op == HVC_IOREMAP)
		return KCORE_OK;
	return target_kcore.host_call(op, a0, a1, a2);
}

static int64_t drift_init(const struct kcore_boot *boot)
{
	D.calls = 0;
	return target_kcore.init(boot);
}

static bool drift_view_vm(unsigned vm, struct kcore_vm_view *out)
{
	bool ok = target_kcore.view_vm(vm, out);
	if (ok && vm == 1 && D.what == DRIFT_VM_BOOT_GFN && drifting())
		out->boot_gfn++;
	return ok;
}

static bool drift_view_smmu(unsigned unit, struct kcore_smmu_view *out)
{
	bool ok = target_kcore.view_smmu(unit, out);
	if (ok && unit == 0 && D.what == DRIFT_UNIT_POOL && drifting())
		out->pool_used++;
	return ok;
}

static struct hyp_target drift_target(void)
{
	struct hyp_target t = target_kcore;
	t.name = "kcore-drift";
	t.init = drift_init;
	t.host_call = drift_host_call;
	t.view_vm = drift_view_vm;
	t.view_smmu = drift_view_smmu;
	return t;
}

static struct hyp_target target;
static struct program prog;
static struct exec_result r;

/* Run text on the drifting target; the verdict is in r. */
static bool run(const char *text, enum drift what, unsigned from)
{
	target = drift_target();
	D.what = what;
	D.from = from;
	hf_setup(&target, ORACLE_ALL);
	hf_parse(text, &prog);
	bool violated = exec_run(&prog, &r);
	hf_teardown();
	return violated;
}

static void expect_state(unsigned step, int vm, const char *detail)
{
	if (r.v.kind != V_STATE_MISMATCH || r.v.step != step || strstr(r.v.detail, detail) == NULL) {
		violation_print(stderr, &r.v);
		CHECK_FAIL_("expected a state mismatch at step %u naming \"%s\"", step, detail);
	}
	CHECK_EQ(r.v.vm, vm);
}

/* VM 1 is READY with its boot info; the calls after it touch SMMU unit 0
 * only, so VM 1's tree and the model's VM 1 stay as they were. */
static const char vm_then_units[] =
	"cpu0 register_vm\n"
	"cpu0 set_boot_info vm=1 gpa=0x80000000 npages=1\n"
	"cpu0 smmu_alloc unit=0 owner=0\n"
	"cpu0 smmu_iova_to_phys unit=0 iova=0x1000\n"
	"cpu0 smmu_free unit=0\n";

TEST(vm_field_moves_alone_fires)
{
	CHECK(run(vm_then_units, DRIFT_VM_BOOT_GFN, 4));
	expect_state(3, 1, "VM 1 boot gfn");
}

TEST(vm_field_moves_alone_near_miss)
{
	if (run(vm_then_units, DRIFT_NONE, 0))
		hf_fail_run("the honest target on calls beside a VM", &prog, &r);
}

/* Unit 0 allocated for KServ; the calls after it touch VM 1 only. */
static const char unit_then_vms[] =
	"cpu0 smmu_alloc unit=0 owner=0\n"
	"cpu0 register_vm\n"
	"cpu0 register_vcpu vm=1 vcpu=0\n"
	"cpu0 set_boot_info vm=1 gpa=0x80000000 npages=1\n";

TEST(unit_field_moves_alone_fires)
{
	CHECK(run(unit_then_vms, DRIFT_UNIT_POOL, 3));
	expect_state(2, 0, "SMMU 0 pool pages used");
}

TEST(unit_field_moves_alone_near_miss)
{
	if (run(unit_then_vms, DRIFT_NONE, 0))
		hf_fail_run("the honest target on calls beside a unit", &prog, &r);
}

/* VM 1 verified with its image at gfn 0x80000; the ioremap at step 6
 * lands in the level-3 table the image already uses, so the model's pool
 * count does not move either: only its map does. */
static const char vm_ioremap[] =
	"cpu0 register_vm\n"
	"cpu0 set_boot_info vm=1 gpa=0x80000000 npages=1\n"
	"cpu0 kserv_load img=tiny idx=0 pfn=0x400e0\n"
	"cpu0 remap_vm_image vm=1 pfn=0x400e0 idx=0\n"
	"cpu0 verify_vm_image vm=1\n"
	"cpu0 smmu_alloc unit=1 owner=0\n"
	"cpu0 ioremap vm=1 gpa=0x80001000 pa=0x9000000\n"
	"cpu0 smmu_free unit=1\n";

TEST(model_map_moves_alone_fires)
{
	CHECK(run(vm_ioremap, DRIFT_DROP_IOREMAP, 1));
	expect_state(6, 1, "VM 1 gfn 0x80001");
}

TEST(model_map_moves_alone_near_miss)
{
	if (run(vm_ioremap, DRIFT_NONE, 0))
		hf_fail_run("the honest target's ioremap", &prog, &r);
}

static const struct test_case cases[] = {
	CASE(vm_field_moves_alone_fires),
	CASE(vm_field_moves_alone_near_miss),
	CASE(unit_field_moves_alone_fires),
	CASE(unit_field_moves_alone_near_miss),
	CASE(model_map_moves_alone_fires),
	CASE(model_map_moves_alone_near_miss),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
