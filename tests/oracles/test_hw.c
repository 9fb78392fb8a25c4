/* The dispatcher: one sink feeding every oracle, switches, the first
 * violation with its step and the events before it; and the whole chain
 * on the machine model's own event stream. */
#include "check.h"
#include "hw/hw_oracles.h"
#include "hyp/arch.h"
#include "hyp/kcore.h"
#include "hyp/kcore_locks.h"
#include "hyp/s2desc.h"
#include "sim/machine.h"

#define ROOT 0x40010000ull
#define L2 0x40011000ull
#define L3 0x40012000ull
#define DATA_A 0x41000000ull
#define DATA_B 0x41001000ull
#define TABLE(pa) ((pa) | S2_VALID | S2_TYPE_TABLE)
#define PAGE(pa) ((pa) | S2_PAGE_NORMAL_RW)
#define S2PAGE_LOCK KID(KLOCK_S2PAGE, 0)

static struct hw_oracles *h;
static uint64_t seq;

static void start(unsigned enabled)
{
	if (!h)
		h = hw_oracles_create(enabled);
	CHECK(h != NULL);
	hw_oracles_enable(h, enabled);
	hw_oracles_reset(h);
	hw_oracles_set_step(h, VIOLATION_NO_STEP);
	seq = 100;
}

static void ev(unsigned cpu, unsigned kind, uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
	struct sim_event e = { .seq = seq++, .kind = (uint16_t)kind, .cpu = (uint16_t)cpu,
			       .a = a, .b = b, .c = c, .d = d };

	hw_oracles_event(h, &e);
}

static enum violation_kind kind(void)
{
	const struct violation *v = hw_oracles_violation(h);

	return v ? v->kind : V_NONE;
}

static void expect(enum violation_kind k)
{
	CHECK_STR_EQ(violation_kind_name(kind()), violation_kind_name(k));
}

/* A loaded VM context with gfn 5 mapped, then remapped without a break. */
static void bbm_history(void)
{
	ev(1, EV_SET_STAGE2, 5, ROOT, 0, 0);
	ev(0, EV_PTE_WRITE, ROOT, 0, 0, TABLE(L2));
	ev(0, EV_PTE_WRITE, L2, 0, 0, TABLE(L3));
	ev(0, EV_PTE_WRITE, L3, 5, 0, PAGE(DATA_A));
	ev(0, EV_PTE_WRITE, L3, 5, PAGE(DATA_A), PAGE(DATA_B));
}

TEST(first_violation_keeps_step_and_recent_events)
{
	start(HW_ORACLE_ALL);
	hw_oracles_set_step(h, 7);
	for (unsigned i = 0; i < 10; i++) {
		ev(0, EV_LOCK_ACQUIRE, S2PAGE_LOCK, 0, 0, 0);
		ev(0, EV_LOCK_RELEASE, S2PAGE_LOCK, 0, 0, 0);
	}
	CHECK(hw_oracles_violation(h) == NULL);
	ev(2, EV_LOCK_RELEASE, S2PAGE_LOCK, 0, 0, 0);

	const struct violation *v = hw_oracles_violation(h);
	CHECK(v != NULL);
	expect(V_UNLOCK_NOT_HELD);
	CHECK_EQ(v->step, 7);
	CHECK_EQ(v->cpu, 2);
	CHECK_EQ(v->nrecent, VIOLATION_RECENT);
	for (unsigned i = 0; i < VIOLATION_RECENT; i++)
		CHECK_EQ(v->recent[i].seq, seq - VIOLATION_RECENT + i);
	CHECK_EQ(v->recent[VIOLATION_RECENT - 1].kind, EV_LOCK_RELEASE);
	CHECK_EQ(v->recent[VIOLATION_RECENT - 1].cpu, 2);

	/* Later trouble does not replace the first. */
	hw_oracles_set_step(h, 8);
	ev(3, EV_SHARED_ACCESS, KID(KOBJ_VMID, 0), 1, 0, 0);
	CHECK(hw_oracles_op_end(h, 0));
	expect(V_UNLOCK_NOT_HELD);
	CHECK_EQ(hw_oracles_violation(h)->step, 7);
	CHECK_EQ(hw_oracles_violation(h)->recent[VIOLATION_RECENT - 1].seq, seq - 2);
}

TEST(short_history_keeps_every_event)
{
	start(HW_ORACLE_ALL);
	ev(0, EV_DSB, 0, 0, 0, 0);
	ev(0, EV_SHARED_ACCESS, KID(KOBJ_S2PAGE, 1), 0, 0, 0);
	expect(V_LOCK_NOT_HELD);
	CHECK_EQ(hw_oracles_violation(h)->nrecent, 2);
	CHECK_EQ(hw_oracles_violation(h)->recent[0].kind, EV_DSB);
	CHECK_EQ(hw_oracles_violation(h)->recent[1].kind, EV_SHARED_ACCESS);
	CHECK_EQ(hw_oracles_violation(h)->step, VIOLATION_NO_STEP);
}

TEST(tlb_events_reach_tlb_oracle)
{
	start(HW_ORACLE_ALL);
	bbm_history();
	expect(V_BBM_MISSING);
	CHECK_EQ(hw_oracles_violation(h)->page, 5);
}

TEST(roots_declared_through_dispatcher_name_vm)
{
	start(HW_ORACLE_ALL);
	CHECK_EQ(tlb_oracle_add_root(hw_oracles_tlb(h), ROOT, 5, 3), 0);
	bbm_history();
	expect(V_BBM_MISSING);
	CHECK_EQ(hw_oracles_violation(h)->vm, 3);
}

TEST(tlb_switched_off_silent)
{
	start(HW_ORACLE_ALL & ~HW_ORACLE_TLB);
	bbm_history();
	ev(0, EV_PTE_WRITE, L3, 5, PAGE(DATA_B), 0);
	CHECK(!hw_oracles_op_end(h, 0));
	expect(V_NONE);
	CHECK_EQ(hw_oracles_enabled(h), HW_ORACLE_CACHE | HW_ORACLE_LOCK);
}

TEST(lock_switched_off_silent)
{
	start(HW_ORACLE_TLB | HW_ORACLE_CACHE);
	ev(0, EV_LOCK_RELEASE, S2PAGE_LOCK, 0, 0, 0);
	ev(0, EV_SHARED_ACCESS, KID(KOBJ_S2PAGE, 1), 0, 0, 0);
	ev(1, EV_LOCK_ACQUIRE, S2PAGE_LOCK, 0, 0, 0);
	CHECK(!hw_oracles_op_end(h, 1));
	expect(V_NONE);
}

TEST(switching_off_forgets)
{
	start(HW_ORACLE_ALL);
	ev(1, EV_LOCK_ACQUIRE, S2PAGE_LOCK, 0, 0, 0);
	hw_oracles_enable(h, HW_ORACLE_TLB);
	hw_oracles_enable(h, HW_ORACLE_ALL);
	CHECK(!hw_oracles_op_end(h, 1));
	expect(V_NONE);
}

TEST(op_end_checks_tlb_boundary)
{
	start(HW_ORACLE_ALL);
	hw_oracles_set_step(h, 3);
	bbm_history();
	hw_oracles_reset(h);
	ev(1, EV_SET_STAGE2, 5, ROOT, 0, 0);
	ev(0, EV_PTE_WRITE, ROOT, 0, 0, TABLE(L2));
	ev(0, EV_PTE_WRITE, L2, 0, TABLE(L3), 0);
	ev(0, EV_DSB, 0, 0, 0, 0);
	CHECK(hw_oracles_violation(h) == NULL);
	CHECK(hw_oracles_op_end(h, 0));
	expect(V_TLBI_MISSING);
	CHECK_EQ(hw_oracles_violation(h)->step, 3);
	CHECK_EQ(hw_oracles_violation(h)->nrecent, 4);
}

TEST(op_end_checks_lock_boundary)
{
	start(HW_ORACLE_ALL);
	ev(2, EV_LOCK_ACQUIRE, S2PAGE_LOCK, 0, 0, 0);
	CHECK(!hw_oracles_op_end(h, 1));
	CHECK(hw_oracles_op_end(h, 2));
	expect(V_LOCK_LEAKED);
}

TEST(reset_forgets_violation_and_state)
{
	start(HW_ORACLE_ALL);
	ev(2, EV_LOCK_ACQUIRE, S2PAGE_LOCK, 0, 0, 0);
	ev(2, EV_LOCK_RELEASE, KID(KLOCK_CORE, 0), 0, 0, 0);
	expect(V_UNLOCK_NOT_HELD);
	hw_oracles_reset(h);
	CHECK(hw_oracles_violation(h) == NULL);
	CHECK(!hw_oracles_op_end(h, 2));
	ev(0, EV_SHARED_ACCESS, KID(KOBJ_SMMU, 0), 0, 0, 0);
	expect(V_LOCK_NOT_HELD);
	CHECK_EQ(hw_oracles_violation(h)->nrecent, 1);
}

TEST(transfer_checked_on_the_machine)
{
	uint64_t secret = 0x1234;
	struct sim_config cfg;

	sim_config_default(&cfg);
	CHECK_EQ(sim_init(&cfg), 0);
	start(HW_ORACLE_ALL);
	hw_oracles_set_step(h, 11);
	arch_phys_write(pa_init(DATA_A + 0x40), &secret, sizeof(secret));
	CHECK(!hw_oracles_check_transfer(h, DATA_A >> PAGE_SHIFT, KCORE_OWNER_KSERV, KCORE_OWNER_KSERV));
	CHECK(hw_oracles_check_transfer(h, DATA_A >> PAGE_SHIFT, KCORE_OWNER_KSERV, 4));
	expect(V_DIRTY_LINE);
	CHECK_EQ(hw_oracles_violation(h)->step, 11);
	CHECK_EQ(hw_oracles_violation(h)->vm, 4);

	start(HW_ORACLE_ALL & ~HW_ORACLE_CACHE);
	CHECK(!hw_oracles_check_transfer(h, DATA_A >> PAGE_SHIFT, KCORE_OWNER_KSERV, 4));
	sim_fini();
}

/* The machine model's own events, through the sink: the arch calls KCore
 * makes, in a wrong order. */
TEST(machine_stream_remap_without_break)
{
	struct sim_config cfg;

	sim_config_default(&cfg);
	CHECK_EQ(sim_init(&cfg), 0);
	start(HW_ORACLE_ALL);
	sim_set_event_sink(hw_oracles_event, h);
	sim_set_cpu(1);
	arch_set_stage2(5, pa_init(ROOT));
	sim_set_cpu(0);
	arch_pte_write(pa_init(ROOT), 0, TABLE(L2));
	arch_pte_write(pa_init(L2), 0, TABLE(L3));
	arch_pte_write(pa_init(L3), 5, PAGE(DATA_A));
	arch_dsb_ish();
	CHECK(!hw_oracles_op_end(h, 0));
	arch_pte_write(pa_init(L3), 5, PAGE(DATA_B));
	sim_set_event_sink(NULL, NULL);

	const struct violation *v = hw_oracles_violation(h);
	CHECK(v != NULL);
	expect(V_BBM_MISSING);
	CHECK_EQ(v->cpu, 0);
	CHECK_EQ(v->page, 5);
	CHECK_EQ(v->nrecent, 6);
	CHECK_EQ(v->recent[0].kind, EV_SET_STAGE2);
	CHECK_EQ(v->recent[5].kind, EV_PTE_WRITE);
	CHECK_EQ(v->recent[5].c, PAGE(DATA_A)); /* the model reports the old descriptor */
	sim_fini();
}

TEST(machine_stream_correct_unmap_silent)
{
	struct sim_config cfg;

	sim_config_default(&cfg);
	CHECK_EQ(sim_init(&cfg), 0);
	start(HW_ORACLE_ALL);
	sim_set_event_sink(hw_oracles_event, h);
	sim_set_cpu(1);
	arch_set_stage2(5, pa_init(ROOT));
	sim_set_cpu(0);
	arch_pte_write(pa_init(ROOT), 0, TABLE(L2));
	arch_pte_write(pa_init(L2), 0, TABLE(L3));
	arch_pte_write(pa_init(L3), 5, PAGE(DATA_A));
	arch_pte_write(pa_init(L3), 5, 0);
	arch_dsb_ish();
	arch_tlbi_ipa(5, ipa_from_gfn(5));
	arch_dsb_ish();
	CHECK(!hw_oracles_op_end(h, 0));
	sim_set_event_sink(NULL, NULL);
	expect(V_NONE);
	sim_fini();
}

TEST(reads_only_what_the_enabled_oracles_read)
{
	start(HW_ORACLE_ALL);
	CHECK_EQ(hw_oracles_reads(h, EV_PTE_WRITE), HW_ORACLE_TLB);
	CHECK_EQ(hw_oracles_reads(h, EV_PHYS_WRITE), HW_ORACLE_TLB);
	CHECK_EQ(hw_oracles_reads(h, EV_SHARED_ACCESS), HW_ORACLE_LOCK);
	CHECK_EQ(hw_oracles_reads(h, EV_DC_CIVAC), 0);
	CHECK_EQ(hw_oracles_reads(h, EV_CPU_ACCESS), 0);
	CHECK_EQ(hw_oracles_reads(h, EV__COUNT), 0);
	CHECK_EQ(hw_oracles_reads(h, 0xffff), 0);
	start(HW_ORACLE_LOCK);
	CHECK_EQ(hw_oracles_reads(h, EV_PTE_WRITE), 0);
	CHECK_EQ(hw_oracles_reads(h, EV_LOCK_ACQUIRE), HW_ORACLE_LOCK);
	start(HW_ORACLE_TLB);
	CHECK_EQ(hw_oracles_reads(h, EV_LOCK_ACQUIRE), 0);
	CHECK_EQ(hw_oracles_reads(h, EV_TLBI_IPA), HW_ORACLE_TLB);
	start(HW_ORACLE_ALL);
}

/* A change on cpu 0 invalidated by a TLBI naming the wrong page (evidence
 * for tlbi-wrong-target), or by the right one (silent), with events no
 * oracle reads between every step; fed all events or only those read. */
static void wrong_target_history(bool all, uint64_t tlbi_ipa)
{
	static const unsigned unread[] = { EV_DC_CIVAC, EV_CPU_ACCESS, EV_ISB, EV_CACHE_EVICT };
	const unsigned steps[][2] = { { EV_SET_STAGE2, 0 }, { EV_PTE_WRITE, 0 }, { EV_PTE_WRITE, 1 },
				      { EV_PTE_WRITE, 2 }, { EV_DSB, 0 }, { EV_PTE_WRITE, 3 },
				      { EV_DSB, 0 },      { EV_TLBI_IPA, 0 }, { EV_DSB, 0 } };
	const uint64_t ptes[][4] = { { ROOT, 0, 0, TABLE(L2) }, { L2, 0, 0, TABLE(L3) },
				     { L3, 5, 0, PAGE(DATA_A) }, { L3, 5, PAGE(DATA_A), 0 } };

	start(HW_ORACLE_ALL);
	for (unsigned i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		if (all)
			ev(0, unread[i % 4], DATA_A, 1, DATA_A, 1);
		switch (steps[i][0]) {
		case EV_SET_STAGE2: ev(1, EV_SET_STAGE2, 5, ROOT, 0, 0); break;
		case EV_PTE_WRITE: {
			const uint64_t *w = ptes[steps[i][1]];
			ev(0, EV_PTE_WRITE, w[0], w[1], w[2], w[3]);
			break;
		}
		case EV_TLBI_IPA: ev(0, EV_TLBI_IPA, 5, tlbi_ipa, 0, 0); break;
		default: ev(0, steps[i][0], 0, 0, 0, 0); break;
		}
	}
	hw_oracles_op_end(h, 0);
}

TEST(skipping_unread_kinds_keeps_the_verdict)
{
	char detail[sizeof(hw_oracles_violation(h)->detail)];

	wrong_target_history(true, 6ull << PAGE_SHIFT);
	expect(V_TLBI_WRONG_TARGET);
	snprintf(detail, sizeof(detail), "%s", hw_oracles_violation(h)->detail);
	wrong_target_history(false, 6ull << PAGE_SHIFT);
	expect(V_TLBI_WRONG_TARGET);
	CHECK_STR_EQ(hw_oracles_violation(h)->detail, detail);
	/* near miss: the TLBI names the page */
	wrong_target_history(true, 5ull << PAGE_SHIFT);
	expect(V_NONE);
	wrong_target_history(false, 5ull << PAGE_SHIFT);
	expect(V_NONE);
}

/* Fed only the kinds it reads, from the sink: a violation still shows the
 * machine's last events, those no oracle reads included. */
static void feed_read_kinds(void *ctx, const struct sim_event *e)
{
	if (hw_oracles_reads(ctx, e->kind))
		hw_oracles_feed(ctx, e);
}

TEST(machine_recent_include_unread_events)
{
	struct sim_config cfg;
	struct sim_event want[VIOLATION_RECENT];

	sim_config_default(&cfg);
	CHECK_EQ(sim_init(&cfg), 0);
	start(HW_ORACLE_ALL);
	hw_oracles_recent_from_machine(h);
	sim_set_event_sink(feed_read_kinds, h);
	sim_set_cpu(1);
	arch_set_stage2(5, pa_init(ROOT));
	sim_set_cpu(0);
	arch_pte_write(pa_init(ROOT), 0, TABLE(L2));
	arch_pte_write(pa_init(L2), 0, TABLE(L3));
	arch_pte_write(pa_init(L3), 5, PAGE(DATA_A));
	arch_dsb_ish();
	arch_dc_civac(pa_init(DATA_A));
	arch_isb();
	arch_pte_write(pa_init(L3), 5, PAGE(DATA_B));
	sim_set_event_sink(NULL, NULL);

	const struct violation *v = hw_oracles_violation(h);
	CHECK(v != NULL);
	expect(V_BBM_MISSING);
	CHECK_EQ(v->nrecent, sim_recent_events(want, VIOLATION_RECENT));
	CHECK_EQ(v->nrecent, 8);
	for (unsigned i = 0; i < v->nrecent; i++) {
		CHECK_EQ(v->recent[i].seq, want[i].seq);
		CHECK_EQ(v->recent[i].kind, want[i].kind);
	}
	CHECK_EQ(v->recent[5].kind, EV_DC_CIVAC);
	CHECK_EQ(v->recent[6].kind, EV_ISB);
	sim_fini();
	hw_oracles_destroy(h);
	h = NULL; /* the next start makes one that keeps its own ring */
}

static const struct test_case cases[] = {
	CASE(first_violation_keeps_step_and_recent_events),
	CASE(short_history_keeps_every_event),
	CASE(tlb_events_reach_tlb_oracle),
	CASE(roots_declared_through_dispatcher_name_vm),
	CASE(tlb_switched_off_silent),
	CASE(lock_switched_off_silent),
	CASE(switching_off_forgets),
	CASE(op_end_checks_tlb_boundary),
	CASE(op_end_checks_lock_boundary),
	CASE(reset_forgets_violation_and_state),
	CASE(transfer_checked_on_the_machine),
	CASE(machine_stream_remap_without_break),
	CASE(machine_stream_correct_unmap_silent),
	CASE(reads_only_what_the_enabled_oracles_read),
	CASE(skipping_unread_kinds_keeps_the_verdict),
	CASE(machine_recent_include_unread_events),
};

int main(int argc, char **argv)
{
	int rc = test_main(argc, argv, cases, N_CASES(cases));

	hw_oracles_destroy(h);
	return rc;
}
