/* The write-back cache: what cacheable and non-cacheable accesses see, and
 * how cleaning, invalidating and eviction move data to memory. */
#include "check.h"
#include "hyp/arch.h"
#include "sim_fixture.h"

#define RW S2_PAGE_NORMAL_RW
#define IPA 0x9000ull
#define PA (FX_DATA + 0x40)

static void guest_up(void)
{
	fx_up();
	fx_set_stage2(0, 1, fx_root_with_page(IPA, FX_DATA, RW));
}

static uint64_t guest_read(unsigned flags)
{
	uint64_t v = 0;

	CHECK_EQ(sim_cpu_access(0, IPA + 0x40, flags, &v, NULL), SIM_OK);
	return v;
}

static void guest_write(unsigned flags, uint64_t v)
{
	CHECK_EQ(sim_cpu_access(0, IPA + 0x40, flags | SIM_ACC_WRITE, &v, NULL), SIM_OK);
}

TEST(cache_nc_read_below_dirty_line_until_civac)
{
	bool dirty;
	uint8_t line[64];

	guest_up();
	guest_write(0, 0x1111);
	CHECK(sim_cache_line(PA, &dirty, line));
	CHECK(dirty);
	CHECK_EQ(line[0], 0x11);
	CHECK_EQ(guest_read(0), 0x1111);
	CHECK_EQ(guest_read(SIM_ACC_NONCACHEABLE), 0);
	CHECK_EQ(sim_mem_read64(PA), 0);
	arch_dc_civac(pa_init(PA + 0x38)); /* any byte of the line */
	CHECK(!sim_cache_line(PA, NULL, NULL));
	CHECK_EQ(sim_mem_read64(PA), 0x1111);
	CHECK_EQ(guest_read(SIM_ACC_NONCACHEABLE), 0x1111);
	sim_fini();
}

TEST(cache_cvac_cleans_and_keeps_line)
{
	bool dirty;

	guest_up();
	guest_write(0, 0x2222);
	arch_dc_cvac(pa_init(PA));
	CHECK(sim_cache_line(PA, &dirty, NULL));
	CHECK(!dirty);
	CHECK_EQ(guest_read(SIM_ACC_NONCACHEABLE), 0x2222);
	/* Cleaning touches only its own line. */
	guest_write(0, 0x3333);
	arch_dc_cvac(pa_init(PA + 64));
	CHECK_EQ(sim_mem_read64(PA), 0x2222);
	sim_fini();
}

TEST(cache_eviction_writes_back)
{
	struct sim_event ev;

	guest_up();
	guest_write(0, 0x4444);
	uint64_t before = sim_event_count();
	sim_cache_evict(PA + 8);
	CHECK_EQ(sim_event_count(), before + 1);
	CHECK_EQ(sim_recent_events(&ev, 1), 1);
	CHECK_EQ(ev.kind, EV_CACHE_EVICT);
	CHECK_EQ(ev.a, PA);
	CHECK_EQ(ev.b, 1);
	CHECK(!sim_cache_line(PA, NULL, NULL));
	CHECK_EQ(sim_mem_read64(PA), 0x4444);
	/* A clean line goes quietly; no line, no event. */
	CHECK_EQ(guest_read(0), 0x4444);
	sim_cache_evict(PA);
	CHECK_EQ(sim_recent_events(&ev, 1), 1);
	CHECK_EQ(ev.b, 0);
	before = sim_event_count();
	sim_cache_evict(PA);
	sim_cache_evict(0x100000);
	CHECK_EQ(sim_event_count(), before);
	sim_fini();
}

TEST(cache_stale_clean_line_after_nc_write)
{
	guest_up();
	CHECK_EQ(guest_read(0), 0); /* allocates a clean line */
	guest_write(SIM_ACC_NONCACHEABLE, 0x5555);
	CHECK_EQ(sim_mem_read64(PA), 0x5555);
	CHECK_EQ(guest_read(0), 0); /* the stale line still answers */
	CHECK_EQ(sim_coherent_read64(PA), 0);
	arch_dc_civac(pa_init(PA));
	CHECK_EQ(guest_read(0), 0x5555);
	sim_fini();
}

TEST(cache_dirty_line_overwrites_nc_write_on_eviction)
{
	guest_up();
	guest_write(0, 0x6666);
	guest_write(SIM_ACC_NONCACHEABLE, 0x7777);
	sim_cache_evict(PA);
	CHECK_EQ(sim_mem_read64(PA), 0x6666);
	sim_fini();
}

TEST(cache_bypassed_by_non_writeback_attributes)
{
	fx_up();
	uint64_t root = fx_table();
	uint64_t nc = (RW & ~S2_MEMATTR_MASK) | S2_MEMATTR_NORMAL_NC;
	uint64_t v = 0x8888;

	fx_map(root, IPA, 3, FX_DATA | nc);
	fx_set_stage2(0, 1, root);
	CHECK_EQ(sim_cpu_access(0, IPA, SIM_ACC_WRITE, &v, NULL), SIM_OK);
	CHECK_EQ(sim_mem_read64(FX_DATA), 0x8888);
	CHECK(!sim_cache_line(FX_DATA, NULL, NULL));
	sim_fini();
}

TEST(cache_phys_access_any_length)
{
	uint8_t buf[200], back[200];

	fx_up();
	for (unsigned i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 7 + 1);
	/* Unaligned, crossing lines and a page boundary. */
	uint64_t pa = FX_DATA + 4096 - 77;
	arch_phys_write(pa_init(pa), buf, sizeof(buf));
	arch_phys_read(pa_init(pa), back, sizeof(back));
	CHECK(memcmp(buf, back, sizeof(buf)) == 0);
	/* The writes are cacheable: memory holds nothing yet. */
	CHECK_EQ(sim_mem_read64(FX_DATA + 4096), 0);
	uint64_t word;
	memcpy(&word, buf + 77, 8);
	CHECK_EQ(sim_coherent_read64(FX_DATA + 4096), word);
	arch_phys_read(pa_init(pa), back, 0);
	sim_fini();
}

TEST(cache_page_zero_and_pte_access)
{
	bool dirty;

	fx_up();
	sim_mem_write64(FX_DATA + 0x800, 0x99);
	arch_page_zero(pa_init(FX_DATA + 0x123));
	CHECK_EQ(sim_coherent_read64(FX_DATA + 0x800), 0);
	CHECK_EQ(sim_mem_read64(FX_DATA + 0x800), 0x99);
	CHECK(sim_cache_line(FX_DATA + 0xfc0, &dirty, NULL) && dirty);
	arch_pte_write(pa_init(FX_DATA), 3, 0xabcd);
	CHECK_EQ(arch_pte_read(pa_init(FX_DATA), 3), 0xabcd);
	CHECK_EQ(sim_coherent_read64(FX_DATA + 24), 0xabcd);
	sim_fini();
}

TEST(cache_dma_snoops_without_allocating)
{
	fx_up();
	uint64_t root = fx_root_with_page(0x2000, FX_DATA, RW);
	uint64_t v = 0;

	sim_set_cpu(0);
	arch_smmu_attach(1, pa_init(root));
	arch_phys_write(pa_init(FX_DATA), &(uint64_t){ 0x1234 }, 8);
	CHECK_EQ(sim_dma_access(1, 0x2000, 0, &v, NULL), SIM_OK);
	CHECK_EQ(v, 0x1234); /* sees the dirty line */
	v = 0x5678;
	CHECK_EQ(sim_dma_access(1, 0x2000, SIM_ACC_WRITE, &v, NULL), SIM_OK);
	CHECK_EQ(sim_coherent_read64(FX_DATA), 0x5678);
	/* Where no line is present DMA goes to memory and allocates none. */
	CHECK_EQ(sim_dma_access(1, 0x2100, SIM_ACC_WRITE, &v, NULL), SIM_OK);
	CHECK(!sim_cache_line(FX_DATA + 0x100, NULL, NULL));
	CHECK_EQ(sim_mem_read64(FX_DATA + 0x100), 0x5678);
	/* A non-coherent device reads memory below the dirty line. */
	CHECK_EQ(sim_dma_access(1, 0x2000, SIM_ACC_NONCACHEABLE, &v, NULL), SIM_OK);
	CHECK_EQ(v, 0);
	sim_fini();
}

/* A whole-page coherent read picks, line by line, the present cache line
 * over memory, as word reads do: the oracles' table reads depend on it. */
TEST(cache_coherent_page_read_prefers_present_lines)
{
	uint64_t page[PAGE_SIZE / 8];

	guest_up();
	guest_write(0, 0x1111);                   /* line 1, dirty */
	sim_mem_write64(PA, 0x9999);              /* memory below it differs */
	sim_mem_write64(FX_DATA + 0x80, 0x3333);  /* line 2, not present */
	sim_mem_write64(FX_DATA + 0xff8, 0x4444); /* last word of the page */
	sim_coherent_read_page(FX_DATA + 0x123, page);
	CHECK_EQ(page[PA / 8 - FX_DATA / 8], 0x1111);
	CHECK_EQ(page[0x80 / 8], 0x3333);
	CHECK_EQ(page[0xff8 / 8], 0x4444);
	for (unsigned i = 0; i < PAGE_SIZE / 8; i++)
		CHECK_EQ(page[i], sim_coherent_read64(FX_DATA + 8ull * i));
	sim_fini();
}

/* The page's masks say, line by line, what sim_cache_line says. */
static void check_page_lines(uint64_t page)
{
	uint64_t dirty_mask = ~0ull, present = sim_cache_page_lines(page + 0x7c8, &dirty_mask);

	for (unsigned l = 0; l < PAGE_SIZE / CACHE_LINE_SIZE; l++) {
		bool dirty = false, here = sim_cache_line(page + l * CACHE_LINE_SIZE, &dirty, NULL);
		CHECK_EQ((present >> l) & 1, here);
		CHECK_EQ((dirty_mask >> l) & 1, here && dirty);
	}
}

/* A page's cached lines in one look, through each way a line comes and
 * goes; nothing outside RAM. */
TEST(cache_page_lines_match_each_line)
{
	uint64_t dirty = 1;

	guest_up();
	CHECK_EQ(sim_cache_page_lines(FX_DATA, &dirty), 0);
	CHECK_EQ(dirty, 0);
	guest_write(0, 0x1111); /* line 1, dirty */
	CHECK_EQ(sim_cache_page_lines(FX_DATA, &dirty), 2);
	CHECK_EQ(dirty, 2);
	check_page_lines(FX_DATA);
	arch_dc_cvac(pa_init(PA)); /* clean, kept */
	CHECK_EQ(sim_cache_page_lines(FX_DATA, &dirty), 2);
	CHECK_EQ(dirty, 0);
	arch_dc_civac(pa_init(PA)); /* gone */
	CHECK_EQ(sim_cache_page_lines(FX_DATA, NULL), 0);
	arch_page_zero(pa_init(FX_DATA + 0x2000)); /* every line, dirty */
	CHECK_EQ(sim_cache_page_lines(FX_DATA + 0x2fff, &dirty), ~0ull);
	CHECK_EQ(dirty, ~0ull);
	arch_dc_cvac(pa_init(FX_DATA + 0x2040));
	arch_dc_civac(pa_init(FX_DATA + 0x2fc0));
	check_page_lines(FX_DATA + 0x2000);
	CHECK_EQ(sim_cache_page_lines(FX_DATA + 0x2000, &dirty), ~0ull >> 1);
	CHECK_EQ(dirty, (~0ull >> 1) & ~2ull);
	CHECK_EQ(sim_cache_page_lines(FX_MMIO, &dirty), 0);
	CHECK_EQ(dirty, 0);
	CHECK_EQ(sim_cache_page_lines(0, NULL), 0);
	sim_fini();
}

static const struct test_case cases[] = {
	CASE(cache_nc_read_below_dirty_line_until_civac),
	CASE(cache_cvac_cleans_and_keeps_line),
	CASE(cache_eviction_writes_back),
	CASE(cache_stale_clean_line_after_nc_write),
	CASE(cache_dirty_line_overwrites_nc_write_on_eviction),
	CASE(cache_bypassed_by_non_writeback_attributes),
	CASE(cache_phys_access_any_length),
	CASE(cache_page_zero_and_pte_access),
	CASE(cache_dma_snoops_without_allocating),
	CASE(cache_coherent_page_read_prefers_present_lines),
	CASE(cache_page_lines_match_each_line),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
