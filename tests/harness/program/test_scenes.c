/* Scene splicing reaches, within a bounded number of mutations from every
 * seed, the multi-step states that single-step mutations seldom build: a
 * VM slot reused by a new VM, one VM owning two SMMU units, a second
 * teardown, and two vCPUs of one VM on two CPUs while one powers off.  The
 * states are read from what the runs did (return values in completion
 * order), not from the mutated text; every run must also stay clean on
 * KCore.  A seed corpus file that is added is covered by this test as it
 * stands. */
#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include "program/binary/binary.h"
#include "harness_fixture.h"
#include "program/mutator/mutator.h"
#include "program/mutator/mutator_scene.h"

/* Mutations tried from each seed before a state counts as out of reach. */
#define MUTATIONS_PER_SEED 600

enum goal { G_SLOT_REUSED, G_TWO_UNITS, G_SECOND_TEARDOWN, G_TWO_VCPUS_ONE_OFF, G__COUNT };
static const char *const goal_names[G__COUNT] = {
	"a VM slot reused by a new VM", "one VM owning two SMMU units", "a second teardown",
	"two vCPUs of one VM on two CPUs while one powers off",
};

static struct program seed, prog;
static struct exec_result r;
static uint8_t buf[BIN_MAX_SIZE];

/* Steps that ran, in the order they completed. */
static unsigned completed(const struct exec_result *res, unsigned *idx)
{
	unsigned n = 0;

	for (unsigned i = 0; i < res->nsteps; i++)
		if (res->obs[i].status == OBS_DONE)
			idx[n++] = i;
	for (unsigned a = 1; a < n; a++)
		for (unsigned b = a; b > 0 && res->obs[idx[b - 1]].order > res->obs[idx[b]].order; b--) {
			unsigned t = idx[b];
			idx[b] = idx[b - 1], idx[b - 1] = t;
		}
	return n;
}

static unsigned goals_reached(const struct program *p, const struct exec_result *res)
{
	static unsigned idx[PROGRAM_MAX_STEPS];
	bool cleared[KCORE_MAX_VMS + 1] = { 0 };
	uint64_t unit_owner[KCORE_SMMU_UNITS] = { 0 }, running[ARCH_MAX_CPUS] = { 0 };
	unsigned n = completed(res, idx), teardowns = 0, got = 0;

	for (unsigned k = 0; k < n; k++) {
		const struct program_step *s = &p->step[idx[k]];
		const struct step_obs *o = &res->obs[idx[k]];
		uint64_t a0 = s->arg[0];

		if (o->ret < 0)
			continue;
		switch (s->kind) {
		case STEP_REGISTER_VM:
			if (o->ret <= KCORE_MAX_VMS && cleared[o->ret])
				got |= 1u << G_SLOT_REUSED;
			break;
		case STEP_CLEAR_VM:
			cleared[a0] = true;
			if (++teardowns >= 2)
				got |= 1u << G_SECOND_TEARDOWN;
			for (unsigned u = 0; u < KCORE_SMMU_UNITS; u++)
				if (unit_owner[u] == a0)
					unit_owner[u] = 0;
			break;
		case STEP_SMMU_ALLOC: {
			unsigned same = 0;
			unit_owner[a0] = s->arg[1];
			for (unsigned u = 0; u < KCORE_SMMU_UNITS; u++)
				same += s->arg[1] != 0 && unit_owner[u] == s->arg[1];
			if (same >= 2)
				got |= 1u << G_TWO_UNITS;
			break;
		}
		case STEP_SMMU_FREE:
			unit_owner[a0] = 0;
			break;
		case STEP_VCPU_RUN:
			running[s->cpu] = a0;
			break;
		case STEP_GUEST_POWER_OFF:
			for (unsigned c = 0; c < ARCH_MAX_CPUS; c++)
				if (c != s->cpu && running[s->cpu] && running[c] == running[s->cpu])
					got |= 1u << G_TWO_VCPUS_ONE_OFF;
			running[s->cpu] = 0;
			break;
		case STEP_GUEST_EXIT:
			running[s->cpu] = 0;
			break;
		default:
			break;
		}
	}
	return got;
}

/* How many mutations each state took from this seed; a state still out
 * of reach after MUTATIONS_PER_SEED fails the case. */
static unsigned explore(const char *name, uint64_t salt)
{
	unsigned reached = 0, took[G__COUNT] = { 0 }, missing = 0;

	for (unsigned m = 0; m < MUTATIONS_PER_SEED && reached != (1u << G__COUNT) - 1; m++) {
		long len = program_encode(&seed, hf_pools(), buf, sizeof(buf));
		CHECK(len > 0);
		size_t size = mutator_mutate(hf_pools(), buf, (size_t)len, sizeof(buf), salt * 7919 + m);
		program_decode(buf, size, hf_pools(), &prog);
		if (exec_run(&prog, &r))
			hf_fail_run("violation on KCore", &prog, &r);
		unsigned now = goals_reached(&prog, &r) & ~reached;
		for (unsigned g = 0; g < G__COUNT; g++)
			if (now & (1u << g))
				took[g] = m + 1;
		reached |= now;
	}
	printf("%-24s", name);
	for (unsigned g = 0; g < G__COUNT; g++) {
		if (reached & (1u << g))
			printf(" %4u", took[g]);
		else
			printf("    -"), missing++;
	}
	printf("\n");
	for (unsigned g = 0; g < G__COUNT; g++)
		if (!(reached & (1u << g)))
			printf("  %s: not reached from %s\n", goal_names[g], name);
	return missing;
}

TEST(scenes_reach_states_from_every_seed)
{
	char dir[1024], rel[1300];
	struct dirent *e;
	unsigned seeds = 0, missing = 0;

	hf_setup(&target_kcore, ORACLE_ALL);
	snprintf(dir, sizeof(dir), "%s/corpus/seeds", SOURCE_ROOT);
	DIR *d = opendir(dir);
	CHECK(d != NULL);
	printf("mutations to reach: slot reuse, two units, second teardown, power-off beside a vCPU\n");
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		if (len < 5 || strcmp(e->d_name + len - 4, ".txt") != 0)
			continue;
		snprintf(rel, sizeof(rel), "corpus/seeds/%s", e->d_name);
		hf_load(rel, &seed);
		missing += explore(e->d_name, seeds++);
	}
	closedir(d);
	CHECK(seeds >= 10);
	CHECK_EQ(missing, 0u);
	hf_teardown();
}

/* A spliced scene for a fresh VM takes the slot the program leaves free
 * and boots it; one that reuses a VM acts on the VM the program booted. */
TEST(scene_handles_follow_the_program)
{
	uint64_t rng = 1;

	hf_setup(&target_kcore, ORACLE_ALL);
	hf_load("corpus/seeds/vm-lifecycle.txt", &seed);
	prog = seed;
	mutator_splice_scene(hf_pools(), &prog, 6, SCENE_UNITS, 1, &rng);
	CHECK(prog.nsteps > seed.nsteps);
	CHECK_EQ(prog.step[6].kind, STEP_MAP_VM_PAGE);
	CHECK_EQ(prog.step[6].arg[0], 1u);
	if (exec_run(&prog, &r))
		hf_fail_run("violation on KCore", &prog, &r);
	CHECK(goals_reached(&prog, &r) & (1u << G_TWO_UNITS));

	prog = seed;
	mutator_splice_scene(hf_pools(), &prog, 6, SCENE_BOOT, 0, &rng);
	CHECK_EQ(prog.step[6].kind, STEP_REGISTER_VM);
	CHECK_EQ(prog.step[7].kind, STEP_REGISTER_VCPU);
	CHECK_EQ(prog.step[7].arg[0], 2u);
	if (exec_run(&prog, &r))
		hf_fail_run("violation on KCore", &prog, &r);
	CHECK_EQ(r.obs[6].ret, 2);
	for (unsigned i = 6; i < prog.nsteps && prog.step[i].kind != STEP_VERIFY_VM_IMAGE; i++)
		CHECK(r.obs[i].ret >= 0);

	prog = seed;
	mutator_splice_scene(hf_pools(), &prog, seed.nsteps, SCENE_REUSE_SLOT, 0, &rng);
	if (exec_run(&prog, &r))
		hf_fail_run("violation on KCore", &prog, &r);
	CHECK(goals_reached(&prog, &r) & (1u << G_SLOT_REUSED));
	CHECK(goals_reached(&prog, &r) & (1u << G_SECOND_TEARDOWN));
	hf_teardown();
}

static const struct test_case cases[] = {
	CASE(scenes_reach_states_from_every_seed),
	CASE(scene_handles_follow_the_program),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
