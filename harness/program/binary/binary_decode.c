/* Bytes to program.  Every length and count read from the input is clamped
 * to what the input holds, and every selector is taken modulo the size of
 * what it selects from, so there is no input this can reject. */
#include "program/binary/binary.h"

struct literals {
	const uint8_t *at;
	unsigned n;
};

static uint64_t le_bytes(const uint8_t *b, unsigned width)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < width; i++)
		v |= (uint64_t)b[i] << (8 * i);
	return v;
}

static uint64_t literal(const struct literals *lits, unsigned idx)
{
	return le_bytes(lits->at + (size_t)(idx % lits->n) * BIN_LITERAL_SIZE, BIN_LITERAL_SIZE);
}

static uint64_t operand(enum arg_type t, uint8_t b, unsigned bank, const struct literals *lits,
			const struct program_pools *pools)
{
	const struct pool *pool = &pools->type[t];
	uint64_t max = program_arg_type_info(t)->max;
	uint64_t v;

	if (t == ARG_NONE)
		return 0;
	if (t == ARG_FLAG)
		return b & 1u;
	if (b >= BIN_OPERAND_LITERAL && lits->n > 0)
		v = literal(lits, bank * BIN_LITERAL_BANK + (b - BIN_OPERAND_LITERAL));
	else if (pool->n > 0)
		v = pool->v[b % pool->n];
	else
		v = 0;
	/* A literal may be any 64-bit value; bounded types wrap it into range
	 * so the step stays valid. */
	return max == UINT64_MAX ? v : v % (max + 1);
}

static void decode_step(const uint8_t *rec, unsigned ncpus, const struct literals *lits,
			const struct program_pools *pools, struct program_step *s)
{
	const struct step_info *info;
	unsigned bank = rec[1] >> 3;

	s->kind = (enum step_kind)(rec[0] % STEP__COUNT);
	s->cpu = (rec[1] & 7u) % ncpus;
	info = program_step_info(s->kind);
	for (unsigned i = 0; i < PROGRAM_MAX_ARGS; i++)
		s->arg[i] = operand(info->arg[i].type, rec[2 + i], bank, lits, pools);
}

/* A capacity byte: 0 is the maximum, b > 0 counts up from the minimum,
 * wrapping, so every byte is a capacity KCore accepts. */
static uint32_t cap_value(const struct program_cap_info *c, uint8_t b)
{
	return b == 0 ? 0 : c->min + (uint32_t)(b - 1u) % (c->max - c->min + 1);
}

static size_t min_size(size_t a, size_t b)
{
	return a < b ? a : b;
}

void program_decode(const uint8_t *bytes, size_t len, const struct program_pools *pools,
		    struct program *out)
{
	uint8_t hdr[BIN_HEADER_SIZE] = { 0 };
	size_t hlen = min_size(len, BIN_HEADER_SIZE);
	const uint8_t *body;
	size_t blen, nsched, nlit, nrec;
	struct literals lits;

	program_init(out);
	if (len == 0)
		return;
	/* A short input reads as if its header were padded with zeros. */
	for (size_t i = 0; i < hlen; i++)
		hdr[i] = bytes[i];
	body = bytes + hlen;
	blen = len - hlen;
	out->ncpus = 1 + (hdr[0] + 3u) % ARCH_MAX_CPUS;
	if (hdr[0] & BIN_CAPS_FLAG) {
		size_t n = min_size(blen, PROGRAM_NCAPS);

		for (size_t i = 0; i < n; i++)
			*program_cap(&out->caps, (unsigned)i) = cap_value(program_cap_info((unsigned)i), body[i]);
		body += n;
		blen -= n;
	}

	/* Trailing sections, taken from the end: the schedule, then the
	 * literals before it; records fill what is left after the header. */
	nsched = min_size(min_size(le_bytes(hdr + 3, 2), PROGRAM_MAX_SCHEDULE), blen);
	blen -= nsched;
	for (size_t i = 0; i < nsched; i++)
		out->sched[i] = body[blen + i];
	out->nsched = (unsigned)nsched;

	nlit = min_size(min_size(le_bytes(hdr + 1, 2), BIN_MAX_LITERALS), blen / BIN_LITERAL_SIZE);
	blen -= nlit * BIN_LITERAL_SIZE;
	lits.at = body + blen;
	lits.n = (unsigned)nlit;

	nrec = min_size(blen / BIN_RECORD_SIZE, PROGRAM_MAX_STEPS);
	for (size_t i = 0; i < nrec; i++)
		decode_step(body + i * BIN_RECORD_SIZE, out->ncpus, &lits, pools, &out->step[i]);
	out->nsteps = (unsigned)nrec;
}

size_t program_decode_records(const uint8_t *bytes, size_t len)
{
	/* the sizes program_decode gives the trailing sections */
	if (len <= BIN_HEADER_SIZE)
		return 0;
	size_t blen = len - BIN_HEADER_SIZE;
	blen -= min_size(min_size(le_bytes(bytes + 3, 2), PROGRAM_MAX_SCHEDULE), blen);
	blen -= min_size(min_size(le_bytes(bytes + 1, 2), BIN_MAX_LITERALS), blen / BIN_LITERAL_SIZE) *
		BIN_LITERAL_SIZE;
	return blen / BIN_RECORD_SIZE;
}
