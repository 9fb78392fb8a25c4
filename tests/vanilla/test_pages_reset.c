/* The baseline's per-page counters after a reset: exactly the fresh
 * state (every page zero) whichever pages runs before wrote, at every
 * edge of the blocks the reset keeps track of. */
#include "setup.h"
#include "target_fixture.h"
#include "vanilla_state.h"

/* Pages a run may touch: both ends of RAM, both sides of each edge of
 * the array's 4 KiB blocks, and a spread between. */
static unsigned dirty_pages(const struct kcore_boot *b, uint64_t pfn[], unsigned cap)
{
	const uint64_t per_block = 4096 / sizeof(struct vanilla_page);
	unsigned n = 0;

	for (uint64_t i = 0; i < b->ram_pages && n + 2 <= cap; i += per_block) {
		if (i > 0)
			pfn[n++] = b->ram_base_pfn + i - 1;
		pfn[n++] = b->ram_base_pfn + i;
	}
	for (uint64_t i = 7; i < b->ram_pages && n < cap; i += 997)
		pfn[n++] = b->ram_base_pfn + i;
	if (n < cap)
		pfn[n++] = b->ram_base_pfn + b->ram_pages - 1;
	return n;
}

static void put_all(const uint64_t pfn[], unsigned n, uint32_t seed)
{
	vanilla_lock(KLOCK_S2PAGE, 0);
	for (unsigned j = 0; j < n; j++)
		vanilla_page_put(pfn[j], (struct vanilla_page){ .dma = seed + j, .share = (uint8_t)(j | 1) });
	vanilla_unlock(KLOCK_S2PAGE, 0);
}

static void expect_fresh(const struct kcore_boot *b)
{
	for (uint64_t i = 0; i < b->ram_pages; i++) {
		struct vanilla_page p;
		CHECK(vanilla_page_peek(b->ram_base_pfn + i, &p));
		CHECK_EQ(p.dma, 0);
		CHECK_EQ(p.share, 0);
	}
}

TEST(reset_clears_every_written_page)
{
	static uint64_t pfn[4096];
	tf_machine();
	tf_boot(&target_vanilla);
	const struct kcore_boot *b = vanilla_layout();
	unsigned n = dirty_pages(b, pfn, 4096);
	CHECK(n > 64);
	expect_fresh(b);
	/* twice: a reset must also forget what it cleared */
	for (uint32_t round = 1; round <= 2; round++) {
		put_all(pfn, n, round * 1000);
		tf_boot(&target_vanilla);
		expect_fresh(b);
	}
	/* a page written again after a reset is cleared again */
	put_all(pfn + n - 1, 1, 5);
	tf_boot(&target_vanilla);
	expect_fresh(b);
}

static const struct test_case cases[] = {
	CASE(reset_clears_every_written_page),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
