/* The mutator's block copy: a copied VM boot, renamed to another VM and
 * other pages, boots a second VM; the copy is cut to the room left and
 * ignores out-of-range positions; and mutate, from a one-VM seed, reaches
 * programs where two VMs are verified. */
#include <stdio.h>
#include <string.h>

#include "program/binary/binary.h"
#include "harness_fixture.h"
#include "program/mutator/mutator.h"

static struct program prog, before;
static struct exec_result r;
static uint8_t buf[BIN_MAX_SIZE];

/* vm-lifecycle's first six steps boot VM 1 from the image in 0x400e0. */
#define BOOT_STEPS 6

TEST(copied_boot_boots_a_second_vm)
{
	const struct mutator_rename ren[] = {
		{ ARG_VM, 1, 2 },
		{ ARG_PFN, 0x400e0, 0x400e2 },
	};

	hf_setup(&target_kcore, ORACLE_ALL);
	hf_load("corpus/seeds/vm-lifecycle.txt", &prog);
	before = prog;
	mutator_copy_block(&prog, 0, BOOT_STEPS, BOOT_STEPS, ren, 2);
	CHECK_EQ(prog.nsteps, before.nsteps + BOOT_STEPS);
	/* the original steps are untouched, the copy renamed */
	CHECK(memcmp(prog.step, before.step, BOOT_STEPS * sizeof(prog.step[0])) == 0);
	CHECK(memcmp(&prog.step[2 * BOOT_STEPS], &before.step[BOOT_STEPS],
		     (before.nsteps - BOOT_STEPS) * sizeof(prog.step[0])) == 0);
	CHECK_EQ(prog.step[BOOT_STEPS + 5].kind, STEP_VERIFY_VM_IMAGE);
	CHECK_EQ(prog.step[BOOT_STEPS + 5].arg[0], 2u);
	CHECK_EQ(prog.step[BOOT_STEPS + 3].arg[2], 0x400e2u);
	if (exec_run(&prog, &r))
		hf_fail_run("violation on KCore", &prog, &r);
	CHECK_EQ(r.obs[BOOT_STEPS].ret, 2);     /* register_vm: the second handle */
	CHECK_EQ(r.obs[BOOT_STEPS + 5].ret, 0); /* verify_vm_image vm=2: OK */
	hf_teardown();
}

TEST(copy_is_cut_and_bounded)
{
	hf_parse("config cpus=1\ncpu0 register_vm\ncpu0 register_vcpu vm=1 vcpu=0\n", &prog);
	before = prog;
	mutator_copy_block(&prog, 2, 1, 0, NULL, 0); /* from past the end */
	mutator_copy_block(&prog, 0, 1, 3, NULL, 0); /* at past the end */
	CHECK_EQ(prog.nsteps, 2u);
	mutator_copy_block(&prog, 1, 100, 0, NULL, 0); /* only one step to copy */
	CHECK_EQ(prog.nsteps, 3u);
	CHECK_EQ(prog.step[0].kind, STEP_REGISTER_VCPU);
	while (prog.nsteps < PROGRAM_MAX_STEPS - 2)
		prog.step[prog.nsteps++] = before.step[0];
	mutator_copy_block(&prog, 0, 10, 0, NULL, 0); /* room for two */
	CHECK_EQ(prog.nsteps, (unsigned)PROGRAM_MAX_STEPS);
}

/* How many verify_vm_image steps returned OK for distinct VMs. */
static unsigned verified_vms(const struct program *p, const struct exec_result *res)
{
	unsigned seen = 0;

	for (unsigned i = 0; i < p->nsteps; i++)
		if (p->step[i].kind == STEP_VERIFY_VM_IMAGE && res->obs[i].status == OBS_DONE &&
		    res->obs[i].ret == 0 && p->step[i].arg[0] < 32)
			seen |= 1u << p->step[i].arg[0];
	return (unsigned)__builtin_popcount(seen);
}

TEST(mutations_reach_two_verified_vms)
{
	unsigned hits = 0;

	hf_setup(&target_kcore, ORACLE_ALL);
	hf_load("corpus/seeds/vm-lifecycle.txt", &before);
	long len0 = program_encode(&before, hf_pools(), buf, sizeof(buf));
	CHECK(len0 > 0);
	for (uint64_t seed = 0; seed < 4000; seed++) {
		long n = program_encode(&before, hf_pools(), buf, sizeof(buf));
		size_t size = mutator_mutate(hf_pools(), buf, (size_t)n, sizeof(buf), seed);
		program_decode(buf, size, hf_pools(), &prog);
		if (exec_run(&prog, &r))
			hf_fail_run("violation on KCore", &prog, &r);
		hits += verified_vms(&prog, &r) >= 2;
	}
	printf("%u of 4000 mutants verify two VMs\n", hits);
	CHECK(hits > 0);
	hf_teardown();
}

/* Mutations chained from every seed, crossovers between them, hashed.
 * The value is the same on every compiler and machine (the plain build
 * and the sanitizer build use different compilers): a mutation depends
 * on its seed and input only.  A deliberate change of the mutator
 * changes it; the failure prints the new value. */
#define MUTATION_HASH 0x8cbbc92c8bea81abull

static uint64_t fnv(uint64_t h, const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	return h;
}

TEST(mutations_are_the_same_on_every_compiler)
{
	static const char *const seeds[] = { "boot-full-image", "dma-map-race", "grant-revoke", "map-race",
					     "smmu-vm", "two-vms-take-turns", "vcpus-two-cpus" };
	static uint8_t other[BIN_MAX_SIZE], out[BIN_MAX_SIZE];
	uint64_t h = 0xcbf29ce484222325ull, seed = 1;
	size_t other_len = 0;

	hf_setup(&target_kcore, ORACLE_ALL);
	for (unsigned k = 0; k < sizeof(seeds) / sizeof(seeds[0]); k++) {
		char path[64];
		snprintf(path, sizeof(path), "corpus/seeds/%s.txt", seeds[k]);
		hf_load(path, &before);
		long n = program_encode(&before, hf_pools(), buf, sizeof(buf));
		CHECK(n > 0);
		size_t size = (size_t)n;
		for (unsigned i = 0; i < 300; i++, seed++) {
			size = mutator_mutate(hf_pools(), buf, size, sizeof(buf), seed * 0x9e3779b97f4a7c15ull);
			h = fnv(h, buf, size);
			if (other_len && i % 10 == 0) {
				size_t m = mutator_crossover(hf_pools(), buf, size, other, other_len, out,
							     sizeof(out), seed);
				h = fnv(h, out, m);
			}
		}
		memcpy(other, buf, size);
		other_len = size;
	}
	hf_teardown();
	if (h != MUTATION_HASH)
		CHECK_FAIL_("mutation hash %#llx, expected %#llx", (unsigned long long)h,
			    (unsigned long long)MUTATION_HASH);
}

static const struct test_case cases[] = {
	CASE(copied_boot_boots_a_second_vm),
	CASE(copy_is_cut_and_bounded),
	CASE(mutations_reach_two_verified_vms),
	CASE(mutations_are_the_same_on_every_compiler),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
