#include "harness_fixture.h"

#include <stdio.h>
#include <string.h>

#include "program/file/progfile.h"
#include "program/text/text.h"

static struct program_pools pools;
static int up;

void hf_setup(const struct hyp_target *t, unsigned oracles)
{
	struct exec_options opt = { .target = t, .oracles = oracles };

	hf_teardown();
	CHECK_EQ(exec_setup(&opt), 0);
	up = 1;
	program_pools_init(&pools, exec_boot());
}

void hf_teardown(void)
{
	if (up)
		exec_teardown();
	up = 0;
}

const struct program_pools *hf_pools(void)
{
	return &pools;
}

void hf_load(const char *rel_path, struct program *p)
{
	char path[1024], err[512];

	snprintf(path, sizeof(path), "%s/%s", SOURCE_ROOT, rel_path);
	if (progfile_load(path, &pools, p, NULL, err, sizeof(err)) != 0)
		CHECK_FAIL_("cannot load %s: %s", path, err);
}

void hf_parse(const char *text, struct program *p)
{
	char err[512];

	if (program_parse(text, "test", progfile_images(), p, err, sizeof(err)) != 0)
		CHECK_FAIL_("program text: %s", err);
}

void hf_set_schedule(struct program *p, const uint8_t *choices, unsigned n)
{
	CHECK(n <= PROGRAM_MAX_SCHEDULE);
	memcpy(p->sched, choices, n);
	p->nsched = n;
}

int hf_same_trace(const struct exec_result *a, const struct exec_result *b)
{
	if (a->nsteps != b->nsteps || a->violated != b->violated || a->events != b->events ||
	    a->trace_hash != b->trace_hash)
		return 0;
	if (a->violated && (a->v.kind != b->v.kind || a->v.step != b->v.step))
		return 0;
	for (unsigned i = 0; i < a->nsteps; i++) {
		const struct step_obs *x = &a->obs[i], *y = &b->obs[i];
		if (x->status != y->status || x->cpu != y->cpu || x->vm_side != y->vm_side ||
		    x->order != y->order || x->fault != y->fault || x->ret != y->ret || x->val != y->val)
			return 0;
	}
	return 1;
}

uint64_t hf_rand(struct hf_rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545f4914f6cdd1dull;
}

void hf_fail_run(const char *what, const struct program *p, const struct exec_result *r)
{
	fprintf(stderr, "%s\n", what);
	program_print(stderr, p, progfile_images());
	exec_print_trace(stderr, p, r);
	CHECK_FAIL_("%s", what);
}
