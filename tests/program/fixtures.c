#include "fixtures.h"

#include <stdio.h>
#include <stdlib.h>

void fx_boot(struct kcore_boot *boot)
{
	boot->ram_base_pfn = 0x40000;
	boot->ram_pages = 0x4000;
	boot->kcore_base_pfn = 0x40000;
	boot->kcore_pages = 0x401;
	boot->mmio_base_pfn = 0x9000;
	boot->mmio_pages = 0x1000;
	boot->ncpus = 4;
	boot->caps = (struct kcore_caps){ 0 };
}

const struct program_pools *fx_pools(void)
{
	static struct program_pools pools;
	static int ready;
	struct kcore_boot boot;

	if (!ready) {
		fx_boot(&boot);
		program_pools_init(&pools, &boot);
		ready = 1;
	}
	return &pools;
}

static const char *image_name(unsigned img)
{
	static const char *const names[] = { "tiny", "small", "boot4", "full" };
	return img < 4 ? names[img] : "";
}

const struct program_images fx_images = { 4, image_name };

void fx_rng_seed(struct fx_rng *r, uint64_t seed)
{
	r->s = seed;
}

uint64_t fx_rng_next(struct fx_rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

uint64_t fx_rng_below(struct fx_rng *r, uint64_t n)
{
	return n ? fx_rng_next(r) % n : 0;
}

void fx_rng_bytes(struct fx_rng *r, uint8_t *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)fx_rng_next(r);
}

/* An operand of type t: the pool's i-th value, or a value outside the pool
 * derived from salt. */
static uint64_t fx_operand(enum arg_type t, unsigned i, bool literal, uint64_t salt)
{
	const struct pool *pool = &fx_pools()->type[t];
	uint64_t max = program_arg_type_info(t)->max;
	uint64_t v;

	if (t == ARG_FLAG)
		return i & 1u;
	if (!literal)
		return pool->v[i % pool->n];
	v = 0x5a5a000000000000ull ^ (salt * 0x10001ull);
	while (pool_find(fx_pools(), t, max == UINT64_MAX ? v : v % (max + 1)) >= 0)
		v += 0x1234;
	return max == UINT64_MAX ? v : v % (max + 1);
}

void fx_every_kind(struct program *p)
{
	program_init(p);
	p->ncpus = 3;
	for (unsigned pass = 0; pass < 2; pass++) {
		for (unsigned k = 0; k < STEP__COUNT; k++) {
			const struct step_info *info = program_step_info(k);
			struct program_step s = { .kind = (enum step_kind)k, .cpu = (k + pass) % p->ncpus };

			for (unsigned i = 0; i < PROGRAM_MAX_ARGS; i++)
				if (info->arg[i].type != ARG_NONE)
					s.arg[i] = fx_operand(info->arg[i].type, k + i + pass, pass == 1,
							      k * 8 + i);
			p->step[p->nsteps++] = s;
		}
	}
	for (unsigned i = 0; i < 40; i++)
		p->sched[p->nsched++] = (uint8_t)(i * 37);
}

void fx_random_program(struct fx_rng *r, struct program *p, unsigned nsteps)
{
	program_init(p);
	p->ncpus = 1 + (unsigned)fx_rng_below(r, ARCH_MAX_CPUS);
	for (unsigned n = 0; n < nsteps && n < PROGRAM_MAX_STEPS; n++) {
		struct program_step s = { .kind = (enum step_kind)fx_rng_below(r, STEP__COUNT) };
		const struct step_info *info = program_step_info(s.kind);

		s.cpu = (unsigned)fx_rng_below(r, p->ncpus);
		for (unsigned i = 0; i < PROGRAM_MAX_ARGS; i++) {
			enum arg_type t = info->arg[i].type;
			uint64_t max = program_arg_type_info(t)->max;
			if (t == ARG_NONE)
				continue;
			if (t != ARG_FLAG && fx_rng_below(r, 2) == 0)
				s.arg[i] = fx_pools()->type[t].v[fx_rng_below(r, fx_pools()->type[t].n)];
			else
				s.arg[i] = max == UINT64_MAX ? fx_rng_next(r) : fx_rng_below(r, max + 1);
		}
		p->step[p->nsteps++] = s;
	}
	p->nsched = (unsigned)fx_rng_below(r, 300);
	fx_rng_bytes(r, p->sched, p->nsched);
}

char *fx_print(const struct program *p, const struct program_images *images)
{
	FILE *f = tmpfile();
	char *buf = NULL;
	long len;

	if (!f)
		return NULL;
	if (program_print(f, p, images) == 0 && (len = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)len + 1);
		if (buf && fread(buf, 1, (size_t)len, f) == (size_t)len) {
			buf[len] = '\0';
		} else {
			free(buf);
			buf = NULL;
		}
	}
	fclose(f);
	return buf;
}
