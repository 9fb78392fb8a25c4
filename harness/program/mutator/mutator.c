#include "program/mutator/mutator.h"

#include <stdbool.h>
#include <string.h>

#include "program/binary/binary.h"
#include "program/mutator/mutator_rng.h"
#include "program/mutator/mutator_scene.h"

static uint64_t next(uint64_t *s)
{
	return rng_next(s);
}

static unsigned below(uint64_t *s, unsigned n)
{
	return rng_below(s, n);
}

static uint64_t pick_operand(const struct program_pools *pools, enum arg_type t, uint64_t *s)
{
	if (t == ARG_FLAG)
		return next(s) & 1;
	const struct pool *pool = &pools->type[t];
	if (pool->n == 0 || below(s, 16) == 0) {
		uint64_t max = program_arg_type_info(t)->max;
		uint64_t v = next(s);
		return max == UINT64_MAX ? v : v % (max + 1);
	}
	/* Half the picks from the hot values keep collisions frequent; the
	 * rest reach every boundary in the pool. */
	if (pool->hot && below(s, 2))
		return pool->v[below(s, pool->hot)];
	return pool->v[below(s, pool->n)];
}

static void random_step(const struct program_pools *pools, const struct program *p,
			struct program_step *st, uint64_t *s)
{
	memset(st, 0, sizeof(*st));
	st->kind = (enum step_kind)below(s, STEP__COUNT);
	st->cpu = below(s, p->ncpus);
	const struct step_info *info = program_step_info(st->kind);
	for (unsigned a = 0; a < PROGRAM_MAX_ARGS && info->arg[a].type != ARG_NONE; a++)
		st->arg[a] = pick_operand(pools, info->arg[a].type, s);
}

static void insert_step(struct program *p, unsigned at, const struct program_step *st)
{
	if (p->nsteps >= PROGRAM_MAX_STEPS)
		return;
	memmove(&p->step[at + 1], &p->step[at], (p->nsteps - at) * sizeof(p->step[0]));
	p->step[at] = *st;
	p->nsteps++;
}

static void delete_step(struct program *p, unsigned at)
{
	memmove(&p->step[at], &p->step[at + 1], (p->nsteps - at - 1) * sizeof(p->step[0]));
	p->nsteps--;
}

static void reoperand(const struct program_pools *pools, struct program_step *st, uint64_t *s)
{
	unsigned nargs = program_step_nargs(st->kind);
	if (nargs == 0)
		return;
	unsigned a = below(s, nargs);
	st->arg[a] = pick_operand(pools, program_step_info(st->kind)->arg[a].type, s);
}

void mutator_copy_block(struct program *p, unsigned from, unsigned len, unsigned at,
			const struct mutator_rename *ren, unsigned nren)
{
	struct program_step block[MUTATOR_MAX_BLOCK];

	if (from >= p->nsteps || at > p->nsteps)
		return;
	if (len > p->nsteps - from)
		len = p->nsteps - from;
	if (len > MUTATOR_MAX_BLOCK)
		len = MUTATOR_MAX_BLOCK;
	if (len > PROGRAM_MAX_STEPS - p->nsteps)
		len = PROGRAM_MAX_STEPS - p->nsteps;
	memcpy(block, &p->step[from], len * sizeof(block[0]));
	for (unsigned i = 0; i < len; i++) {
		const struct step_info *info = program_step_info(block[i].kind);
		for (unsigned a = 0; a < PROGRAM_MAX_ARGS && info->arg[a].type != ARG_NONE; a++)
			for (unsigned k = 0; k < nren; k++)
				if (info->arg[a].type == ren[k].type && block[i].arg[a] == ren[k].from) {
					block[i].arg[a] = ren[k].to;
					break;
				}
	}
	memmove(&p->step[at + len], &p->step[at], (p->nsteps - at) * sizeof(p->step[0]));
	memcpy(&p->step[at], block, len * sizeof(block[0]));
	p->nsteps += len;
}

/* An operand of type t that one of steps [from, from + len) has, or
 * false. */
static bool operand_in(const struct program *p, unsigned from, unsigned len, enum arg_type t,
		       uint64_t *out)
{
	for (unsigned i = from; i < from + len && i < p->nsteps; i++) {
		const struct step_info *info = program_step_info(p->step[i].kind);
		for (unsigned a = 0; a < PROGRAM_MAX_ARGS && info->arg[a].type != ARG_NONE; a++)
			if (info->arg[a].type == t) {
				*out = p->step[i].arg[a];
				return true;
			}
	}
	return false;
}

/* The value after v in its pool (a fresh VM handle, the next page), or a
 * random one. */
static uint64_t another(const struct program_pools *pools, enum arg_type t, uint64_t v, uint64_t *s)
{
	const struct pool *pool = &pools->type[t];
	int i = pool_find(pools, t, v);

	if (i >= 0 && (unsigned)i + 1 < pool->n && below(s, 2))
		return pool->v[i + 1];
	return pick_operand(pools, t, s);
}

/* Where a scene begins: a VM's registration or a vCPU's turn, or any
 * step. */
static unsigned block_start(const struct program *p, uint64_t *s)
{
	unsigned n = p->nsteps, start = below(s, n);

	if (below(s, 2))
		return start;
	for (unsigned k = 0; k < n; k++) {
		unsigned i = (start + k) % n;
		if (p->step[i].kind == STEP_REGISTER_VM || p->step[i].kind == STEP_VCPU_RUN)
			return i;
	}
	return start;
}

/* Repeat a run of steps elsewhere, often for another VM on other pages:
 * a one-VM boot becomes a second VM's, a run-and-exit a second turn on
 * the CPU.  (A copy that keeps the VM and pages mostly tries the calls
 * again, which KCore must refuse or treat as no-ops.) */
static void copy_block(const struct program_pools *pools, struct program *p, uint64_t *s)
{
	struct mutator_rename ren[4];
	unsigned from = block_start(p, s), len = 1 + below(s, MUTATOR_MAX_BLOCK), nren = 0;
	bool fresh = below(s, 2);
	bool other_unit = below(s, 2);
	bool other_gfn = below(s, 4) == 0;
	/* A copied smmu_alloc needs a unit the program has not taken; a copy
	 * that keeps the VM but takes another unit gives one VM two units. */
	const struct { enum arg_type type; bool pick; } renamed[] = {
		{ ARG_VM, fresh }, { ARG_PFN, fresh }, { ARG_UNIT, other_unit }, { ARG_GFN, other_gfn },
	};

	for (unsigned k = 0; k < sizeof(renamed) / sizeof(renamed[0]); k++)
		if (renamed[k].pick && operand_in(p, from, len, renamed[k].type, &ren[nren].from)) {
			ren[nren].type = renamed[k].type;
			ren[nren].to = another(pools, renamed[k].type, ren[nren].from, s);
			nren++;
		}
	mutator_copy_block(p, from, len, below(s, p->nsteps + 1), ren, nren);
}

/* The page next to a value some step already uses, or its last word or
 * byte: values no pool holds, a page or a byte away from ones that matter
 * to the program. */
static bool address_type(enum arg_type t)
{
	return t == ARG_GFN || t == ARG_GPA || t == ARG_PFN || t == ARG_PA || t == ARG_IPA ||
	       t == ARG_IOVA;
}

static void neighbour(struct program *p, uint64_t *s)
{
	struct program_step *st = &p->step[below(s, p->nsteps)];
	const struct step_info *info = program_step_info(st->kind);
	unsigned a = below(s, program_step_nargs(st->kind) ? program_step_nargs(st->kind) : 1);
	enum arg_type t = info->arg[a].type;
	bool frames = t == ARG_GFN || t == ARG_PFN;
	uint64_t step = frames ? 1 : PAGE_SIZE, v = st->arg[a];

	if (!address_type(t))
		return;
	switch (below(s, frames ? 2 : 4)) {
	case 0: st->arg[a] = v + step; break;
	case 1: st->arg[a] = v - step; break;
	case 2: st->arg[a] = (v | PAGE_MASK) - 7; break; /* the page's last word */
	default: st->arg[a] = (v & ~PAGE_MASK) - 1; break; /* the byte below it */
	}
}

/* Lower one capacity (to its minimum, most often), or give it back: the
 * limits of a smaller KCore are a few steps away. */
static void mutate_caps(struct program *p, uint64_t *s)
{
	unsigned i = below(s, PROGRAM_NCAPS);
	const struct program_cap_info *c = program_cap_info(i);
	uint32_t *v = program_cap(&p->caps, i);

	switch (below(s, 4)) {
	case 0: *v = 0; break;
	case 1: *v = c->min + (uint32_t)below(s, c->max - c->min + 1); break;
	default: *v = c->min; break;
	}
}

static void splice_scene(const struct program_pools *pools, struct program *p, uint64_t *s)
{
	/* one draw per statement: C leaves the order of a call's arguments
	 * open, and a mutation must be the same whatever compiled it */
	enum scene_kind k = (enum scene_kind)below(s, SCENE__COUNT);
	unsigned at = below(s, p->nsteps + 1);
	int reuse = (int)below(s, 2);

	mutator_splice_scene(pools, p, at, k, reuse, s);
	/* A scene's steps on two CPUs take effect in listed order only once
	 * the schedule is used up; a long schedule can hold one CPU back
	 * through the whole scene. */
	if (below(s, 2))
		p->nsched = 0;
}

static void mutate_schedule(struct program *p, uint64_t *s)
{
	unsigned at = below(s, p->nsched + 1);
	switch (below(s, 4)) {
	case 0: /* insert a choice */
		if (p->nsched < PROGRAM_MAX_SCHEDULE) {
			memmove(&p->sched[at + 1], &p->sched[at], p->nsched - at);
			p->sched[at] = (uint8_t)next(s);
			p->nsched++;
		}
		break;
	case 1: /* delete one */
		if (at < p->nsched) {
			memmove(&p->sched[at], &p->sched[at + 1], p->nsched - at - 1);
			p->nsched--;
		}
		break;
	case 2: { /* a burst: one CPU runs several points in a row, say
		   * through another's critical section */
		unsigned len = 1 + below(s, 32);
		uint8_t c = (uint8_t)next(s);
		if (at + len > PROGRAM_MAX_SCHEDULE)
			len = PROGRAM_MAX_SCHEDULE - at;
		memset(&p->sched[at], c, len);
		if (at + len > p->nsched)
			p->nsched = at + len;
		break;
	}
	default: /* change one */
		if (at < p->nsched)
			p->sched[at] = (uint8_t)next(s);
		break;
	}
}

static void mutate_once(const struct program_pools *pools, struct program *p, uint64_t *s)
{
	struct program_step st;
	unsigned n = p->nsteps, i = below(s, n), j = below(s, n);
	switch (n ? below(s, 11) : 0) {
	case 0:
		if (below(s, 4) == 0) {
			splice_scene(pools, p, s);
			break;
		}
		random_step(pools, p, &st, s);
		insert_step(p, below(s, n + 1), &st);
		break;
	case 1: delete_step(p, i); break;
	case 2: st = p->step[i]; insert_step(p, below(s, n + 1), &st); break;
	case 3: st = p->step[i]; p->step[i] = p->step[j]; p->step[j] = st; break;
	case 4: case 5: reoperand(pools, &p->step[i], s); break;
	case 6: p->step[i].cpu = below(s, p->ncpus); break;
	case 7: copy_block(pools, p, s); break;
	case 8: splice_scene(pools, p, s); break;
	case 9: if (below(s, 4) == 0) mutate_caps(p, s); else neighbour(p, s); break;
	default: mutate_schedule(p, s); break;
	}
}

/* Encode, dropping trailing steps until the encoding fits. */
static size_t encode_fitting(const struct program_pools *pools, struct program *p, uint8_t *out, size_t max)
{
	for (;;) {
		long n = program_encode(p, pools, out, max);
		if (n >= 0)
			return (size_t)n;
		if (p->nsched > 0)
			p->nsched /= 2;
		else if (p->nsteps > 0)
			p->nsteps--;
		else
			return 0;
	}
}

size_t mutator_mutate(const struct program_pools *pools, uint8_t *data, size_t size, size_t max,
		      uint64_t seed)
{
	static struct program p;
	uint64_t s = seed;
	program_decode(data, size, pools, &p);
	unsigned rounds = 1 + below(&s, 4);
	/* A program with a schedule is often a race staged by hand: some
	 * mutations keep its steps and try other interleavings, so that the
	 * many steps and scenes the other moves add do not crowd them out. */
	bool schedule_only = p.nsched > 0 && below(&s, 4) == 0;
	for (unsigned r = 0; r < rounds; r++) {
		if (schedule_only)
			mutate_schedule(&p, &s);
		else
			mutate_once(pools, &p, &s);
	}
	return encode_fitting(pools, &p, data, max);
}

size_t mutator_crossover(const struct program_pools *pools, const uint8_t *a, size_t asize,
			 const uint8_t *b, size_t bsize, uint8_t *out, size_t max, uint64_t seed)
{
	static struct program pa, pb;
	uint64_t s = seed;
	program_decode(a, asize, pools, &pa);
	program_decode(b, bsize, pools, &pb);
	unsigned cut_a = below(&s, pa.nsteps + 1), cut_b = below(&s, pb.nsteps + 1);
	unsigned n = cut_a;
	for (unsigned i = cut_b; i < pb.nsteps && n < PROGRAM_MAX_STEPS; i++) {
		pa.step[n] = pb.step[i];
		pa.step[n].cpu %= pa.ncpus;
		n++;
	}
	pa.nsteps = n;
	unsigned sa = below(&s, pa.nsched + 1), sb = below(&s, pb.nsched + 1), m = sa;
	for (unsigned i = sb; i < pb.nsched && m < PROGRAM_MAX_SCHEDULE; i++)
		pa.sched[m++] = pb.sched[i];
	pa.nsched = m;
	return encode_fitting(pools, &pa, out, max);
}
