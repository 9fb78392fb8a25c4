/* Changed lines: the mask sim_frame_take_changes gives an observer holds
 * the lines of a frame whose coherent value may have changed since its
 * last take (writes, cached or not, a line dropped above different
 * memory or without write-back, a published descriptor, a restore) and
 * none that a clean, a write-back or a fill left as they were.  The kept
 * stage-2 trees re-read exactly these lines, so each path is checked. */
#include "check.h"
#include "hyp/arch.h"
#include "sim_fixture.h"

#define RW S2_PAGE_NORMAL_RW
#define IPA 0x9000ull
#define LINE 3                                  /* of the data page the tests write */
#define PA (FX_DATA + LINE * CACHE_LINE_SIZE)
#define BIT (1ull << LINE)

static uint64_t root;

static void guest_up(void)
{
	fx_up();
	root = fx_root_with_page(IPA, FX_DATA, RW);
	fx_set_stage2(0, 1, root);
}

static void access(unsigned flags, uint64_t v)
{
	CHECK_EQ(sim_cpu_access(0, IPA + LINE * CACHE_LINE_SIZE, flags, &v, NULL), SIM_OK);
}

/* The observer's take: the lines since its last one (gen: what it saw). */
static uint64_t seen_gen;
static uint64_t take(uint64_t pa)
{
	uint64_t lines = sim_frame_take_changes(pa, seen_gen);
	seen_gen = sim_frame_gen(pa);
	return lines;
}

/* A first take of pa: everything, as nothing was taken before. */
static void start(uint64_t pa)
{
	seen_gen = UINT64_MAX;
	CHECK_EQ(take(pa), ~0ull);
	CHECK_EQ(take(pa), 0);
}

TEST(lines_writes_mark_the_lines_they_cover)
{
	guest_up();
	start(PA);
	access(0, 0);                                    /* a fill */
	CHECK_EQ(take(PA), 0);
	access(SIM_ACC_WRITE, 1);                        /* a cached write */
	CHECK_EQ(take(PA), BIT);
	access(SIM_ACC_WRITE | SIM_ACC_NONCACHEABLE, 2); /* memory below the line */
	CHECK_EQ(take(PA), BIT);
	sim_coherent_write64(PA + 8, 3);                 /* a snooping write to the present line */
	CHECK_EQ(take(PA), BIT);
	sim_mem_write64(FX_DATA + 0x1000 - 8, 4);        /* the last line, memory */
	CHECK_EQ(take(PA), 1ull << 63);
	arch_page_zero(pa_init(FX_DATA));
	CHECK_EQ(take(PA), ~0ull);
	sim_fini();
}

TEST(lines_cleans_and_write_backs_mark_none)
{
	guest_up();
	start(PA);
	access(SIM_ACC_WRITE, 1);
	CHECK_EQ(take(PA), BIT);
	uint64_t g = sim_frame_gen(PA);
	arch_dc_cvac(pa_init(PA));                       /* written back, kept */
	CHECK(sim_frame_gen(PA) > g);                    /* the generation moved all the same */
	CHECK_EQ(take(PA), 0);
	access(SIM_ACC_WRITE, 2);
	CHECK_EQ(take(PA), BIT);
	arch_dc_civac(pa_init(PA));                      /* written back, then dropped: memory equals it */
	CHECK_EQ(take(PA), 0);
	CHECK_EQ(sim_coherent_read64(PA), 2);
	access(SIM_ACC_WRITE, 5);
	CHECK_EQ(take(PA), BIT);
	sim_checkpoint();                                /* writes every dirty line back, drops them */
	take(PA);
	access(0, 0);
	arch_dc_civac(pa_init(PA));                      /* a clean line over equal memory */
	CHECK_EQ(take(PA), BIT);                         /* not compared: nobody watches PA */
	sim_frame_watch(PA);
	access(0, 0);
	arch_dc_civac(pa_init(PA));
	CHECK_EQ(take(PA), 0);
	sim_fini();
}

TEST(lines_dropped_lines_mark_theirs)
{
	guest_up();
	sim_frame_watch(PA);                             /* lines are compared with memory */
	start(PA);
	access(0, 0);                                    /* a clean line of 0 */
	access(SIM_ACC_WRITE | SIM_ACC_NONCACHEABLE, 6); /* memory below it differs */
	take(PA);
	arch_dc_civac(pa_init(PA));                      /* the view falls through to 6 */
	CHECK_EQ(sim_coherent_read64(PA), 6);
	CHECK_EQ(take(PA), BIT);

	sim_checkpoint();
	take(PA);
	access(SIM_ACC_WRITE, 7);                        /* a dirty line, memory untouched */
	take(PA);
	sim_restore();                                   /* dropped without write-back */
	CHECK_EQ(sim_coherent_read64(PA), 6);
	CHECK_EQ(take(PA), BIT);
	sim_fini();
}

TEST(lines_publication_marks_the_descriptor_line)
{
	guest_up();
	uint64_t l1 = sim_mem_read64(root + 8ull * s2_index(IPA, 1));
	uint64_t l3 = s2_oa(sim_mem_read64(s2_oa(l1) + 8ull * s2_index(IPA, 2)));
	unsigned idx = s2_index(IPA, 3);
	uint64_t bit = 1ull << (idx * 8 / CACHE_LINE_SIZE);

	start(l3);
	arch_pte_write(pa_init(l3), idx, 0);             /* delayed for other CPUs */
	CHECK_EQ(sim_relaxed_pending_writes(0), 1);
	CHECK_EQ(take(l3), bit);
	sim_relaxed_publish(0);
	CHECK_EQ(take(l3), bit);
	sim_fini();
}

/* A restore marks every line of a frame nobody watches, and of a watched
 * one the lines whose memory it changed (the cache was dropped first). */
TEST(lines_restore_marks_what_it_changed)
{
	guest_up();
	sim_checkpoint();
	start(PA);
	access(SIM_ACC_WRITE | SIM_ACC_NONCACHEABLE, 8);
	take(PA);
	sim_restore();
	CHECK_EQ(take(PA), ~0ull);                       /* not watched */
	sim_frame_watch(PA);
	access(SIM_ACC_WRITE | SIM_ACC_NONCACHEABLE, 8);
	sim_mem_write64(FX_DATA + 0x1000 - 8, 0);        /* rewrites the last line's 0 */
	take(PA);
	sim_restore();
	CHECK_EQ(take(PA), BIT);
	access(SIM_ACC_WRITE | SIM_ACC_NONCACHEABLE, 0); /* journalled, but the same */
	take(PA);
	sim_restore();
	CHECK_EQ(take(PA), 0);
	access(SIM_ACC_WRITE, 9);
	arch_dc_cvac(pa_init(PA));                       /* memory stored by a write-back */
	take(PA);
	sim_restore();                                   /* the clean 9 goes, and memory's 9 */
	CHECK_EQ(sim_coherent_read64(PA), 0);
	CHECK_EQ(take(PA), BIT);
	CHECK_EQ(take(FX_DATA + 0x2000), ~0ull);          /* never taken: all of it */
	take(FX_DATA + 0x2000);
	sim_restore();                                   /* nothing journalled there */
	CHECK_EQ(sim_frame_take_changes(FX_DATA + 0x2000, sim_frame_gen(FX_DATA + 0x2000)), 0);
	sim_fini();
}

/* Of a watched frame, bulk changes mark only the lines whose value they
 * changed: a page zeroed where it held zeros, lines dropped at a restore
 * above equal memory; of any other frame, all the lines they cover. */
TEST(lines_bulk_changes_of_watched_frames_mark_changed_values)
{
	guest_up();
	start(PA);
	arch_page_zero(pa_init(FX_DATA));                /* not watched: all */
	CHECK_EQ(take(PA), ~0ull);
	sim_frame_watch(PA);
	arch_page_zero(pa_init(FX_DATA));                /* zeros over zeros */
	CHECK_EQ(take(PA), 0);
	access(SIM_ACC_WRITE, 1);
	take(PA);
	arch_page_zero(pa_init(FX_DATA));
	CHECK_EQ(take(PA), BIT);
	sim_mem_write64(FX_DATA + 0x1000 - 8, 2);        /* memory below a present zero line */
	take(PA);
	arch_page_zero(pa_init(FX_DATA));                /* the view was the line's zeros */
	CHECK_EQ(take(PA), 0);

	sim_checkpoint();                                /* memory: the zeroed page */
	access(SIM_ACC_WRITE, 3);                        /* a dirty line over memory's 0 */
	uint64_t v = 0;
	CHECK_EQ(sim_cpu_access(0, IPA, 0, &v, NULL), SIM_OK); /* a clean line equal to memory */
	take(PA);
	sim_restore();
	CHECK_EQ(take(PA), BIT);
	sim_mem_write64(FX_DATA + 0x1000 - 8, 4);        /* memory, no line above it */
	take(PA);
	arch_page_zero(pa_init(FX_DATA));
	CHECK_EQ(take(PA), 1ull << 63);
	sim_fini();
}

/* The mask is one per frame: an observer that did not take last gets all
 * lines, and so does any after a new machine. */
TEST(lines_another_observer_or_machine_gets_all)
{
	guest_up();
	start(PA);
	uint64_t mine = seen_gen;
	access(SIM_ACC_WRITE, 1);
	CHECK_EQ(sim_frame_take_changes(PA, 12345), ~0ull); /* someone else */
	CHECK_EQ(sim_frame_take_changes(PA, mine), ~0ull);  /* then me: not mine to trust */
	CHECK_EQ(sim_frame_take_changes(PA, sim_frame_gen(PA)), 0); /* now nothing moved */
	CHECK_EQ(sim_frame_take_changes(0x1000, 0), ~0ull); /* outside RAM */
	sim_fini();
	guest_up();
	CHECK_EQ(sim_frame_take_changes(PA, sim_frame_gen(PA)), ~0ull);
	sim_fini();
}

TEST(lines_coherent_line_read_prefers_the_present_line)
{
	uint64_t line[CACHE_LINE_SIZE / 8];

	guest_up();
	access(0, 0);
	access(SIM_ACC_WRITE | SIM_ACC_NONCACHEABLE, 9); /* below the clean line */
	sim_coherent_read_line(PA + 8, line);
	CHECK_EQ(line[0], 0);
	arch_dc_civac(pa_init(PA));
	sim_coherent_read_line(PA + 8, line);
	CHECK_EQ(line[0], 9);
	sim_fini();
}

/* A page zeroed in the cache over memory never written (a fresh table's
 * frame): at a restore its zero lines equal memory and are not marked,
 * but every line written since the zeroing is compared.  Over memory
 * that holds something, the zero lines are compared too. */
TEST(lines_restore_of_a_zeroed_page)
{
	const uint64_t fresh = FX_DATA + 0x7000, held = FX_DATA + 0x8000;
	fx_up();
	sim_frame_watch(fresh);
	sim_frame_watch(held);
	sim_mem_write64(held + 64 * 3, 8);               /* memory holds a line at the checkpoint */
	sim_checkpoint();
	start(fresh);
	arch_page_zero(pa_init(fresh));
	sim_coherent_write64(fresh + 64 * 5, 7);         /* a line written after the zeroing */
	sim_coherent_write64(fresh + 64 * 9, 0);         /* written, but zeros still */
	arch_pte_write(pa_init(fresh), 12 * 8, 5);       /* a cached write, as KCore's */
	sim_relaxed_publish(0);
	take(fresh);
	sim_restore();
	CHECK_EQ(take(fresh), 1ull << 5 | 1ull << 12);

	start(held);
	arch_page_zero(pa_init(held));                   /* the line's 8 hidden by a zero line */
	CHECK_EQ(take(held), 1ull << 3);
	sim_restore();                                   /* dropped: memory's 8 shows again */
	CHECK_EQ(sim_coherent_read64(held + 64 * 3), 8);
	CHECK_EQ(take(held), 1ull << 3);
	sim_fini();
}

static const struct test_case cases[] = {
	CASE(lines_writes_mark_the_lines_they_cover),
	CASE(lines_cleans_and_write_backs_mark_none),
	CASE(lines_dropped_lines_mark_theirs),
	CASE(lines_publication_marks_the_descriptor_line),
	CASE(lines_restore_marks_what_it_changed),
	CASE(lines_bulk_changes_of_watched_frames_mark_changed_values),
	CASE(lines_another_observer_or_machine_gets_all),
	CASE(lines_coherent_line_read_prefers_the_present_line),
	CASE(lines_restore_of_a_zeroed_page),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
