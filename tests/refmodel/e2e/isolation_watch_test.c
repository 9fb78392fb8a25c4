/* The incremental isolation check against the full sweep where it skips
 * the most: a table frame's verdict rests on the tree's frame list and on
 * the model's entry for the frame's page, so a tree whose frames changed
 * while its leaves did not, and a table page the model gives away with no
 * leaf moving, must be seen; a data write and a change of the page's
 * other fields must not be reported. */
#include "check.h"
#include "e2e_fixture.h"
#include "hyp/addr.h"
#include "hyp/s2desc.h"
#include "hyp_target.h"
#include "model/isolation/isolation.h"
#include "model/isolation/isolation_watch.h"
#include "model/ref/refmodel.h"
#include "model/s2/s2tree.h"
#include "model/state/page_log.h"
#include "sim/machine.h"

#define GFN 0x80ull
#define TINY 0u /* guest image "tiny": one page */

static struct s2_trees trees;
static struct isolation_watch *watch;

/* A verified VM, and the watch primed on it (its first check is full). */
static unsigned watch_up(void)
{
	struct violation v;

	e2e_up();
	unsigned vm = e2e_boot_vm(TINY, GFN, e2e_pfn(0), 1);
	const struct kcore_boot *b = e2e_boot();
	CHECK(s2_trees_init(&trees, b->ram_base_pfn << PAGE_SHIFT, b->ram_pages << PAGE_SHIFT));
	watch = isolation_watch_new();
	CHECK(watch != NULL);
	isolation_watch_reset(watch, &e2e_oracle.model->st);
	CHECK(!isolation_watch_check(watch, &e2e_oracle.model->st, true, &target_kcore, &trees, &v));
	return vm;
}

static void watch_down(void)
{
	isolation_watch_delete(watch);
	s2_trees_release(&trees);
}

/* The incremental verdict, which must be the full sweep's. */
static bool watch_verdict(bool model_moved, struct violation *v)
{
	struct violation full;
	bool hit = isolation_watch_check(watch, &e2e_oracle.model->st, model_moved, &target_kcore, &trees, v);
	bool full_hit = isolation_check(&e2e_oracle.model->st, &target_kcore, &full);
	CHECK_EQ(hit, full_hit);
	if (hit && full_hit) {
		CHECK_EQ(v->kind, full.kind);
		CHECK_EQ(v->page, full.page);
	}
	return hit;
}

/* The VM's level-3 table for GFN copied to pfn; linked in its place when
 * link (the leaves stay exactly the same). */
static void copy_table(unsigned vm, uint64_t pfn, bool link)
{
	uint64_t table[S2_ENTRIES], ipa = GFN << PAGE_SHIFT, copy = pfn << PAGE_SHIFT;
	uint64_t l2 = e2e_table_of(e2e_vm_root(vm), ipa, 2), l3 = e2e_table_of(e2e_vm_root(vm), ipa, 3);

	sim_coherent_read_page(l3, table);
	for (unsigned i = 0; i < S2_ENTRIES; i++)
		sim_coherent_write64(copy + 8ull * i, table[i]);
	if (link) {
		uint64_t d = sim_coherent_read64(l2 + 8ull * s2_index(ipa, 2));
		sim_coherent_write64(l2 + 8ull * s2_index(ipa, 2), (d & ~S2_OA_MASK) | copy);
	}
}

/* The model's entry for pfn changed behind the calls, logged as a call
 * would log it. */
static struct ref_page *model_page(uint64_t pfn)
{
	struct ref_state *s = &e2e_oracle.model->st;
	uint64_t i = pfn - s->boot.ram_base_pfn;

	page_log_add(&s->recent, i);
	page_log_add(&s->changed, i);
	page_log_add(&s->unchecked, i);
	return &s->page[i];
}

TEST(watch_table_moved_to_kserv_page_fires)
{
	struct violation v;
	unsigned vm = watch_up();

	copy_table(vm, e2e_pfn(50), true);
	CHECK(watch_verdict(false, &v)); /* no call: only the frames moved */
	CHECK_EQ(v.kind, V_TABLE_REACH);
	CHECK_EQ(v.page, e2e_pfn(50));
	watch_down();
}

TEST(watch_table_copy_unlinked_near_miss)
{
	struct violation v;
	unsigned vm = watch_up();

	copy_table(vm, e2e_pfn(50), false);
	CHECK(!watch_verdict(false, &v));
	CHECK(!watch_verdict(true, &v));
	watch_down();
}

TEST(watch_table_page_given_away_fires)
{
	struct violation v;
	unsigned vm = watch_up();
	uint64_t pfn = e2e_pfn(50);

	model_page(pfn)->owner = KCORE_OWNER_KCORE;
	CHECK(!watch_verdict(true, &v));
	copy_table(vm, pfn, true);
	CHECK(!watch_verdict(false, &v)); /* a table in a page KCore holds */
	model_page(pfn)->gfn ^= 1;        /* the page moved, its owner did not */
	CHECK(!watch_verdict(true, &v));
	model_page(pfn)->owner = KCORE_OWNER_KSERV;
	CHECK(watch_verdict(true, &v));
	CHECK_EQ(v.kind, V_TABLE_REACH);
	CHECK_EQ(v.page, pfn);
	watch_down();
}

static const struct test_case cases[] = {
	CASE(watch_table_moved_to_kserv_page_fires),
	CASE(watch_table_copy_unlinked_near_miss),
	CASE(watch_table_page_given_away_fires),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
