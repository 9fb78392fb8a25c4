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
 * honest target, which stays silent.
 *
 * The abstraction itself leaves a VM or unit alone while its view reads
 * the same and its tree is the same build (abstract.h: abs_memo).  So
 * every field of a VM's view drifts alone after checks at which that VM
 * stood still, and a leaf of a VM's table changes under a view that does
 * not move: each must be caught where it appears. */
#include <string.h>

#include "harness_fixture.h"
#include "hyp/addr.h"
#include "sim/machine.h"

/* The target under test: KCore, but from call number `from` on (counting
 * host calls from 1) one thing goes wrong, as a buggy hypervisor's would. */
enum drift { DRIFT_NONE, DRIFT_VM_BOOT_GFN, DRIFT_UNIT_POOL, DRIFT_DROP_IOREMAP, DRIFT_VM_FIELD, DRIFT_UNIT_OWNER,
	     DRIFT_VM_LEAF, DRIFT_VM_EXTRA_LEAF };

/* The fields of a VM's view the abstraction keeps, one drift each. */
enum vm_field { F_STATE, F_VCPU, F_VCPU_CPU, F_BOOT_SET, F_BOOT_GFN, F_BOOT_PAGES, F_IMAGE_FIRST, F_IMAGE_LAST,
		F_POOL, F_FIELDS };

static struct {
	enum drift what;
	enum vm_field field;
	unsigned from, calls;
	uint64_t extra_ipa; /* DRIFT_VM_EXTRA_LEAF: where the image's page shows up again */
} D;

static bool drifting(void)
{
	return D.what != DRIFT_NONE && D.calls >= D.from;
}

/* The address of VM 1's level-3 entry for ipa (its tables as KCore
 * builds them: level 1 at the root, 4 KiB granule). */
static uint64_t vm1_leaf_slot(uint64_t ipa)
{
	struct kcore_vm_view view;
	CHECK(target_kcore.view_vm(1, &view));
	uint64_t table = view.npt_root;
	for (unsigned level = 1; level < 3; level++) {
		uint64_t desc = sim_coherent_read64(table + 8 * ((ipa >> (39 - 9 * level)) & 511));
		CHECK_EQ(desc & 3, 3); /* a table descriptor */
		table = desc & 0x0000fffffffff000ull;
	}
	return table + 8 * ((ipa >> PAGE_SHIFT) & 511);
}

static int64_t drift_host_call(uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2)
{
	D.calls++;
	if (D.what == DRIFT_DROP_IOREMAP && drifting() && op == HVC_IOREMAP)
		return KCORE_OK;
	int64_t ret = target_kcore.host_call(op, a0, a1, a2);
	if (D.what == DRIFT_VM_LEAF && D.calls == D.from) {
		/* a bug that takes write permission from the image's page:
		 * S2AP bit 7, nothing else of the VM moves */
		uint64_t slot = vm1_leaf_slot(0x80000000);
		sim_coherent_write64(slot, sim_coherent_read64(slot) & ~(1ull << 7));
	}
	if (D.what == DRIFT_VM_EXTRA_LEAF && D.calls == D.from) {
		/* a bug that maps the image's page a second time, beside it
		 * in the same table: the tree only grows */
		uint64_t image = sim_coherent_read64(vm1_leaf_slot(0x80001000));
		sim_coherent_write64(vm1_leaf_slot(D.extra_ipa), image);
	}
	return ret;
}

static int64_t drift_init(const struct kcore_boot *boot)
{
	D.calls = 0;
	return target_kcore.init(boot);
}

static void drift_field(struct kcore_vm_view *out)
{
	switch (D.field) {
	case F_STATE: out->state = VM_VERIFIED; break;
	case F_VCPU: out->vcpu[3] = VCPU_READY; break;
	case F_VCPU_CPU: out->vcpu_cpu[3] = 1; break;
	case F_BOOT_SET: out->boot_set = !out->boot_set; break;
	case F_BOOT_GFN: out->boot_gfn++; break;
	case F_BOOT_PAGES: out->boot_npages++; break;
	case F_IMAGE_FIRST: out->image_pfn[0] = 0x400e0; break;
	case F_IMAGE_LAST: out->image_pfn[KCORE_MAX_IMAGE_PAGES - 1] = 0x400e0; break;
	case F_POOL: out->pool_used++; break;
	case F_FIELDS: break;
	}
}

static bool drift_view_vm(unsigned vm, struct kcore_vm_view *out)
{
	bool ok = target_kcore.view_vm(vm, out);
	if (ok && vm == 1 && D.what == DRIFT_VM_BOOT_GFN && drifting())
		out->boot_gfn++;
	if (ok && vm == 1 && D.what == DRIFT_VM_FIELD && drifting())
		drift_field(out);
	return ok;
}

static bool drift_view_smmu(unsigned unit, struct kcore_smmu_view *out)
{
	bool ok = target_kcore.view_smmu(unit, out);
	if (ok && unit == 0 && D.what == DRIFT_UNIT_POOL && drifting())
		out->pool_used++;
	if (ok && unit == 0 && D.what == DRIFT_UNIT_OWNER && drifting())
		out->owner = 1;
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

/* Each field of VM 1's view drifts alone at step 3, after the checks at
 * steps 1 and 2 found VM 1 as it was (the second with nothing of it
 * moved, so the abstraction skipped it). */
TEST(each_vm_field_moves_alone_fires)
{
	static const char *const named[F_FIELDS] = {
		[F_STATE] = "VM 1 state", [F_VCPU] = "VM 1 vcpu 3 state", [F_VCPU_CPU] = "VM 1 vcpu 3 cpu",
		[F_BOOT_SET] = "VM 1 boot info set", [F_BOOT_GFN] = "VM 1 boot gfn", [F_BOOT_PAGES] = "VM 1 boot pages",
		[F_IMAGE_FIRST] = "VM 1 image slot 0 pfn", [F_IMAGE_LAST] = "VM 1 image slot 7 pfn",
		[F_POOL] = "VM 1 pool pages used",
	};
	for (unsigned f = 0; f < F_FIELDS; f++) {
		D.field = (enum vm_field)f;
		CHECK(run(vm_then_units, DRIFT_VM_FIELD, 4));
		expect_state(3, 1, named[f]);
	}
}

/* The same drift only from a call past the program's end: silent. */
TEST(each_vm_field_moves_alone_near_miss)
{
	for (unsigned f = 0; f < F_FIELDS; f++) {
		D.field = (enum vm_field)f;
		if (run(vm_then_units, DRIFT_VM_FIELD, 6))
			hf_fail_run("a drift after the last call", &prog, &r);
	}
}

TEST(unit_owner_moves_alone_fires)
{
	CHECK(run(unit_then_vms, DRIFT_UNIT_OWNER, 3));
	expect_state(2, 0, "SMMU 0 owner");
}

/* VM 1 verified (its image page mapped writable at gfn 0x80000), then
 * calls on unit 1 only: VM 1's view stays as it was throughout. */
static const char vm_then_unit_calls[] =
	"cpu0 register_vm\n"
	"cpu0 set_boot_info vm=1 gpa=0x80000000 npages=1\n"
	"cpu0 kserv_load img=tiny idx=0 pfn=0x400e0\n"
	"cpu0 remap_vm_image vm=1 pfn=0x400e0 idx=0\n"
	"cpu0 verify_vm_image vm=1\n"
	"cpu0 smmu_alloc unit=1 owner=0\n"
	"cpu0 smmu_iova_to_phys unit=1 iova=0x1000\n"
	"cpu0 smmu_free unit=1\n";

TEST(vm_leaf_moves_under_still_view_fires)
{
	CHECK(run(vm_then_unit_calls, DRIFT_VM_LEAF, 6));
	expect_state(6, 1, "VM 1 gfn 0x80000");
}

TEST(vm_leaf_moves_under_still_view_near_miss)
{
	if (run(vm_then_unit_calls, DRIFT_NONE, 0))
		hf_fail_run("the honest target on calls beside a verified VM", &prog, &r);
}

/* The image at gfn 0x80001, then calls on unit 1 only. */
static const char image_then_unit_calls[] =
	"cpu0 register_vm\n"
	"cpu0 set_boot_info vm=1 gpa=0x80001000 npages=1\n"
	"cpu0 kserv_load img=tiny idx=0 pfn=0x400e0\n"
	"cpu0 remap_vm_image vm=1 pfn=0x400e0 idx=0\n"
	"cpu0 verify_vm_image vm=1\n"
	"cpu0 smmu_alloc unit=1 owner=0\n"
	"cpu0 smmu_iova_to_phys unit=1 iova=0x1000\n"
	"cpu0 smmu_free unit=1\n";

/* A leaf added below the map's entry and one above: the tree grows from
 * the build the map came from, and the map takes in the new leaf where
 * it belongs (abstract.c: put_fresh). */
TEST(vm_leaf_added_below_fires)
{
	D.extra_ipa = 0x80000000;
	CHECK(run(image_then_unit_calls, DRIFT_VM_EXTRA_LEAF, 6));
	expect_state(6, 1, "VM 1 gfn 0x80000:");
}

TEST(vm_leaf_added_above_fires)
{
	D.extra_ipa = 0x80002000;
	CHECK(run(image_then_unit_calls, DRIFT_VM_EXTRA_LEAF, 6));
	expect_state(6, 1, "VM 1 gfn 0x80002:");
}

TEST(vm_leaf_added_near_miss)
{
	if (run(image_then_unit_calls, DRIFT_NONE, 0))
		hf_fail_run("the honest target with its image at gfn 0x80001", &prog, &r);
}

/* The honest target's map growing below and above its first entry, a
 * page at a time: the entries the map takes in place must be the ones
 * the model has, and the ones moved up must stay as they were. */
TEST(vm_map_grows_in_place_near_miss)
{
	static const char grows[] =
		"cpu0 register_vm\n"
		"cpu0 register_vcpu vm=1 vcpu=0\n"
		"cpu0 set_boot_info vm=1 gpa=0x80001000 npages=1\n"
		"cpu0 kserv_load img=tiny idx=0 pfn=0x400e0\n"
		"cpu0 remap_vm_image vm=1 pfn=0x400e0 idx=0\n"
		"cpu0 verify_vm_image vm=1\n"
		"cpu0 map_vm_page vm=1 gfn=0x80000 pfn=0x40200\n"
		"cpu0 map_vm_page vm=1 gfn=0x80003 pfn=0x40201\n"
		"cpu0 map_vm_page vm=1 gfn=0x80002 pfn=0x40202\n"
		"cpu0 smmu_alloc unit=1 owner=0\n";
	if (run(grows, DRIFT_NONE, 0))
		hf_fail_run("the honest target's map growing around its entry", &prog, &r);
	CHECK_EQ(r.nsteps, 10);
	for (unsigned i = 6; i <= 8; i++)
		CHECK_EQ(r.obs[i].ret, 0); /* each page mapped */
}

static const struct test_case cases[] = {
	CASE(vm_field_moves_alone_fires),
	CASE(vm_field_moves_alone_near_miss),
	CASE(unit_field_moves_alone_fires),
	CASE(unit_field_moves_alone_near_miss),
	CASE(model_map_moves_alone_fires),
	CASE(model_map_moves_alone_near_miss),
	CASE(each_vm_field_moves_alone_fires),
	CASE(each_vm_field_moves_alone_near_miss),
	CASE(unit_owner_moves_alone_fires),
	CASE(vm_leaf_moves_under_still_view_fires),
	CASE(vm_leaf_moves_under_still_view_near_miss),
	CASE(vm_leaf_added_below_fires),
	CASE(vm_leaf_added_above_fires),
	CASE(vm_leaf_added_near_miss),
	CASE(vm_map_grows_in_place_near_miss),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
