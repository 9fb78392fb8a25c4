/* The operand pools hold what PROGRAM.md promises, within the limits the
 * binary form relies on. */
#include "check.h"
#include "fixtures.h"

static bool has(enum arg_type t, uint64_t v)
{
	return pool_find(fx_pools(), t, v) >= 0;
}

TEST(pools_fit_operand_bytes)
{
	for (unsigned t = 0; t < ARG__COUNT; t++) {
		unsigned n = fx_pools()->type[t].n;
		if (t == ARG_NONE || t == ARG_FLAG) {
			CHECK_EQ(n, 0);
			continue;
		}
		CHECK(n > 0);
		CHECK(n <= POOL_MAX);
		CHECK(n < BIN_OPERAND_LITERAL);
		for (unsigned i = 0; i < n; i++)
			CHECK(fx_pools()->type[t].v[i] <= program_arg_type_info((enum arg_type)t)->max);
	}
}

TEST(small_index_pools)
{
	for (uint64_t v = 0; v <= 9; v++) {
		CHECK(has(ARG_VM, v));
		CHECK(has(ARG_COUNT, v));
	}
	for (uint64_t v = 0; v <= 4; v++) {
		CHECK(has(ARG_VCPU, v));
		CHECK(has(ARG_IMG, v));
		CHECK(has(ARG_UNIT, v));
	}
	CHECK(!has(ARG_VM, 10));
	CHECK(!has(ARG_UNIT, 5));
}

TEST(pfn_pool_follows_layout)
{
	struct kcore_boot b;

	fx_boot(&b);
	for (uint64_t i = 0; i < 8; i++) /* just past KCore's region */
		CHECK(has(ARG_PFN, b.kcore_base_pfn + b.kcore_pages + i));
	CHECK(has(ARG_PFN, b.kcore_base_pfn));
	CHECK(has(ARG_PFN, b.ram_base_pfn + b.ram_pages - 1));
	CHECK(has(ARG_PFN, b.ram_base_pfn + b.ram_pages));
	CHECK(has(ARG_PFN, b.mmio_base_pfn));
	CHECK(has(ARG_PFN, 0));
	/* Physical addresses are the same pages, plus offsets into them. */
	CHECK(has(ARG_PA, (b.kcore_base_pfn + b.kcore_pages) << PAGE_SHIFT));
	CHECK(has(ARG_PA, ((b.kcore_base_pfn + b.kcore_pages) << PAGE_SHIFT) + 8));
	CHECK(has(ARG_PA, b.mmio_base_pfn << PAGE_SHIFT));
	CHECK(has(ARG_IPA, b.kcore_base_pfn << PAGE_SHIFT));
}

/* KCore at the end of RAM: KServ's pages start at the base of RAM. */
TEST(pfn_pool_kcore_at_end)
{
	static struct program_pools pools;
	struct kcore_boot b;

	fx_boot(&b);
	b.kcore_base_pfn = b.ram_base_pfn + b.ram_pages - b.kcore_pages;
	program_pools_init(&pools, &b);
	CHECK(pool_find(&pools, ARG_PFN, b.ram_base_pfn) >= 0);
	CHECK(pool_find(&pools, ARG_PFN, b.ram_base_pfn + 7) >= 0);
	CHECK(pool_find(&pools, ARG_PFN, b.kcore_base_pfn) >= 0);
}

TEST(gfn_pool_crosses_boundaries)
{
	const uint64_t g = 0x80000;

	for (uint64_t i = 0; i < 8; i++)
		CHECK(has(ARG_GFN, g + i));
	CHECK(has(ARG_GFN, g + 0x1ff));
	CHECK(has(ARG_GFN, g + 0x200));
	CHECK(has(ARG_GFN, g - 1));
	CHECK(has(ARG_GFN, g + 0x40000));
	CHECK(has(ARG_GFN, S2_MAX_GFN));
	CHECK(has(ARG_GFN, S2_MAX_GFN + 1));
	CHECK(has(ARG_GPA, g << PAGE_SHIFT));
	CHECK(has(ARG_GPA, (g << PAGE_SHIFT) + 8));
	CHECK(has(ARG_IPA, (g + 0x200) << PAGE_SHIFT));
}

TEST(iova_and_values_spread)
{
	unsigned aligned = 0, unaligned = 0, out = 0, high = 0;
	const struct pool *iova = &fx_pools()->type[ARG_IOVA];
	const struct pool *val = &fx_pools()->type[ARG_VAL];

	for (unsigned i = 0; i < iova->n; i++) {
		aligned += (iova->v[i] & PAGE_MASK) == 0 && (iova->v[i] >> PAGE_SHIFT) <= S2_MAX_GFN;
		unaligned += (iova->v[i] & PAGE_MASK) != 0;
		out += (iova->v[i] >> PAGE_SHIFT) > S2_MAX_GFN;
	}
	CHECK(aligned >= 4);
	CHECK(unaligned >= 2);
	CHECK(out >= 2);
	for (unsigned i = 0; i < val->n; i++)
		high += val->v[i] >> 32 != 0;
	CHECK(high >= 4);
	CHECK(has(ARG_VAL, 0));
	CHECK(has(ARG_VAL, UINT64_MAX));
	CHECK(has(ARG_OFF, 0));
	CHECK(has(ARG_OFF, 0xff8));
}

static const struct test_case cases[] = {
	CASE(pools_fit_operand_bytes),
	CASE(small_index_pools),
	CASE(pfn_pool_follows_layout),
	CASE(pfn_pool_kcore_at_end),
	CASE(gfn_pool_crosses_boundaries),
	CASE(iova_and_values_spread),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
