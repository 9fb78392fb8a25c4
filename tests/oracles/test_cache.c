/* Cache bypass oracle, on the machine model: pages put into each state a
 * transfer can leave behind (dirty, stale, half scrubbed), through the
 * model's own cache and memory operations. */
#include "check.h"
#include "hw/cache_bypass.h"
#include "hyp/arch.h"
#include "hyp/kcore.h"
#include "sim/machine.h"

#define PAGE_PA 0x40100000ull
#define PFN (PAGE_PA >> PAGE_SHIFT)
#define SECRET 0x5ec2e7d474a0001ull

static struct violation got;

static void up(void)
{
	struct sim_config cfg;

	sim_config_default(&cfg);
	CHECK_EQ(sim_init(&cfg), 0);
	CHECK(sim_is_ram(PAGE_PA));
}

/* KCore-style cacheable stores: leave dirty lines. */
static void fill_page(uint64_t word)
{
	uint64_t buf[PAGE_SIZE / 8];

	for (unsigned i = 0; i < PAGE_SIZE / 8; i++)
		buf[i] = word + i;
	arch_phys_write(pa_init(PAGE_PA), buf, sizeof(buf));
}

static void each_line(void (*op)(paddr_t))
{
	for (uint64_t off = 0; off < PAGE_SIZE; off += CACHE_LINE_SIZE)
		op(pa_init(PAGE_PA + off));
}

static bool transfer(unsigned from, unsigned to)
{
	violation_init(&got, V_NONE);
	return cache_oracle_check_transfer(PFN, from, to, &got);
}

static void expect(bool found, enum violation_kind k)
{
	if (!found)
		CHECK_FAIL_("expected %s, got nothing", violation_kind_name(k));
	if (got.kind != k) {
		violation_print(stderr, &got);
		CHECK_STR_EQ(violation_kind_name(got.kind), violation_kind_name(k));
	}
	CHECK_EQ(got.page, PFN);
}

static void expect_silent(bool found)
{
	if (found) {
		violation_print(stderr, &got);
		CHECK(!found);
	}
}

TEST(reclaim_unscrubbed_dirty_page)
{
	up();
	fill_page(SECRET);
	expect(transfer(3, KCORE_OWNER_KSERV), V_SCRUB_CACHED);
	CHECK_EQ(got.vm, 3);
	CHECK_EQ(got.expected, 0);
	CHECK_EQ(got.actual, SECRET);
	sim_fini();
}

TEST(reclaim_unscrubbed_page_in_memory)
{
	up();
	sim_mem_write64(PAGE_PA + 0x358, SECRET);
	/* No line is cached, so cacheable reads see memory too. */
	expect(transfer(1, KCORE_OWNER_KSERV), V_SCRUB_CACHED);
	CHECK_EQ(got.actual, SECRET);
	sim_fini();
}

TEST(reclaim_zeroed_but_not_cleaned)
{
	up();
	sim_mem_write64(PAGE_PA + 0x80, SECRET);
	arch_page_zero(pa_init(PAGE_PA));
	CHECK_EQ(sim_coherent_read64(PAGE_PA + 0x80), 0);
	expect(transfer(2, KCORE_OWNER_KSERV), V_SCRUB_UNCACHED);
	CHECK_EQ(got.vm, 2);
	CHECK_EQ(got.actual, SECRET);
	CHECK(strstr(got.detail, "0x080") != NULL);
	sim_fini();
}

TEST(reclaim_stale_clean_line_above_scrubbed_memory)
{
	up();
	fill_page(SECRET);
	each_line(arch_dc_cvac);
	/* A scrub by non-cacheable stores leaves the clean lines stale. */
	for (uint64_t off = 0; off < PAGE_SIZE; off += 8)
		sim_mem_write64(PAGE_PA + off, 0);
	expect(transfer(4, KCORE_OWNER_KSERV), V_SCRUB_CACHED);
	sim_fini();
}

TEST(reclaim_scrubbed_and_cleaned_silent)
{
	up();
	fill_page(SECRET);
	each_line(arch_dc_civac);
	arch_page_zero(pa_init(PAGE_PA));
	each_line(arch_dc_civac);
	expect_silent(transfer(2, KCORE_OWNER_KSERV));
	sim_fini();
}

TEST(reclaim_zeroed_and_cleaned_keeping_lines_silent)
{
	up();
	fill_page(SECRET);
	arch_page_zero(pa_init(PAGE_PA));
	each_line(arch_dc_cvac);
	expect_silent(transfer(KCORE_OWNER_KCORE, KCORE_OWNER_KSERV));
	sim_fini();
}

TEST(reclaim_from_kcore_checked)
{
	up();
	fill_page(SECRET);
	expect(transfer(KCORE_OWNER_KCORE, KCORE_OWNER_KSERV), V_SCRUB_CACHED);
	CHECK_EQ(got.vm, 0);
	sim_fini();
}

TEST(handover_with_dirty_line)
{
	uint64_t v = SECRET;

	up();
	arch_phys_write(pa_init(PAGE_PA + 0x7c0), &v, sizeof(v));
	expect(transfer(KCORE_OWNER_KSERV, 2), V_DIRTY_LINE);
	CHECK_EQ(got.vm, 2);
	CHECK_EQ(got.actual, 0x7c0);
	sim_fini();
}

TEST(handover_to_kcore_with_dirty_line)
{
	up();
	fill_page(SECRET);
	expect(transfer(KCORE_OWNER_KSERV, KCORE_OWNER_KCORE), V_DIRTY_LINE);
	CHECK_EQ(got.vm, 0);
	CHECK_EQ(got.actual, 0);
	sim_fini();
}

TEST(handover_cleaned_silent)
{
	up();
	fill_page(SECRET);
	each_line(arch_dc_cvac);
	expect_silent(transfer(KCORE_OWNER_KSERV, 1));
	fill_page(SECRET + 1);
	each_line(arch_dc_civac);
	expect_silent(transfer(KCORE_OWNER_KSERV, 1));
	sim_fini();
}

TEST(handover_after_eviction_silent)
{
	up();
	fill_page(SECRET);
	for (uint64_t off = 0; off < PAGE_SIZE; off += CACHE_LINE_SIZE)
		sim_cache_evict(PAGE_PA + off);
	expect_silent(transfer(KCORE_OWNER_KSERV, 5));
	sim_fini();
}

/* A clean line over memory rewritten around the cache: KServ read the
 * page cacheably, then wrote memory non-cacheably; the hand-over cleaned
 * the line (nothing to write back) but did not invalidate it. */
static void stale_clean_line(uint64_t off)
{
	uint64_t v;

	arch_phys_read(pa_init(PAGE_PA + off), &v, sizeof(v));
	arch_dc_cvac(pa_init(PAGE_PA + off));
	sim_mem_write64(PAGE_PA + off, SECRET);
}

TEST(handover_with_stale_clean_line)
{
	up();
	stale_clean_line(0x240);
	expect(transfer(KCORE_OWNER_KSERV, 2), V_STALE_LINE);
	CHECK_EQ(got.vm, 2);
	CHECK_EQ(got.actual, 0x240);
	sim_fini();
}

TEST(handover_to_kcore_with_stale_clean_line)
{
	/* What verify_vm_image would hash through the cache. */
	up();
	stale_clean_line(0);
	expect(transfer(KCORE_OWNER_KSERV, KCORE_OWNER_KCORE), V_STALE_LINE);
	sim_fini();
}

TEST(image_to_vm_with_stale_clean_line)
{
	up();
	stale_clean_line(0xfc0);
	expect(transfer(KCORE_OWNER_KCORE, 1), V_STALE_LINE);
	CHECK_EQ(got.vm, 1);
	sim_fini();
}

TEST(handover_clean_line_matching_memory_silent)
{
	uint64_t v;

	/* The near miss: the line is clean and holds what memory holds. */
	up();
	arch_phys_read(pa_init(PAGE_PA + 0x240), &v, sizeof(v));
	sim_mem_write64(PAGE_PA + 0x248, 0);
	expect_silent(transfer(KCORE_OWNER_KSERV, 2));
	sim_fini();
}

TEST(other_transfers_not_checked)
{
	up();
	fill_page(SECRET);
	expect_silent(transfer(1, 2));
	expect_silent(transfer(KCORE_OWNER_KCORE, 1));
	expect_silent(transfer(KCORE_OWNER_KSERV, KCORE_OWNER_KSERV));
	expect_silent(transfer(3, 3));
	sim_fini();
}

TEST(non_ram_pages_ignored)
{
	struct violation v;

	up();
	CHECK(!cache_oracle_check_transfer(sim_cfg()->mmio_base >> PAGE_SHIFT, 1, KCORE_OWNER_KSERV, &v));
	CHECK(!cache_oracle_check_transfer(0, KCORE_OWNER_KSERV, 1, &v));
	CHECK(!cache_oracle_check_transfer(UINT64_MAX, 1, KCORE_OWNER_KSERV, &v));
	CHECK(!cache_oracle_check_transfer(UINT64_MAX >> PAGE_SHIFT, KCORE_OWNER_KSERV, 1, &v));
	sim_fini();
}

static const struct test_case cases[] = {
	CASE(reclaim_unscrubbed_dirty_page),
	CASE(reclaim_unscrubbed_page_in_memory),
	CASE(reclaim_zeroed_but_not_cleaned),
	CASE(reclaim_stale_clean_line_above_scrubbed_memory),
	CASE(reclaim_scrubbed_and_cleaned_silent),
	CASE(reclaim_zeroed_and_cleaned_keeping_lines_silent),
	CASE(reclaim_from_kcore_checked),
	CASE(handover_with_dirty_line),
	CASE(handover_to_kcore_with_dirty_line),
	CASE(handover_cleaned_silent),
	CASE(handover_after_eviction_silent),
	CASE(handover_with_stale_clean_line),
	CASE(handover_to_kcore_with_stale_clean_line),
	CASE(image_to_vm_with_stale_clean_line),
	CASE(handover_clean_line_matching_memory_silent),
	CASE(other_transfers_not_checked),
	CASE(non_ram_pages_ignored),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
