/* Random byte strings through the fuzz entry's path (fuzz_init, then
 * decode with its pools and run with every oracle on KCore): none may
 * crash the harness and none may report a violation.  A failing input is
 * written to the working directory for `isofuzz repro` and `minimize`. */
#define _POSIX_C_SOURCE 200809L /* unsetenv */

#include <stdio.h>
#include <stdlib.h>

#include "program/binary/binary.h"
#include "engines/fuzz_one.h"
#include "harness_fixture.h"

#define INPUTS 10000
#define MAX_LEN 1600

static uint8_t buf[MAX_LEN];
static struct program prog;
static struct exec_result r;

static void keep_input(const uint8_t *data, size_t len, unsigned n)
{
	char name[64];
	snprintf(name, sizeof(name), "fuzz-input-%u.bin", n);
	FILE *f = fopen(name, "wb");
	if (f) {
		fwrite(data, 1, len, f);
		fclose(f);
		fprintf(stderr, "input written to %s\n", name);
	}
}

/* Half the inputs are bytes as they come; in the other half the header
 * asks for few literals and a short schedule, so most bytes become steps
 * and the programs get past the first calls. */
static size_t random_input(struct hf_rng *rng, unsigned n)
{
	size_t len = (size_t)(hf_rand(rng) % MAX_LEN);
	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)hf_rand(rng);
	if ((n & 1) && len >= BIN_HEADER_SIZE) {
		buf[1] = (uint8_t)(hf_rand(rng) % 8);
		buf[2] = 0;
		buf[3] = (uint8_t)(hf_rand(rng) % 64);
		buf[4] = 0;
	}
	return len;
}

TEST(random_inputs_clean_on_kcore)
{
	struct hf_rng rng = { 0xf022f022f022ull };
	unsigned steps = 0, host_ok = 0;

	/* the defaults: KCore, every oracle */
	unsetenv("ISOFUZZ_TARGET");
	unsetenv("ISOFUZZ_ORACLES");
	unsetenv("ISOFUZZ_RAM_MB");
	CHECK_EQ(fuzz_init(), 0);
	CHECK(exec_options()->target == &target_kcore);
	CHECK_EQ(exec_options()->oracles, ORACLE_ALL);
	for (unsigned n = 0; n < INPUTS; n++) {
		size_t len = random_input(&rng, n);
		program_decode(buf, len, fuzz_pools(), &prog);
		CHECK(program_check(&prog) == NULL);
		if (exec_run(&prog, &r)) {
			keep_input(buf, len, n);
			hf_fail_run("violation on KCore from a random input", &prog, &r);
		}
		steps += prog.nsteps;
		for (unsigned i = 0; i < prog.nsteps; i++)
			host_ok += program_step_info(prog.step[i].kind)->cls == STEP_CLASS_HOST &&
				   r.obs[i].status == OBS_DONE && r.obs[i].ret >= 0;
	}
	printf("%u inputs, %u steps, %u successful hypercalls\n", INPUTS, steps, host_ok);
	/* the inputs did reach KCore's operations, not only their checks */
	CHECK(host_ok > INPUTS);
}

static const struct test_case cases[] = {
	CASE(random_inputs_clean_on_kcore),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
