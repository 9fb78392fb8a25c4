/* The scheduler: a schedule decides the interleaving completely, different
 * schedules give different interleavings, and KCore stays correct under
 * every one we try. */
#define _POSIX_C_SOURCE 200809L /* scandir */

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness_fixture.h"

#define MAP_RACE "corpus/seeds/map-race.txt"
#define GRANT_RACE "corpus/attacks/grant-revoke-race.txt"

static struct program prog;
static struct exec_result ra, rb;

/* A set of trace hashes, to count distinct interleavings. */
#define MAX_DISTINCT 4096
static uint64_t distinct[MAX_DISTINCT];
static unsigned ndistinct;

static void note_trace(uint64_t h)
{
	for (unsigned i = 0; i < ndistinct; i++)
		if (distinct[i] == h)
			return;
	if (ndistinct < MAX_DISTINCT)
		distinct[ndistinct++] = h;
}

TEST(same_schedule_same_trace)
{
	struct hf_rng rng = { 0x5eed0001 };
	uint8_t sched[64];

	hf_setup(&target_kcore, ORACLE_ALL);
	hf_load(MAP_RACE, &prog);
	for (unsigned round = 0; round < 20; round++) {
		if (round > 0) { /* the file's own schedule first, then random ones */
			unsigned n = 1 + (unsigned)(hf_rand(&rng) % sizeof(sched));
			for (unsigned i = 0; i < n; i++)
				sched[i] = (uint8_t)hf_rand(&rng);
			hf_set_schedule(&prog, sched, n);
		}
		exec_run(&prog, &ra);
		exec_run(&prog, &rb);
		if (!hf_same_trace(&ra, &rb))
			hf_fail_run("two replays of one schedule differ", &prog, &rb);
		if (ra.violated)
			hf_fail_run("violation on KCore", &prog, &ra);
	}
	hf_teardown();
}

/* What a sweep saw, beyond "no violation". */
static struct {
	unsigned vm1_wins, vm2_wins;     /* map-race: who got the page */
	uint32_t step12_positions;       /* map-race: where step 12 completed */
	unsigned fault_ok, fault_refused; /* grant-revoke-race: KServ's fault */
	unsigned read_ok, read_faulted;  /* grant-revoke-race: KServ's last read */
} seen;

/* In map-race.txt steps 11 (VM 1) and 12 (VM 2) offer the same page.  Once
 * VM 2 is verified, exactly one of them must win it. */
static void check_map_race(const struct exec_result *r)
{
	const int64_t e_vm = -(int64_t)KCORE_E_VM, e_state = -(int64_t)KCORE_E_VM_STATE;
	int64_t a = r->obs[11].ret, b = r->obs[12].ret;

	if (a == 0 && b == 0)
		hf_fail_run("one page given to two VMs", &prog, r);
	if (b != e_vm && b != e_state && (a == 0) == (b == 0))
		hf_fail_run("a race of two maps with no single winner", &prog, r);
	seen.vm1_wins += a == 0;
	seen.vm2_wins += b == 0;
	seen.step12_positions |= 1u << r->obs[12].order;
}

/* grant-revoke-race.txt: step 12 is KServ's fault, step 19 its last read. */
static void note_grant_race(const struct exec_result *r)
{
	seen.fault_ok += r->obs[12].ret == 0;
	seen.fault_refused += r->obs[12].ret != 0;
	seen.read_ok += r->obs[19].fault == 0;
	seen.read_faulted += r->obs[19].fault != 0;
}

static void run_checked(const struct program *p, struct exec_result *r)
{
	if (exec_run(p, r))
		hf_fail_run("violation on KCore", p, r);
	note_trace(r->trace_hash);
}

/* Every schedule of up to 10 choices of CPU 0 or 1 (the defaults take
 * over after it), then runs of CPU 0 of every length up to max_zeros
 * (through the boot) followed by 24 random choices, so the racing steps
 * meet at every point of each other.  Returns the number of runs. */
static unsigned sweep(const char *path, unsigned max_zeros, void (*check)(const struct exec_result *))
{
	struct hf_rng rng = { 0x5eed0002 };
	static uint8_t sched[PROGRAM_MAX_SCHEDULE];
	unsigned runs = 0;

	hf_load(path, &prog);
	ndistinct = 0;
	memset(&seen, 0, sizeof(seen));
	for (unsigned len = 1; len <= 10; len++)
		for (unsigned bits = 0; bits < (1u << len); bits++, runs++) {
			for (unsigned i = 0; i < len; i++)
				sched[i] = (uint8_t)((bits >> i) & 1);
			hf_set_schedule(&prog, sched, len);
			run_checked(&prog, &ra);
			check(&ra);
		}
	for (unsigned zeros = 0; zeros <= max_zeros; zeros++, runs++) {
		unsigned n = zeros + 24;
		for (unsigned i = 0; i < n; i++)
			sched[i] = i < zeros ? 0 : (uint8_t)hf_rand(&rng);
		hf_set_schedule(&prog, sched, n);
		run_checked(&prog, &ra);
		check(&ra);
	}
	return runs;
}

TEST(map_race_schedules)
{
	hf_setup(&target_kcore, ORACLE_ALL);
	unsigned runs = sweep(MAP_RACE, 900, check_map_race);
	printf("map-race: %u schedules, %u distinct traces; VM 1 won %u, VM 2 won %u\n", runs,
	       ndistinct, seen.vm1_wins, seen.vm2_wins);
	CHECK(seen.vm1_wins > 0 && seen.vm2_wins > 0);
	/* CPU 1's one step completed before, between and after all 12 of CPU 0's */
	CHECK_EQ(seen.step12_positions, (1u << 13) - 1);
	CHECK(ndistinct >= 13);
	hf_teardown();
}

TEST(two_schedules_two_interleavings)
{
	static const uint8_t serial[] = { 0 };
	static const uint8_t cpu1_first[] = { 1, 1 }; /* CPU 1 runs, then starts its step */

	hf_setup(&target_kcore, ORACLE_ALL);
	hf_load(MAP_RACE, &prog);
	hf_set_schedule(&prog, serial, 1);
	run_checked(&prog, &ra);
	hf_set_schedule(&prog, cpu1_first, 2);
	run_checked(&prog, &rb);
	CHECK(!hf_same_trace(&ra, &rb));
	/* in listed order VM 1 wins the page; CPU 1 going first finds no VM 2 */
	CHECK_EQ(ra.obs[11].ret, 0);
	CHECK_EQ(ra.obs[12].ret, -(int64_t)KCORE_E_OWNER);
	CHECK_EQ(rb.obs[12].ret, -(int64_t)KCORE_E_VM);
	CHECK_EQ(rb.obs[12].order, 0);
	hf_teardown();
}

TEST(grant_revoke_race_schedules)
{
	hf_setup(&target_kcore, ORACLE_ALL);
	unsigned runs = sweep(GRANT_RACE, 600, note_grant_race);
	printf("grant-revoke-race: %u schedules, %u distinct traces; KServ's fault served %u, "
	       "refused %u; its last read served %u, faulted %u\n", runs, ndistinct, seen.fault_ok,
	       seen.fault_refused, seen.read_ok, seen.read_faulted);
	CHECK(seen.fault_ok > 0 && seen.fault_refused > 0);
	CHECK(seen.read_ok > 0 && seen.read_faulted > 0);
	CHECK(ndistinct >= 2);
	hf_teardown();
}

/* Every corpus program under random schedules: CPU 0 first for a random
 * while, then random choices.  Whatever the interleaving, KCore refuses
 * the attacks and keeps its invariants. */
static const char *const corpus_dirs[] = { "corpus/seeds", "corpus/attacks", "corpus/benign" };

static int is_text_program(const struct dirent *e)
{
	size_t n = strlen(e->d_name);
	return n > 4 && strcmp(e->d_name + n - 4, ".txt") == 0;
}

/* Runs one program of the corpus under 100 schedules. */
static void random_schedules(const char *dir, const char *name, struct hf_rng *rng)
{
	static uint8_t sched[PROGRAM_MAX_SCHEDULE];
	char rel[1024];

	snprintf(rel, sizeof(rel), "%s/%s", dir, name);
	hf_load(rel, &prog);
	for (unsigned k = 0; k < 100; k++) {
		unsigned zeros = (unsigned)(hf_rand(rng) % 1200), len = zeros + 64;
		for (unsigned j = 0; j < len; j++)
			sched[j] = j < zeros ? 0 : (uint8_t)hf_rand(rng);
		hf_set_schedule(&prog, sched, len);
		if (exec_run(&prog, &ra)) {
			fprintf(stderr, "%s\n", rel);
			hf_fail_run("violation on KCore under a random schedule", &prog, &ra);
		}
	}
}

TEST(corpus_under_random_schedules)
{
	struct hf_rng rng = { 0x5eed0003 };
	char path[1024];
	unsigned programs = 0;

	hf_setup(&target_kcore, ORACLE_ALL);
	for (unsigned d = 0; d < sizeof(corpus_dirs) / sizeof(corpus_dirs[0]); d++) {
		struct dirent **names;
		snprintf(path, sizeof(path), "%s/%s", SOURCE_ROOT, corpus_dirs[d]);
		int n = scandir(path, &names, is_text_program, alphasort);
		CHECK(n >= 0);
		for (int i = 0; i < n; i++, programs++) {
			random_schedules(corpus_dirs[d], names[i]->d_name, &rng);
			free(names[i]);
		}
		free(names);
	}
	printf("%u corpus programs, 100 schedules each\n", programs);
	CHECK(programs >= 20);
	hf_teardown();
}

static const struct test_case cases[] = {
	CASE(same_schedule_same_trace),
	CASE(map_race_schedules),
	CASE(two_schedules_two_interleavings),
	CASE(grant_revoke_race_schedules),
	CASE(corpus_under_random_schedules),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
