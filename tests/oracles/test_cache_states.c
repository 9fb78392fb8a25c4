/* Cache bypass oracle against its definition, word by word: pages driven
 * into random mixes of dirty, clean, stale and absent lines over zero and
 * nonzero memory, every kind of transfer, with and without lines the new
 * owner wrote passed over.  The oracle must give the same kind, value and
 * offset as reading each word of each line through the cache and in
 * memory. */
#include <inttypes.h>
#include <string.h>

#include "check.h"
#include "hw/cache_bypass.h"
#include "hyp/arch.h"
#include "hyp/kcore.h"
#include "sim/machine.h"

#define PAGE_PA 0x40100000ull
#define PFN (PAGE_PA >> PAGE_SHIFT)
#define LINES (PAGE_SIZE / CACHE_LINE_SIZE)
#define STATES 400

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

struct verdict {
	enum violation_kind kind;
	uint64_t actual, off;
};

static uint64_t coherent_word(uint64_t pa, bool *present, bool *dirty)
{
	uint8_t data[CACHE_LINE_SIZE];
	uint64_t w = sim_mem_read64(pa);

	*present = sim_cache_line(pa, dirty, data);
	if (*present)
		memcpy(&w, data + (pa % CACHE_LINE_SIZE), 8);
	return w;
}

/* Reclaim: the first nonzero word through the cache, else in memory. */
static struct verdict scrub_reference(uint64_t skip)
{
	bool present, dirty;

	for (int pass = 0; pass < 2; pass++)
		for (uint64_t off = 0; off < PAGE_SIZE; off += 8) {
			if ((skip >> (off / CACHE_LINE_SIZE)) & 1)
				continue;
			uint64_t w = pass == 0 ? coherent_word(PAGE_PA + off, &present, &dirty)
					       : sim_mem_read64(PAGE_PA + off);
			if (w)
				return (struct verdict){ pass == 0 ? V_SCRUB_CACHED : V_SCRUB_UNCACHED, w, off };
		}
	return (struct verdict){ V_NONE, 0, 0 };
}

/* Hand-over: the first cached line that is clean over other bytes, or
 * dirty when KServ gives the page away. */
static struct verdict clean_reference(unsigned from, uint64_t skip)
{
	for (uint64_t line = 0; line < PAGE_SIZE; line += CACHE_LINE_SIZE) {
		bool present, dirty = false, stale = false;
		if ((skip >> (line / CACHE_LINE_SIZE)) & 1)
			continue;
		for (uint64_t off = line; off < line + CACHE_LINE_SIZE; off += 8)
			stale |= coherent_word(PAGE_PA + off, &present, &dirty) != sim_mem_read64(PAGE_PA + off);
		if (!present)
			continue;
		if (!dirty && stale)
			return (struct verdict){ V_STALE_LINE, line, line };
		if (dirty && from == KCORE_OWNER_KSERV)
			return (struct verdict){ V_DIRTY_LINE, line, line };
	}
	return (struct verdict){ V_NONE, 0, 0 };
}

static uint64_t value(void)
{
	return next() % 3 ? 0 : next() | 1;
}

/* A few cache and memory operations on random lines of the page. */
static void random_state(void)
{
	unsigned nops = (unsigned)(next() % 24);

	for (unsigned i = 0; i < nops; i++) {
		uint64_t pa = PAGE_PA + (next() % (PAGE_SIZE / 8)) * 8, v = value(), r;
		switch (next() % 7) {
		case 0: arch_phys_write(pa_init(pa), &v, sizeof(v)); break;
		case 1: sim_mem_write64(pa, v); break;
		case 2: arch_dc_cvac(pa_init(pa)); break;
		case 3: arch_dc_civac(pa_init(pa)); break;
		case 4: arch_phys_read(pa_init(pa), &r, sizeof(r)); break;
		case 5: sim_cache_evict(pa); break;
		default:
			if (next() % 4 == 0)
				arch_page_zero(pa_init(PAGE_PA));
			break;
		}
	}
}

static void check_one(unsigned from, unsigned to, uint64_t skip, unsigned seen[V__COUNT])
{
	struct violation got;
	struct verdict want = to == KCORE_OWNER_KSERV ? scrub_reference(skip) : clean_reference(from, skip);
	char off[32];

	violation_init(&got, V_NONE);
	bool found = cache_oracle_check_transfer_skip(PFN, from, to, skip, &got);
	CHECK_EQ(found, want.kind != V_NONE);
	CHECK_STR_EQ(violation_kind_name(found ? got.kind : V_NONE), violation_kind_name(want.kind));
	seen[want.kind]++;
	if (!found)
		return;
	CHECK_EQ(got.actual, want.actual);
	snprintf(off, sizeof(off), "offset 0x%03" PRIx64, want.off);
	CHECK(strstr(got.detail, off) != NULL);
}

TEST(verdicts_match_word_by_word)
{
	static const unsigned moves[][2] = {
		{ 3, KCORE_OWNER_KSERV }, { KCORE_OWNER_KCORE, KCORE_OWNER_KSERV }, { KCORE_OWNER_KSERV, 2 },
		{ KCORE_OWNER_KSERV, KCORE_OWNER_KCORE }, { KCORE_OWNER_KCORE, 1 }, { 1, 2 },
	};
	unsigned seen[V__COUNT] = { 0 };
	struct sim_config cfg;

	sim_config_default(&cfg);
	CHECK_EQ(sim_init(&cfg), 0);
	sim_checkpoint();
	for (unsigned s = 0; s < STATES; s++) {
		sim_restore();
		random_state();
		uint64_t skip = next() % 2 ? 0 : next() & next() & next();
		for (unsigned m = 0; m < sizeof(moves) / sizeof(moves[0]); m++)
			check_one(moves[m][0], moves[m][1], skip, seen);
	}
	sim_fini();
	/* every outcome was drawn, so each path above was compared */
	CHECK(seen[V_NONE] > 0 && seen[V_SCRUB_CACHED] > 0 && seen[V_SCRUB_UNCACHED] > 0);
	CHECK(seen[V_STALE_LINE] > 0 && seen[V_DIRTY_LINE] > 0);
}

static const struct test_case cases[] = {
	CASE(verdicts_match_word_by_word),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
