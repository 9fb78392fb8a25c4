/* The operand pools hold what PROGRAM.md promises, within the limits the
 * binary form relies on. */
#include "check.h"
#include "fixtures.h"

#include <stdio.h>

/* The region size the contract gives (KCore reports the same). */
static uint64_t kcore_region_pages_needed_contract(void)
{
	return KCORE_REGION_PAGES;
}

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


/* A page range of the layout, listed here from the contract (kcore.h) and
 * the boot description, apart from how pools.c derives its values. */
struct range {
	const char *name;
	uint64_t first, pages;
};

static unsigned layout_ranges(const struct kcore_boot *b, struct range *out)
{
	unsigned n = 0;
	uint64_t k = b->kcore_base_pfn, p = k;

	out[n++] = (struct range){ "RAM", b->ram_base_pfn, b->ram_pages };
	out[n++] = (struct range){ "MMIO", b->mmio_base_pfn, b->mmio_pages };
	out[n++] = (struct range){ "KCore region", k, b->kcore_pages };
	out[n++] = (struct range){ "KServ pool", p, KCORE_KSERV_POOL_PAGES };
	p += KCORE_KSERV_POOL_PAGES;
	for (unsigned vm = 1; vm <= KCORE_MAX_VMS; vm++, p += KCORE_VM_POOL_PAGES)
		out[n++] = (struct range){ "VM pool", p, KCORE_VM_POOL_PAGES };
	for (unsigned u = 0; u < KCORE_SMMU_UNITS; u++, p += KCORE_SMMU_POOL_PAGES)
		out[n++] = (struct range){ "SMMU pool", p, KCORE_SMMU_POOL_PAGES };
	CHECK_EQ(p - k, kcore_region_pages_needed_contract());
	return n;
}

static unsigned missing;

static void expect(const struct program_pools *pools, enum arg_type t, uint64_t v, const char *what)
{
	if (pool_find(pools, t, v) < 0) {
		printf("not in the %s pool: %#llx (%s)\n", program_arg_type_info(t)->name,
		       (unsigned long long)v, what);
		missing++;
	}
}

/* Both sides of both ends of every range: as pages (pfn, and the same
 * page as an address and as a KServ IPA) and as bytes (pa, which KServ's
 * accesses take unaligned): the last word and byte below a range, its
 * first word, its last word and byte. */
static void check_layout(const struct kcore_boot *b)
{
	static struct program_pools pools;
	struct range r[32];
	unsigned n;

	program_pools_init(&pools, b);
	n = layout_ranges(b, r);
	missing = 0;
	for (unsigned i = 0; i < n; i++) {
		uint64_t pages[4] = { r[i].first - 1, r[i].first, r[i].first + r[i].pages - 1,
				      r[i].first + r[i].pages };
		uint64_t lo = r[i].first << PAGE_SHIFT, hi = (r[i].first + r[i].pages) << PAGE_SHIFT;
		uint64_t bytes[5] = { lo - 8, lo - 1, lo + 8, hi - 8, hi - 1 };

		for (unsigned j = 0; j < 4; j++) {
			expect(&pools, ARG_PFN, pages[j], r[i].name);
			expect(&pools, ARG_PA, pages[j] << PAGE_SHIFT, r[i].name);
			expect(&pools, ARG_IPA, pages[j] << PAGE_SHIFT, r[i].name);
		}
		for (unsigned j = 0; j < 5; j++)
			expect(&pools, ARG_PA, bytes[j], r[i].name);
	}
	/* The IPA space a VM's stage-2 covers. */
	const uint64_t ipa_pages[] = { 0, 1, S2_MAX_GFN, S2_MAX_GFN + 1 };
	for (unsigned j = 0; j < 4; j++) {
		expect(&pools, ARG_GFN, ipa_pages[j], "IPA space");
		expect(&pools, ARG_GPA, ipa_pages[j] << PAGE_SHIFT, "IPA space");
		expect(&pools, ARG_IPA, ipa_pages[j] << PAGE_SHIFT, "IPA space");
		expect(&pools, ARG_IOVA, ipa_pages[j] << PAGE_SHIFT, "IOVA space");
	}
	const uint64_t ipa_end = (S2_MAX_GFN + 1) << PAGE_SHIFT;
	expect(&pools, ARG_GPA, ipa_end - 8, "IPA space, last word");
	expect(&pools, ARG_GPA, ipa_end - 1, "IPA space, last byte");
	/* Every unit's IOVA space: the same span, and iova_to_phys and DMA
	 * take unaligned iovas. */
	expect(&pools, ARG_IOVA, 8, "IOVA space, second word");
	expect(&pools, ARG_IOVA, ipa_end - 8, "IOVA space, last word");
	expect(&pools, ARG_IOVA, ipa_end - 1, "IOVA space, last byte");
	/* Image ranges: at most KCORE_MAX_IMAGE_PAGES from the image gfn
	 * the pools use, so both sides of each possible end, and the image
	 * page indexes either side of each length. */
	for (uint64_t npages = 1; npages <= KCORE_MAX_IMAGE_PAGES; npages++) {
		expect(&pools, ARG_GFN, 0x80000 - 1, "below an image");
		expect(&pools, ARG_GFN, 0x80000 + npages - 1, "last image page");
		expect(&pools, ARG_GFN, 0x80000 + npages, "past an image");
		expect(&pools, ARG_COUNT, npages - 1, "last image index");
		expect(&pools, ARG_COUNT, npages, "first index past an image");
	}
	expect(&pools, ARG_COUNT, KCORE_MAX_IMAGE_PAGES + 1, "past the longest image");
	/* Handles: both sides of each table of slots. */
	expect(&pools, ARG_VM, 0, "below the VM handles");
	expect(&pools, ARG_VM, KCORE_MAX_VMS, "last VM handle");
	expect(&pools, ARG_VM, KCORE_MAX_VMS + 1, "past the VM handles");
	expect(&pools, ARG_VCPU, KCORE_MAX_VCPUS - 1, "last vCPU");
	expect(&pools, ARG_VCPU, KCORE_MAX_VCPUS, "past the vCPUs");
	expect(&pools, ARG_UNIT, KCORE_SMMU_UNITS - 1, "last unit");
	expect(&pools, ARG_UNIT, KCORE_SMMU_UNITS, "past the units");
	expect(&pools, ARG_OFF, 0xff8, "a page's last word");
	expect(&pools, ARG_OFF, 0xfff, "a page's last byte");
	CHECK_EQ(missing, 0u);
}

TEST(every_layout_boundary_in_pools)
{
	struct kcore_boot b;

	fx_boot(&b);
	check_layout(&b);
	/* KCore's region at the end of RAM, MMIO above RAM. */
	b.kcore_pages = kcore_region_pages_needed_contract();
	b.kcore_base_pfn = b.ram_base_pfn + b.ram_pages - b.kcore_pages;
	b.mmio_base_pfn = b.ram_base_pfn + b.ram_pages + 0x100;
	check_layout(&b);
}

static const struct test_case cases[] = {
	CASE(every_layout_boundary_in_pools),
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
