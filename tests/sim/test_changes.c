/* Change tracking: a frame's generation moves with every change of its
 * coherent view (cached and non-cacheable writes, a clean line dropped
 * above different memory, a restore) and stays put on reads, cleans and
 * fills; a TLB slot's moves with each refill.  The oracles' incremental
 * checks trust exactly this. */
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

static void access(unsigned flags, uint64_t v)
{
	CHECK_EQ(sim_cpu_access(0, IPA + 0x40, flags, &v, NULL), SIM_OK);
}

TEST(changes_frame_gen_moves_with_every_write)
{
	guest_up();
	uint64_t g0 = sim_frame_gen(PA), e0 = sim_mem_epoch();
	access(0, 0);                      /* a cached read fills a line */
	CHECK_EQ(sim_frame_gen(PA), g0);
	CHECK_EQ(sim_mem_epoch(), e0);
	access(SIM_ACC_WRITE, 1);          /* a cached write */
	uint64_t g1 = sim_frame_gen(PA);
	CHECK(g1 > g0);
	arch_dc_cvac(pa_init(PA));         /* a clean: memory now equals the line */
	uint64_t g2 = sim_frame_gen(PA);
	CHECK(g2 >= g1);
	access(SIM_ACC_WRITE | SIM_ACC_NONCACHEABLE, 2); /* below the clean line */
	uint64_t g3 = sim_frame_gen(PA);
	CHECK(g3 > g2);
	sim_cache_evict(PA);               /* the view falls through to memory's 2 */
	CHECK(sim_frame_gen(PA) > g3);
	CHECK_EQ(sim_coherent_read64(PA), 2);
	CHECK_EQ(sim_frame_gen(FX_DATA + 0x1000), 0); /* another frame never moved */
	CHECK_EQ(sim_frame_gen(0x1000), 0);           /* outside RAM */
	sim_fini();
}

TEST(changes_restore_moves_the_frames_it_restores)
{
	guest_up();
	sim_checkpoint();
	uint64_t g0 = sim_frame_gen(PA);
	access(SIM_ACC_WRITE | SIM_ACC_NONCACHEABLE, 7);
	uint64_t g1 = sim_frame_gen(PA);
	CHECK(g1 > g0);
	sim_restore();
	CHECK(sim_frame_gen(PA) > g1); /* never back to an older generation */
	CHECK_EQ(sim_coherent_read64(PA), 0);
	sim_fini();
}

#define OTHER (FX_DATA + 0x5000) /* RAM no test watches */

/* The watch epoch moves when a watched frame's generation does (writes,
 * cached or not, a dropped line, a restore, a new machine) and for
 * nothing else: a data write elsewhere, a read, the marking itself. */
TEST(changes_watch_epoch_moves_only_for_watched_frames)
{
	guest_up();
	uint64_t w = sim_watch_epoch();
	sim_coherent_write64(OTHER, 1);
	access(SIM_ACC_WRITE, 1);
	access(SIM_ACC_WRITE | SIM_ACC_NONCACHEABLE, 2);
	CHECK_EQ(sim_watch_epoch(), w);    /* PA is not watched yet */
	sim_frame_watch(PA);
	sim_frame_watch(0x1000);           /* outside RAM: nothing to watch */
	access(0, 0);
	CHECK_EQ(sim_watch_epoch(), w);
	access(SIM_ACC_WRITE, 3);          /* a cached write */
	CHECK(sim_watch_epoch() > w);
	w = sim_watch_epoch();
	sim_cache_evict(PA);               /* a line dropped */
	CHECK(sim_watch_epoch() > w);
	w = sim_watch_epoch();
	access(SIM_ACC_WRITE | SIM_ACC_NONCACHEABLE, 4);
	CHECK(sim_watch_epoch() > w);
	w = sim_watch_epoch();
	sim_coherent_write64(OTHER, 5);    /* data elsewhere */
	CHECK_EQ(sim_watch_epoch(), w);

	sim_checkpoint();
	sim_coherent_write64(OTHER, 6);
	CHECK_EQ(sim_watch_epoch(), w);
	sim_restore();                     /* restores OTHER only */
	CHECK_EQ(sim_watch_epoch(), w);
	access(SIM_ACC_WRITE | SIM_ACC_NONCACHEABLE, 7);
	w = sim_watch_epoch();
	sim_restore();                     /* restores PA */
	CHECK(sim_watch_epoch() > w);
	CHECK_EQ(sim_coherent_read64(PA), 4);
	sim_fini();

	w = sim_watch_epoch();
	guest_up();                        /* every frame reset */
	CHECK(sim_watch_epoch() > w);
	w = sim_watch_epoch();
	access(SIM_ACC_WRITE | SIM_ACC_NONCACHEABLE, 8);
	CHECK(sim_watch_epoch() > w);      /* the mark outlives the machine */
	sim_fini();
}

TEST(changes_tlb_slot_gen_moves_with_refill)
{
	struct sim_tlb_entry e;
	uint64_t gen0, gen1;

	guest_up();
	uint64_t epoch = sim_tlb_epoch();
	access(0, 0);
	CHECK(sim_tlb_epoch() != epoch);
	unsigned slot = sim_tlb_slots();
	for (unsigned i = 0; i < sim_tlb_slots(); i++)
		if (sim_tlb_slot(0, i, &e, &gen0))
			slot = i;
	CHECK(slot < sim_tlb_slots());
	epoch = sim_tlb_epoch();
	access(0, 0);                      /* a hit changes nothing */
	CHECK_EQ(sim_tlb_epoch(), epoch);
	arch_tlbi_vmid(1);
	arch_dsb_ish(); /* completes the TLBI */
	CHECK(sim_tlb_epoch() != epoch);
	CHECK(!sim_tlb_slot(0, slot, &e, NULL));
	access(0, 0);
	CHECK(sim_tlb_slot(0, slot, &e, &gen1));
	CHECK(gen1 != gen0);
	sim_fini();
}

static const struct test_case cases[] = {
	CASE(changes_frame_gen_moves_with_every_write),
	CASE(changes_restore_moves_the_frames_it_restores),
	CASE(changes_watch_epoch_moves_only_for_watched_frames),
	CASE(changes_tlb_slot_gen_moves_with_refill),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
