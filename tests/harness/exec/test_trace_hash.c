/* The trace hash is FNV-1a, byte at a time, over each step's observation
 * (status | cpu << 8 | order << 16, fault, return value, value read and a
 * zero word, each 8 bytes little-endian), then the event count, the
 * switch hash and, after a violation, its kind.  The executor may compute
 * it any way it likes; it must give this value, so a trace hash printed
 * once stays the same. */
#define _POSIX_C_SOURCE 200809L /* scandir */

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness_fixture.h"

static struct program prog;
static struct exec_result res;

static uint64_t fnv1a_bytes(uint64_t h, const void *data, size_t n)
{
	const uint8_t *b = data;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	return h;
}

static uint64_t fnv1a_le(uint64_t h, uint64_t w)
{
	for (unsigned i = 0; i < 8; i++)
		h = (h ^ ((w >> (8 * i)) & 0xff)) * 0x100000001b3ull;
	return h;
}

static uint64_t spec_hash(const struct exec_result *r)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (unsigned i = 0; i < r->nsteps; i++) {
		const struct step_obs *o = &r->obs[i];
		h = fnv1a_le(h, o->status | (uint64_t)o->cpu << 8 | (uint64_t)o->order << 16);
		h = fnv1a_le(h, (uint64_t)(int64_t)o->fault);
		h = fnv1a_le(h, (uint64_t)o->ret);
		h = fnv1a_le(h, o->val);
		h = fnv1a_le(h, 0);
	}
	h = fnv1a_le(h, r->events);
	h = fnv1a_le(h, r->switches);
	return fnv1a_bytes(h, &r->v.kind, r->violated ? sizeof(r->v.kind) : 0);
}

static int is_text_program(const struct dirent *e)
{
	size_t n = strlen(e->d_name);
	return n > 4 && strcmp(e->d_name + n - 4, ".txt") == 0;
}

/* Every program of the corpus, clean ones and findings, on a target. */
static void corpus_on(const struct hyp_target *t, unsigned *runs, unsigned *violations)
{
	static const char *const dirs[] = { "corpus/seeds", "corpus/attacks", "corpus/benign", "corpus/bugs",
					    "corpus/regressions" };
	char path[1024], rel[1024];

	hf_setup(t, ORACLE_ALL);
	for (unsigned d = 0; d < sizeof(dirs) / sizeof(dirs[0]); d++) {
		struct dirent **names;
		snprintf(path, sizeof(path), "%s/%s", SOURCE_ROOT, dirs[d]);
		int n = scandir(path, &names, is_text_program, alphasort);
		CHECK(n >= 0);
		for (int i = 0; i < n; i++) {
			snprintf(rel, sizeof(rel), "%s/%s", dirs[d], names[i]->d_name);
			free(names[i]);
			hf_load(rel, &prog);
			*violations += exec_run(&prog, &res);
			(*runs)++;
			if (res.trace_hash != spec_hash(&res)) {
				fprintf(stderr, "%s: trace hash %016llx, by its definition %016llx\n", rel,
					(unsigned long long)res.trace_hash, (unsigned long long)spec_hash(&res));
				CHECK(res.trace_hash == spec_hash(&res));
			}
		}
		free(names);
	}
	hf_teardown();
}

TEST(corpus_hashes_match_the_definition)
{
	unsigned runs = 0, violations = 0;

	corpus_on(&target_kcore, &runs, &violations);
	corpus_on(&target_vanilla, &runs, &violations);
	printf("%u runs, %u with a violation\n", runs, violations);
	CHECK(runs >= 60 && violations > 0);
}

static const struct test_case cases[] = {
	CASE(corpus_hashes_match_the_definition),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
