/* The model's page array between runs: resets and copies touch only the
 * pages either side changed, and must leave exactly what a whole-array
 * walk would, also past the change log's capacity and across layouts. */
#include <stdlib.h>

#include "check.h"
#include "model_fixture.h"

/* Every page of s is the boot state of s's layout. */
static void check_boot_pages(const struct ref_state *s)
{
	for (uint64_t i = 0; i < s->boot.ram_pages; i++) {
		uint64_t pfn = s->boot.ram_base_pfn + i;
		const struct ref_page *p = ref_page_get(s, pfn);
		CHECK_EQ(p->gfn, KCORE_NO_GFN);
		CHECK_EQ(p->owner, ref_in_kcore_region(s, pfn) ? KCORE_OWNER_KCORE : KCORE_OWNER_KSERV);
		CHECK_EQ(p->share, 0);
		CHECK_EQ(p->dma, 0);
	}
}

static void check_same_pages(const struct ref_state *a, const struct ref_state *b)
{
	CHECK_EQ(a->boot.ram_pages, b->boot.ram_pages);
	for (uint64_t i = 0; i < a->boot.ram_pages; i++) {
		CHECK_EQ(a->page[i].gfn, b->page[i].gfn);
		CHECK_EQ(a->page[i].owner, b->page[i].owner);
		CHECK_EQ(a->page[i].share, b->page[i].share);
		CHECK_EQ(a->page[i].dma, b->page[i].dma);
	}
}

/* Pages first, first + step, ... (count of them) owned by VM owner. */
static void change_pages(struct ref_state *s, uint64_t first, uint64_t step, unsigned count, unsigned owner)
{
	for (unsigned k = 0; k < count; k++) {
		struct ref_page *p = ref_page_of(s, s->boot.ram_base_pfn + first + k * step);
		p->owner = owner;
		p->gfn = k;
		p->share = 1;
	}
}

TEST(reset_after_a_run_restores_the_boot_state)
{
	struct ref_model *m = fx_model();
	struct kcore_boot b;
	unsigned vm = fx_running_vm(m, 1, FX_KSERV_PFN(0), 2);

	CHECK_EQ(fx_hvc(m, HVC_MAP_VM_PAGE, vm, 0x33, FX_KSERV_PFN(5)), KCORE_OK);
	CHECK_EQ(fx_ghvc(m, 2, GHVC_GRANT, 0x33), 1);
	CHECK_EQ(fx_hvc(m, HVC_SMMU_ALLOC, 1, 0, 0), KCORE_OK);
	CHECK_EQ(fx_hvc(m, HVC_SMMU_MAP, 1, 0x9000, FX_KSERV_PFN(9)), KCORE_OK);
	fx_boot(&b);
	CHECK_EQ(ref_init(m, &b), KCORE_OK);
	check_boot_pages(ref_state_of(m));
	ref_delete(m);
}

TEST(reset_past_the_log_capacity)
{
	struct ref_state s = { 0 };
	struct kcore_boot b;

	fx_boot(&b);
	CHECK(ref_state_reset(&s, &b));
	change_pages(&s, FX_KCORE_PAGES, 1, 9000, 3); /* more than the log holds */
	CHECK(ref_state_reset(&s, &b));
	check_boot_pages(&s);
	change_pages(&s, FX_KCORE_PAGES, 7, 20, 3); /* and a short log again */
	CHECK(ref_state_reset(&s, &b));
	check_boot_pages(&s);
	ref_state_release(&s);
}

TEST(copy_between_changed_states)
{
	struct ref_state a = { 0 }, b = { 0 }, fresh = { 0 };
	struct kcore_boot boot;

	fx_boot(&boot);
	CHECK(ref_state_reset(&a, &boot) && ref_state_reset(&b, &boot) && ref_state_reset(&fresh, &boot));
	change_pages(&a, FX_KCORE_PAGES, 3, 50, 2);
	change_pages(&b, FX_KCORE_PAGES + 1, 2, 80, 5); /* overlapping a's pages */
	CHECK(ref_state_copy(&b, &a));
	check_same_pages(&b, &a);
	/* the copy goes on logging: a reset of it is the boot state */
	change_pages(&b, FX_KCORE_PAGES + 500, 1, 10, 4);
	CHECK(ref_state_copy(&a, &fresh));
	check_boot_pages(&a);
	CHECK(ref_state_reset(&b, &boot));
	check_boot_pages(&b);
	/* a state changed past its log copies whole, both ways */
	change_pages(&a, FX_KCORE_PAGES, 1, 9000, 6);
	CHECK(ref_state_copy(&b, &a));
	check_same_pages(&b, &a);
	CHECK(ref_state_copy(&b, &fresh));
	check_boot_pages(&b);
	ref_state_release(&a);
	ref_state_release(&b);
	ref_state_release(&fresh);
}

TEST(reset_for_another_layout)
{
	struct ref_state s = { 0 };
	struct kcore_boot b;

	fx_boot(&b);
	CHECK(ref_state_reset(&s, &b));
	change_pages(&s, 0, 5, 100, 2);
	b.kcore_pages += 64; /* KCore's region grows over pages the log never saw */
	CHECK(ref_state_reset(&s, &b));
	check_boot_pages(&s);
	b.kcore_pages -= 64;
	CHECK(ref_state_reset(&s, &b));
	check_boot_pages(&s);
	ref_state_release(&s);
}

static const struct test_case cases[] = {
	CASE(reset_after_a_run_restores_the_boot_state),
	CASE(reset_past_the_log_capacity),
	CASE(copy_between_changed_states),
	CASE(reset_for_another_layout),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
