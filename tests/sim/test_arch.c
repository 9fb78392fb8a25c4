/* The arch interface as KCore sees it: one event per call with the right
 * fields, a scheduling point before each, and spin locks that yield when
 * contended and panic when they could never be taken. */
#include "check.h"
#include "hyp/arch.h"
#include "sim_fixture.h"

/* Everything the hooks saw, in order. */
static struct {
	struct sim_event ev[64];
	unsigned nev;
	unsigned points, contended;
	uint64_t events_at_point[64]; /* sim_event_count() at each yield point */
	struct arch_spinlock *release; /* released by CPU 1 when contended */
} seen;

static void record_event(void *ctx, const struct sim_event *ev)
{
	(void)ctx;
	if (seen.nev < 64)
		seen.ev[seen.nev] = *ev;
	seen.nev++;
}

static void record_yield(void *ctx, enum sim_yield_reason why)
{
	(void)ctx;
	if (why == SIM_YIELD_POINT) {
		if (seen.points < 64)
			seen.events_at_point[seen.points] = sim_event_count();
		seen.points++;
		return;
	}
	seen.contended++;
	/* The scheduler runs CPU 1, which lets the lock go after a while. */
	if (seen.release && seen.contended == 3) {
		unsigned me = sim_cpu();
		sim_set_cpu(1);
		arch_spin_unlock(seen.release);
		sim_set_cpu(me);
	}
}

static void hooks_up(void)
{
	fx_up();
	memset(&seen, 0, sizeof(seen));
	sim_set_event_sink(record_event, NULL);
	sim_set_yield_hook(record_yield, NULL);
}

static void check_event(unsigned i, unsigned kind, unsigned cpu, uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
	const struct sim_event *ev = &seen.ev[i];

	CHECK_EQ(ev->seq, i);
	CHECK_STR_EQ(sim_event_name(ev->kind), sim_event_name(kind));
	CHECK_EQ(ev->cpu, cpu);
	CHECK_EQ(ev->a, a);
	CHECK_EQ(ev->b, b);
	CHECK_EQ(ev->c, c);
	CHECK_EQ(ev->d, d);
}

TEST(arch_events_per_call)
{
	uint64_t t = FX_TABLES, desc = FX_DATA | S2_PAGE_NORMAL_RW;
	uint8_t buf[12] = { 0 };

	hooks_up();
	sim_set_cpu(2);
	arch_pte_write(pa_init(t + 0x10), 4, desc); /* table rounds down */
	arch_pte_write(pa_init(t), 4, 0);
	arch_tlbi_ipa(3, ipa_init(0x5000));
	arch_tlbi_vmid(3);
	arch_tlbi_all();
	arch_dsb_ish();
	arch_isb();
	arch_set_stage2(3, pa_init(t));
	arch_smmu_attach(1, pa_init(t));
	arch_smmu_detach(1);
	arch_smmu_tlbi(1);
	arch_dc_civac(pa_init(FX_DATA + 8));
	arch_dc_cvac(pa_init(FX_DATA + 16));
	arch_page_zero(pa_init(FX_DATA));
	arch_phys_read(pa_init(FX_DATA + 1), buf, sizeof(buf));
	arch_phys_write(pa_init(FX_DATA + 2), buf, 5);
	arch_note_access(0x50007, true);
	CHECK_EQ(arch_pte_read(pa_init(t), 4), 0); /* no event */
	CHECK_EQ(arch_cpu_id(), 2);                /* no event */

	CHECK_EQ(seen.nev, 17);
	check_event(0, EV_PTE_WRITE, 2, t, 4, 0, desc);
	check_event(1, EV_PTE_WRITE, 2, t, 4, desc, 0);
	check_event(2, EV_TLBI_IPA, 2, 3, 0x5000, 0, 0);
	check_event(3, EV_TLBI_VMID, 2, 3, 0, 0, 0);
	check_event(4, EV_TLBI_ALL, 2, 0, 0, 0, 0);
	check_event(5, EV_DSB, 2, 0, 0, 0, 0);
	check_event(6, EV_ISB, 2, 0, 0, 0, 0);
	check_event(7, EV_SET_STAGE2, 2, 3, t, 0, 0);
	check_event(8, EV_SMMU_ATTACH, 2, 1, t, 0, 0);
	check_event(9, EV_SMMU_DETACH, 2, 1, 0, 0, 0);
	check_event(10, EV_SMMU_TLBI, 2, 1, 0, 0, 0);
	check_event(11, EV_DC_CIVAC, 2, FX_DATA + 8, 0, 0, 0);
	check_event(12, EV_DC_CVAC, 2, FX_DATA + 16, 0, 0, 0);
	check_event(13, EV_PAGE_ZERO, 2, FX_DATA, 0, 0, 0);
	check_event(14, EV_PHYS_READ, 2, FX_DATA + 1, 12, 0, 0);
	check_event(15, EV_PHYS_WRITE, 2, FX_DATA + 2, 5, 0, 0);
	check_event(16, EV_SHARED_ACCESS, 2, 0x50007, 1, 0, 0);
	/* Every one of them was a scheduling point before it acted. */
	CHECK_EQ(seen.points, 17);
	for (unsigned i = 0; i < 17; i++)
		CHECK_EQ(seen.events_at_point[i], i);
	sim_fini();
}

TEST(arch_access_events)
{
	uint64_t root, v = 1;

	hooks_up();
	root = fx_root_with_page(0x3000, FX_DATA, S2_PAGE_NORMAL_RW);
	sim_set_cpu(1);
	arch_set_stage2(9, pa_init(root));
	arch_smmu_attach(2, pa_init(root));
	seen.nev = 0;
	unsigned points = seen.points;
	CHECK_EQ(sim_cpu_access(1, 0x3008, SIM_ACC_WRITE, &v, NULL), SIM_OK);
	CHECK_EQ(sim_cpu_access(1, 0x4000, SIM_ACC_NONCACHEABLE, &v, NULL), SIM_FAULT_TRANSLATION);
	CHECK_EQ(sim_dma_access(2, 0x3010, 0, &v, NULL), SIM_OK);
	CHECK_EQ(sim_dma_access(3, 0x3010, 0, &v, NULL), SIM_FAULT_ADDRESS);
	CHECK_EQ(seen.points, points); /* accesses are not arch calls */
	CHECK_EQ(seen.nev, 5);
	CHECK_EQ(seen.ev[0].kind, EV_TLB_FILL);
	CHECK_EQ(seen.ev[0].cpu, 1);
	CHECK_EQ(seen.ev[0].a, 9);
	CHECK_EQ(seen.ev[1].kind, EV_CPU_ACCESS);
	CHECK_EQ(seen.ev[1].cpu, 1);
	CHECK_EQ(seen.ev[1].a, 9);
	CHECK_EQ(seen.ev[1].b, 0x3008);
	CHECK_EQ(seen.ev[1].c, FX_DATA + 8);
	CHECK_EQ(seen.ev[1].d, SIM_ACC_WRITE);
	CHECK_EQ(seen.ev[2].kind, EV_CPU_ACCESS);
	CHECK_EQ(seen.ev[2].c, ~0ull);
	CHECK_EQ(seen.ev[2].d, SIM_ACC_NONCACHEABLE | SIM_FAULT_TRANSLATION << 8);
	CHECK_EQ(seen.ev[3].kind, EV_DMA_ACCESS);
	CHECK_EQ(seen.ev[3].a, 2);
	CHECK_EQ(seen.ev[3].b, 0x3010);
	CHECK_EQ(seen.ev[3].c, FX_DATA + 0x10);
	CHECK_EQ(seen.ev[3].d, 0);
	CHECK_EQ(seen.ev[4].kind, EV_DMA_ACCESS);
	CHECK_EQ(seen.ev[4].d, SIM_FAULT_ADDRESS << 8);
	sim_fini();
}

TEST(arch_recent_events_ring)
{
	struct sim_event ev[SIM_RECENT];

	hooks_up();
	for (unsigned i = 0; i < SIM_RECENT + 10; i++)
		arch_note_access(i, false);
	CHECK_EQ(sim_event_count(), SIM_RECENT + 10);
	CHECK_EQ(sim_recent_events(ev, 3), 3);
	CHECK_EQ(ev[0].a, SIM_RECENT + 7);
	CHECK_EQ(ev[2].a, SIM_RECENT + 9);
	CHECK_EQ(sim_recent_events(ev, SIM_RECENT + 5), SIM_RECENT);
	CHECK_EQ(ev[0].seq, 10);
	CHECK_EQ(ev[SIM_RECENT - 1].seq, SIM_RECENT + 9);
	CHECK_STR_EQ(sim_event_name(EV_TLB_FILL), "tlb-fill");
	CHECK_STR_EQ(sim_event_name(0), "unknown");
	CHECK_STR_EQ(sim_event_name(EV__COUNT), "unknown");
	sim_fini();
}

static unsigned other_sink_calls;

static void other_sink(void *ctx, const struct sim_event *ev)
{
	(void)ctx;
	(void)ev;
	other_sink_calls++;
}

/* A sink gets only the kinds it asked for; the rest are still numbered and
 * kept among the recent events, and another sink's kinds are its own. */
TEST(arch_event_kinds_filter_the_sink)
{
	struct sim_event ev[4];
	struct arch_spinlock l;

	hooks_up();
	arch_spin_init(&l, 0x10000);
	sim_set_event_kinds(record_event, 1u << EV_SHARED_ACCESS);
	arch_spin_lock(&l);
	arch_note_access(0x50007, true);
	arch_spin_unlock(&l);
	CHECK_EQ(sim_event_count(), 3);
	CHECK_EQ(seen.nev, 1);
	CHECK_EQ(seen.ev[0].seq, 1);
	CHECK_EQ(seen.ev[0].kind, EV_SHARED_ACCESS);
	CHECK_EQ(sim_recent_events(ev, 4), 3);
	CHECK_EQ(ev[0].kind, EV_LOCK_ACQUIRE);
	CHECK_EQ(ev[2].kind, EV_LOCK_RELEASE);

	sim_set_event_kinds(other_sink, 0); /* not the sink: no effect */
	arch_note_access(0x50007, false);
	CHECK_EQ(seen.nev, 2);
	sim_set_event_kinds(record_event, 0);
	arch_note_access(0x50007, false);
	CHECK_EQ(seen.nev, 2);
	CHECK_EQ(sim_event_count(), 5);

	/* a new sink gets every kind, and unknown kind bits are dropped */
	sim_set_event_sink(other_sink, NULL);
	other_sink_calls = 0;
	arch_spin_lock(&l);
	arch_spin_unlock(&l);
	CHECK_EQ(other_sink_calls, 2);
	sim_set_event_kinds(other_sink, ~0u);
	arch_note_access(0x50007, false);
	CHECK_EQ(other_sink_calls, 3);
	CHECK_EQ(seen.nev, 2);
	sim_set_event_sink(NULL, NULL);
	sim_set_event_kinds(NULL, ~0u); /* no sink: nothing to hand to */
	arch_note_access(0x50007, false);
	CHECK_EQ(sim_event_count(), 9);
	sim_fini();
}

TEST(arch_lock_uncontended)
{
	struct arch_spinlock l;

	hooks_up();
	arch_spin_init(&l, 0x10000);
	CHECK_EQ(l.holder, -1);
	sim_set_cpu(3);
	arch_spin_lock(&l);
	CHECK_EQ(l.holder, 3);
	arch_spin_unlock(&l);
	CHECK_EQ(l.holder, -1);
	CHECK_EQ(seen.contended, 0);
	CHECK_EQ(seen.nev, 2);
	check_event(0, EV_LOCK_ACQUIRE, 3, 0x10000, 0, 0, 0);
	check_event(1, EV_LOCK_RELEASE, 3, 0x10000, 0, 0, 0);
	sim_fini();
}

TEST(arch_lock_contention_yields)
{
	struct arch_spinlock l;

	hooks_up();
	arch_spin_init(&l, 0x20001);
	sim_set_cpu(1);
	arch_spin_lock(&l);
	seen.release = &l;
	sim_set_cpu(0);
	arch_spin_lock(&l);
	CHECK_EQ(seen.contended, 3);
	CHECK_EQ(l.holder, 0);
	CHECK_EQ(sim_cpu(), 0);
	CHECK_EQ(seen.nev, 3);
	check_event(0, EV_LOCK_ACQUIRE, 1, 0x20001, 0, 0, 0);
	check_event(1, EV_LOCK_RELEASE, 1, 0x20001, 0, 0, 0);
	check_event(2, EV_LOCK_ACQUIRE, 0, 0x20001, 0, 0, 0);
	sim_fini();
}

TEST(arch_lock_self_deadlock_panics)
{
	struct arch_spinlock l;

	hooks_up();
	arch_spin_init(&l, 1);
	arch_spin_lock(&l);
	if (setjmp(fx_panic_jmp) == 0) {
		arch_spin_lock(&l);
		CHECK(!"second lock by the holder returned");
	}
	CHECK_EQ(fx_panics, 1);
	CHECK(strstr(fx_panic_why, "self-deadlock") != NULL);
	CHECK_EQ(seen.contended, 0);
	CHECK_EQ(seen.ev[seen.nev - 1].kind, EV_PANIC);
	sim_fini();
}

TEST(arch_lock_deadlock_without_scheduler_panics)
{
	struct arch_spinlock l;

	fx_up();
	arch_spin_init(&l, 1);
	sim_set_cpu(2);
	arch_spin_lock(&l);
	sim_set_cpu(0);
	if (setjmp(fx_panic_jmp) == 0) {
		arch_spin_lock(&l);
		CHECK(!"contended lock with no scheduler returned");
	}
	CHECK_EQ(fx_panics, 1);
	CHECK(strstr(fx_panic_why, "deadlock") != NULL);
	CHECK(strstr(fx_panic_why, "self") == NULL);
	CHECK_EQ(l.holder, 2);
	sim_fini();
}

TEST(arch_panic_reaches_hook)
{
	struct sim_event ev;

	hooks_up();
	sim_set_cpu(1);
	if (setjmp(fx_panic_jmp) == 0) {
		arch_panic("invariant broken");
		CHECK(!"arch_panic returned");
	}
	CHECK_EQ(fx_panics, 1);
	CHECK_STR_EQ(fx_panic_why, "invariant broken");
	CHECK_EQ(sim_recent_events(&ev, 1), 1);
	CHECK_EQ(ev.kind, EV_PANIC);
	CHECK_EQ(ev.cpu, 1);
	sim_fini();
}

static const struct test_case cases[] = {
	CASE(arch_events_per_call),
	CASE(arch_access_events),
	CASE(arch_recent_events_ring),
	CASE(arch_event_kinds_filter_the_sink),
	CASE(arch_lock_uncontended),
	CASE(arch_lock_contention_yields),
	CASE(arch_lock_self_deadlock_panics),
	CASE(arch_lock_deadlock_without_scheduler_panics),
	CASE(arch_panic_reaches_hook),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
