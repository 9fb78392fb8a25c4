/* Operations the model does a page or a table at a time leave exactly the
 * state their line-by-line or entry-by-entry forms leave: the same lines
 * present and dirty with the same bytes, the same memory below, the same
 * frame generation and epoch.  Each test runs the bulk form on one frame
 * and the step-by-step form on a twin frame set up the same way. */
#include <string.h>

#include "check.h"
#include "hyp/arch.h"
#include "sim_fixture.h"

#define A FX_DATA
#define B (FX_DATA + 0x10000)
#define LINES (PAGE_SIZE / CACHE_LINE_SIZE)

/* Memory below every line, then some lines dirty, some present and clean
 * over different memory, some absent. */
static void mixed_page(uint64_t page)
{
	for (unsigned i = 0; i < PAGE_SIZE / 8; i++)
		sim_mem_write64(page + 8ull * i, 0x1000 + i);
	for (unsigned l = 0; l < LINES; l += 3) {
		uint64_t v = 0xd0 + l;
		arch_phys_write(pa_init(page + l * CACHE_LINE_SIZE + 8), &v, 8);
	}
	for (unsigned l = 1; l < LINES; l += 5) {
		uint64_t v;
		arch_phys_read(pa_init(page + l * CACHE_LINE_SIZE), &v, 8);
		sim_mem_write64(page + l * CACHE_LINE_SIZE, 0xbe10 + l); /* below the clean line */
	}
}

/* Line by line: the same presence, dirtiness and bytes in the cache, the
 * same memory below. */
static void check_same_page(uint64_t a, uint64_t b)
{
	for (unsigned l = 0; l < LINES; l++) {
		uint64_t off = l * CACHE_LINE_SIZE;
		uint8_t la[CACHE_LINE_SIZE], lb[CACHE_LINE_SIZE];
		bool da = false, db = false;
		bool pa = sim_cache_line(a + off, &da, la), pb = sim_cache_line(b + off, &db, lb);

		CHECK_EQ(pa, pb);
		CHECK_EQ(da, db);
		CHECK(!pa || memcmp(la, lb, sizeof(la)) == 0);
		for (unsigned w = 0; w < CACHE_LINE_SIZE / 8; w++)
			CHECK_EQ(sim_mem_read64(a + off + 8 * w), sim_mem_read64(b + off + 8 * w));
	}
}

TEST(bulk_page_zero_equals_line_writes)
{
	static const uint8_t zeros[CACHE_LINE_SIZE];

	fx_up();
	mixed_page(A);
	mixed_page(B);
	uint64_t e0 = sim_mem_epoch(), before = sim_event_count();
	arch_page_zero(pa_init(A + 0x123));
	uint64_t bulk_epochs = sim_mem_epoch() - e0, gen_a = sim_frame_gen(A);
	CHECK_EQ(sim_event_count(), before + 1);
	CHECK_EQ(gen_a, sim_mem_epoch());

	e0 = sim_mem_epoch();
	for (unsigned l = 0; l < LINES; l++)
		arch_phys_write(pa_init(B + l * CACHE_LINE_SIZE), zeros, CACHE_LINE_SIZE);
	CHECK_EQ(sim_mem_epoch() - e0, bulk_epochs);
	CHECK_EQ(bulk_epochs, LINES);
	check_same_page(A, B);
	for (unsigned i = 0; i < PAGE_SIZE / 8; i++)
		CHECK_EQ(sim_coherent_read64(A + 8ull * i), 0);
	sim_fini();
}

/* Valid descriptors, invalid ones with other bits set, zeros; a table
 * partly in the cache (line 0 clean, line 9 dirty). */
static void mixed_table(uint64_t t)
{
	static const unsigned valid[] = { 5, 6, 70, 200, 511 };

	for (unsigned i = 0; i < S2_ENTRIES; i++)
		sim_mem_write64(t + 8ull * i, i % 7 == 3 ? S2_TYPE_TABLE | (uint64_t)i << 12 : 0);
	for (unsigned k = 0; k < sizeof(valid) / sizeof(valid[0]); k++)
		sim_mem_write64(t + 8ull * valid[k], S2_PAGE_NORMAL_RW | (uint64_t)valid[k] << 12);
	(void)arch_pte_read(pa_init(t), 0);
	arch_pte_write(pa_init(t), 75, 0x9);     /* valid, only in the cache */
	sim_mem_write64(t + 8ull * 200, 0);       /* line 25 not cached: memory rules */
}

/* The reference: arch_pte_read one entry at a time. */
static unsigned next_valid_by_reads(uint64_t t, unsigned from, unsigned to, uint64_t *desc)
{
	for (unsigned i = from; i <= to; i++) {
		uint64_t d = arch_pte_read(pa_init(t), i);
		if (d & S2_VALID) {
			*desc = d;
			return i;
		}
	}
	return to + 1;
}

TEST(bulk_pte_scan_equals_entry_reads)
{
	static const unsigned ranges[][2] = {
		{ 0, 511 }, { 6, 6 }, { 7, 69 }, { 7, 511 }, { 71, 74 }, { 76, 511 }, { 201, 510 },
		{ 300, 200 }, { 511, 511 }, { 512 - 8, 511 }, { 0, 4 },
	};

	for (unsigned r = 0; r < sizeof(ranges) / sizeof(ranges[0]); r++) {
		fx_up();
		uint64_t ta = fx_table(), tb = fx_table();
		mixed_table(ta);
		mixed_table(tb);
		uint64_t da = 0xdead, db = 0xdead, e0 = sim_mem_epoch(), before = sim_event_count();
		unsigned from = ranges[r][0], to = ranges[r][1];

		unsigned ia = arch_pte_next_valid(pa_init(ta + 0x10), from, to, &da);
		unsigned ib = next_valid_by_reads(tb, from, to, &db);
		CHECK_EQ(ia, ib);
		CHECK_EQ(da, db);
		CHECK_EQ(sim_mem_epoch(), e0);          /* reads change no view */
		CHECK_EQ(sim_event_count(), before);    /* and emit nothing */
		check_same_page(ta, tb);
		sim_fini();
	}
}

/* The scan walks over the table's end only where entry reads would have
 * reached it: index 512 panics when no valid entry comes first. */
TEST(bulk_pte_scan_past_the_table)
{
	uint64_t d = 0;

	fx_up();
	uint64_t t = fx_table();
	sim_mem_write64(t + 8 * 510, S2_PAGE_NORMAL_RW);
	CHECK_EQ(arch_pte_next_valid(pa_init(t), 500, 600, &d), 510);
	CHECK_EQ(d, S2_PAGE_NORMAL_RW);
	CHECK_EQ(fx_panics, 0);
	if (setjmp(fx_panic_jmp) == 0) {
		(void)arch_pte_next_valid(pa_init(t), 511, 512, &d);
		CHECK(!"scan past entry 511 returned");
	}
	CHECK_EQ(fx_panics, 1);
	if (setjmp(fx_panic_jmp) == 0) {
		(void)arch_pte_next_valid(pa_init(FX_MMIO), 0, 3, &d);
		CHECK(!"scan of a table outside RAM returned");
	}
	CHECK_EQ(fx_panics, 2);
	sim_fini();
}

static const struct test_case cases[] = {
	CASE(bulk_page_zero_equals_line_writes),
	CASE(bulk_pte_scan_equals_entry_reads),
	CASE(bulk_pte_scan_past_the_table),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
