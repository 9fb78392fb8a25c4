/* Reading programs from the replay input, writing records to the output,
 * both through the platform (PLAT_INPUT_*, PLAT_OUTPUT). */
#include "replay.h"

#include "host.h"

static uint64_t input_size, cursor;

/* The next n words of the input, three per platform call. */
static bool read_words(uint64_t *w, unsigned n)
{
	if (cursor > input_size || (input_size - cursor) / 8 < n)
		return false;
	for (unsigned i = 0; i < n; i += 3) {
		struct hvc_ret r = host_hvc(PLAT_INPUT_READ, cursor + 8ull * i, 0, 0);
		uint64_t got[3] = { r.x1, r.x2, r.x3 };

		if (r.x0 != 0)
			return false;
		for (unsigned j = 0; j < 3 && i + j < n; j++)
			w[i + j] = got[j];
	}
	cursor += 8ull * n;
	return true;
}

int64_t replay_input_begin(void)
{
	uint64_t head[2];
	struct hvc_ret r = host_hvc(PLAT_INPUT_SIZE, 0, 0, 0);

	if (r.x0 != 0)
		return -1;
	input_size = r.x1;
	cursor = 0;
	if (!read_words(head, 2) || head[0] != REPLAY_IN_MAGIC || head[1] > REPLAY_MAX_PROGRAMS)
		return -1;
	return (int64_t)head[1];
}

bool replay_input_next(struct replay_program *p)
{
	uint64_t head[2];

	if (!read_words(head, 2))
		return false;
	p->ncpus = (unsigned)(head[0] & 0xffff);
	p->nsteps = (unsigned)(head[0] >> 16) & 0xffff;
	p->number = (unsigned)(head[0] >> 32);
	for (unsigned i = 0; i < REPLAY_NCAPS; i++)
		*program_cap(&p->caps, i) = replay_caps_field(head[1], i);
	if (p->ncpus == 0 || p->ncpus > ARCH_MAX_CPUS || p->nsteps > PROGRAM_MAX_STEPS ||
	    head[1] >> (8 * REPLAY_NCAPS) || !kcore_caps_valid(&p->caps))
		return false;
	for (unsigned i = 0; i < p->nsteps; i++) {
		uint64_t w[REPLAY_STEP_WORDS];
		struct replay_step *s = &p->step[i];

		if (!read_words(w, REPLAY_STEP_WORDS))
			return false;
		s->kind = (unsigned)(w[0] & 0xff);
		s->cpu = (unsigned)(w[0] >> 8) & 0xff;
		s->index = (unsigned)(w[0] >> 16) & 0xffff;
		for (unsigned a = 0; a < PROGRAM_MAX_ARGS; a++)
			s->arg[a] = w[1 + a];
		if (s->kind >= STEP__COUNT || s->cpu >= p->ncpus || s->index >= PROGRAM_MAX_STEPS)
			return false;
	}
	return true;
}

void replay_output(uint64_t w0, uint64_t w1, uint64_t w2)
{
	if (host_hvc(PLAT_OUTPUT, w0, w1, w2).x0 != 0) {
		kprintf("isofuzz-host: the replay output cannot be written\n");
		host_exit(1);
	}
}
