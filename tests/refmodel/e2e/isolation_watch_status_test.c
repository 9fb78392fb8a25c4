/* The incremental isolation check where a check moves no page and no
 * table frame: the tables, the IOTLB and the CPUs' contexts are looked at
 * again only when a status they rest on moved.  A unit attached behind
 * the calls' back (its registers written, no call, no frame moved), a
 * unit the model gives to another owner (a call that touches no page),
 * a CPU context loaded behind the calls' back and a CPU the model moves
 * into a VM must be seen, by the
 * same verdict as the full sweep's; a register write that changes
 * nothing and a call that moves nothing must stay silent. */
#include <string.h>

#include "check.h"
#include "e2e_fixture.h"
#include "hyp/addr.h"
#include "hyp/arch.h"
#include "hyp/s2desc.h"
#include "hyp_target.h"
#include "model/isolation/isolation.h"
#include "model/isolation/isolation_iotlb.h"
#include "model/isolation/isolation_watch.h"
#include "model/ref/refmodel.h"
#include "model/s2/s2tree.h"
#include "sim/machine.h"

#define GFN 0x80ull
#define TINY 0u /* guest image "tiny": one page */
#define IOVA 0x10000ull
#define SPARE_UNIT (SIM_SMMU_UNITS - 1) /* never allocated here */

static struct s2_trees trees;
static struct isolation_watch *watch;
static struct iotlb_watch iotlb;

/* The watch and the IOTLB watch in the order the checker runs them. */
static bool watch_check(bool model_moved, struct violation *v)
{
	struct ref_state *s = &e2e_oracle.model->st;
	return isolation_watch_check(watch, s, model_moved, &target_kcore, &trees, v) ||
	       isolation_iotlb_watch(&iotlb, s, isolation_watch_reach_moved(watch), v);
}

/* The incremental verdict, which must be the full sweep's. */
static bool watch_verdict(bool model_moved, struct violation *v)
{
	struct violation full;
	const struct ref_state *s = &e2e_oracle.model->st;
	bool hit = watch_check(model_moved, v);
	bool full_hit = isolation_check(s, &target_kcore, &full) || isolation_iotlb_check(s, &full);
	CHECK_EQ(hit, full_hit);
	if (hit && full_hit) {
		CHECK_EQ(v->kind, full.kind);
		CHECK_EQ(v->page, full.page);
		CHECK(strcmp(v->detail, full.detail) == 0);
	}
	return hit;
}

/* A verified VM; a KServ page faulted in; KServ's unit 0 allocated, its table holding no leaf and
 * its IOTLB a leaf for a KServ page; both watches primed on it. */
static unsigned watch_up(void)
{
	struct violation v;
	struct kcore_smmu_view u;

	e2e_up();
	unsigned vm = e2e_boot_vm(TINY, GFN, e2e_pfn(0), 1);
	CHECK_EQ(e2e_fault(0, e2e_pfn(31) << PAGE_SHIFT), KCORE_OK);
	CHECK_EQ(e2e_hvc(0, HVC_SMMU_ALLOC, 0, 0, 0), KCORE_OK);
	CHECK_EQ(e2e_hvc(0, HVC_SMMU_MAP, 0, IOVA, e2e_pfn(30)), KCORE_OK);
	CHECK(target_kcore.view_smmu(0, &u));
	CHECK(sim_iotlb_spec_fill(0, IOVA));
	e2e_poke_leaf(u.root, IOVA, 0);
	const struct kcore_boot *b = e2e_boot();
	CHECK(s2_trees_init(&trees, b->ram_base_pfn << PAGE_SHIFT, b->ram_pages << PAGE_SHIFT));
	watch = isolation_watch_new();
	CHECK(watch != NULL);
	isolation_watch_reset(watch, &e2e_oracle.model->st);
	iotlb = (struct iotlb_watch){ 0 };
	e2e_expect_clean(watch_verdict(true, &v), &v);
	return vm;
}

static void watch_down(void)
{
	isolation_watch_delete(watch);
	s2_trees_release(&trees);
}

TEST(watch_unit_attached_without_call_fires)
{
	struct violation v;
	unsigned vm = watch_up();

	arch_smmu_attach(SPARE_UNIT, pa_init(e2e_vm_root(vm)));
	CHECK(watch_verdict(false, &v)); /* no call, no frame moved */
	CHECK_EQ(v.kind, V_DMA_REACH);
	CHECK_EQ(v.page, e2e_pfn(0));
	watch_down();
}

TEST(watch_unit_register_rewritten_near_miss)
{
	struct violation v;
	watch_up();

	arch_smmu_detach(SPARE_UNIT); /* written, still detached */
	e2e_expect_clean(watch_verdict(false, &v), &v);
	e2e_expect_clean(watch_verdict(true, &v), &v); /* a call that moved nothing */
	watch_down();
}

TEST(watch_unit_owner_moved_fires)
{
	struct violation v;
	unsigned vm = watch_up();

	e2e_oracle.model->st.smmu[0].owner = (uint16_t)vm; /* no page entry moves */
	CHECK(watch_verdict(true, &v));
	CHECK_EQ(v.kind, V_DMA_REACH);
	CHECK_EQ(v.page, e2e_pfn(30));
	CHECK(strstr(v.detail, "IOTLB") != NULL);
	watch_down();
}

TEST(watch_unit_owner_moved_table_fires)
{
	struct violation v;
	struct kcore_smmu_view u;
	unsigned vm = watch_up();

	CHECK(target_kcore.view_smmu(0, &u));
	e2e_poke_leaf(u.root, IOVA, (e2e_pfn(30) << PAGE_SHIFT) | KCORE_S2_SMMU);
	e2e_expect_clean(watch_verdict(false, &v), &v); /* KServ's unit, KServ's page */
	e2e_oracle.model->st.smmu[0].owner = (uint16_t)vm;
	CHECK(watch_verdict(true, &v));
	CHECK_EQ(v.kind, V_DMA_REACH);
	CHECK(strstr(v.detail, "the unit's table") != NULL);
	watch_down();
}

/* CPU 1 loads a context behind the calls' back: no call, no frame moved. */
static void load_context_on_cpu1(uint16_t vmid, uint64_t root)
{
	unsigned was = sim_cpu();
	sim_set_cpu(1);
	arch_set_stage2(vmid, pa_init(root));
	sim_set_cpu(was);
}

TEST(watch_context_loaded_without_call_fires)
{
	struct violation v;
	unsigned vm = watch_up();

	CHECK_EQ(e2e_oracle.model->st.cpu[1].vm, 0); /* KServ runs there */
	load_context_on_cpu1(0, e2e_vm_root(vm));
	CHECK(watch_verdict(false, &v));
	CHECK_EQ(v.kind, V_KSERV_REACH);
	CHECK_EQ(v.page, e2e_pfn(0));
	CHECK(strstr(v.detail, "stale CPU context") != NULL);
	watch_down();
}

TEST(watch_context_reloaded_near_miss)
{
	struct violation v;
	watch_up();

	load_context_on_cpu1(0, e2e_kserv_root()); /* written, as it was */
	e2e_expect_clean(watch_verdict(false, &v), &v);
	watch_down();
}

TEST(watch_cpu_moved_by_model_fires)
{
	struct violation v;
	unsigned vm = watch_up();

	load_context_on_cpu1(0, e2e_kserv_root());
	e2e_expect_clean(watch_verdict(true, &v), &v);
	e2e_oracle.model->st.cpu[1].vm = (int)vm; /* KServ's context stays loaded */
	CHECK(watch_verdict(true, &v));
	CHECK_EQ(v.kind, V_VM_REACH);
	CHECK(strstr(v.detail, "stale CPU context") != NULL);
	watch_down();
}

static const struct test_case cases[] = {
	CASE(watch_unit_attached_without_call_fires),
	CASE(watch_unit_register_rewritten_near_miss),
	CASE(watch_unit_owner_moved_fires),
	CASE(watch_unit_owner_moved_table_fires),
	CASE(watch_context_loaded_without_call_fires),
	CASE(watch_context_reloaded_near_miss),
	CASE(watch_cpu_moved_by_model_fires),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
