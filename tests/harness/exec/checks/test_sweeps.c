/* The incremental model checks against the full sweeps (ORACLE_THOROUGH)
 * on random histories: every history must get the same verdict from
 * both, violation kind, step and page included, on KCore and on the
 * baseline (which violates often).  Histories are seeds and attack
 * programs from the corpus mutated in chains by the fuzzers' mutator,
 * and random byte strings.  ISOFUZZ_SWEEP_HISTORIES sets how many per
 * target (default 10,000: about 6 s of CPU in the plain build). */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "program/binary/binary.h"
#include "harness_fixture.h"
#include "program/mutator/mutator.h"

#define MAX_LEN 1600
#define MAX_SEEDS 64

struct verdict {
	bool violated;
	enum violation_kind kind;
	uint64_t step, page;
};

static struct program seeds[MAX_SEEDS];
static unsigned nseeds;
static struct program prog;
static struct exec_result r;
static uint8_t buf[BIN_MAX_SIZE];

static void load_dir(const char *rel)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", SOURCE_ROOT, rel);
	DIR *d = opendir(path);
	CHECK(d != NULL);
	struct dirent *e;
	char *names[MAX_SEEDS];
	unsigned n = 0;
	while ((e = readdir(d)) && n < MAX_SEEDS) {
		size_t len = strlen(e->d_name);
		if (len > 4 && strcmp(e->d_name + len - 4, ".txt") == 0)
			names[n++] = strdup(e->d_name);
	}
	closedir(d);
	/* readdir's order is the file system's: sort for the same histories everywhere */
	for (unsigned i = 1; i < n; i++)
		for (unsigned j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			char *t = names[j];
			names[j] = names[j - 1];
			names[j - 1] = t;
		}
	for (unsigned i = 0; i < n; i++) {
		char relpath[1024];
		snprintf(relpath, sizeof(relpath), "%s/%s", rel, names[i]);
		if (nseeds < MAX_SEEDS)
			hf_load(relpath, &seeds[nseeds++]);
		free(names[i]);
	}
}

/* History n: even ones a random byte string, odd ones a corpus program
 * mutated 1-8 times. */
static void history(unsigned n, struct hf_rng *rng)
{
	if (n % 2 == 0) {
		size_t len = (size_t)(hf_rand(rng) % MAX_LEN);
		for (size_t i = 0; i < len; i++)
			buf[i] = (uint8_t)hf_rand(rng);
		program_decode(buf, len, hf_pools(), &prog);
		return;
	}
	long len = program_encode(&seeds[hf_rand(rng) % nseeds], hf_pools(), buf, sizeof(buf));
	size_t size = len < 0 ? 0 : (size_t)len;
	for (unsigned k = 0, times = 1 + (unsigned)(hf_rand(rng) % 8); k < times; k++)
		size = mutator_mutate(hf_pools(), buf, size, sizeof(buf), hf_rand(rng));
	program_decode(buf, size, hf_pools(), &prog);
}

static unsigned count(void)
{
	const char *s = getenv("ISOFUZZ_SWEEP_HISTORIES");
	return s ? (unsigned)strtoul(s, NULL, 0) : 10000;
}

/* Every history under oracles, its verdict into v[]. */
static unsigned run_all(const struct hyp_target *t, unsigned oracles, struct verdict *v, unsigned n)
{
	struct hf_rng rng = { 0x5eeb5eeb0001ull };
	unsigned violated = 0;

	hf_setup(t, oracles);
	if (nseeds == 0) {
		load_dir("corpus/seeds");
		load_dir("corpus/attacks");
	}
	for (unsigned i = 0; i < n; i++) {
		history(i, &rng);
		exec_run(&prog, &r);
		v[i] = (struct verdict){ r.violated, r.violated ? r.v.kind : 0, r.violated ? r.v.step : 0,
					 r.violated ? r.v.page : 0 };
		violated += r.violated;
	}
	hf_teardown();
	return violated;
}

static void same_verdicts(const struct hyp_target *t, unsigned oracles, unsigned min_violations)
{
	unsigned n = count();
	struct verdict *fast = calloc(n, sizeof(*fast)), *full = calloc(n, sizeof(*full));
	CHECK(fast && full);
	unsigned bad = run_all(t, oracles, fast, n);
	CHECK_EQ(run_all(t, oracles | ORACLE_THOROUGH, full, n), bad);
	for (unsigned i = 0; i < n; i++)
		if (memcmp(&fast[i], &full[i], sizeof(fast[i])) != 0)
			CHECK_FAIL_("history %u: incremental %s at step %llu page %#llx, full sweep %s at step %llu page %#llx",
				    i, fast[i].violated ? violation_kind_name(fast[i].kind) : "clean",
				    (unsigned long long)fast[i].step, (unsigned long long)fast[i].page,
				    full[i].violated ? violation_kind_name(full[i].kind) : "clean",
				    (unsigned long long)full[i].step, (unsigned long long)full[i].page);
	printf("%u histories on %s, oracles %#x: %u with a violation, the same verdicts\n", n, t->name, oracles, bad);
	CHECK(bad >= min_violations);
	free(fast);
	free(full);
}

TEST(kcore_same_verdicts)
{
	same_verdicts(&target_kcore, ORACLE_ALL, 0);
}

/* The baseline violates: the verdicts compared there include the kinds
 * and steps of many violations.  With every oracle on, the first one
 * found is often another oracle's, so isolation and refinement are also
 * compared alone. */
TEST(vanilla_same_verdicts)
{
	same_verdicts(&target_vanilla, ORACLE_ALL, count() / 20);
	same_verdicts(&target_vanilla, ORACLE_ISOLATION, count() / 20);
	same_verdicts(&target_vanilla, ORACLE_REFINE, count() / 20);
}

static const struct test_case cases[] = {
	CASE(kcore_same_verdicts),
	CASE(vanilla_same_verdicts),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
