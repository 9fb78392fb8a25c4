/* Program to bytes: the inverse of binary_decode.c.  Operands found in
 * their pool are written as pool indexes; the others go to the literal
 * table, in the bank the step's cpu byte names. */
#include "program/binary/binary.h"

struct lit_table {
	unsigned n;
	uint64_t v[BIN_MAX_LITERALS];
};

/* Slot of v within bank, or -1. */
static int bank_find(const struct lit_table *t, unsigned bank, uint64_t v)
{
	unsigned lo = bank * BIN_LITERAL_BANK;

	for (unsigned i = lo; i < t->n && i < lo + BIN_LITERAL_BANK; i++)
		if (t->v[i] == v)
			return (int)(i - lo);
	return -1;
}

static bool needs_literal(enum arg_type t, uint64_t v, const struct program_pools *pools)
{
	return t != ARG_NONE && t != ARG_FLAG && pool_find(pools, t, v) < 0;
}

static bool bank_holds_all(const struct lit_table *t, unsigned bank, const struct program_step *s,
			   const struct program_pools *pools)
{
	const struct step_info *info = program_step_info(s->kind);

	for (unsigned i = 0; i < PROGRAM_MAX_ARGS; i++)
		if (needs_literal(info->arg[i].type, s->arg[i], pools) && bank_find(t, bank, s->arg[i]) < 0)
			return false;
	return true;
}

/* Literals one step needs that its bank does not hold yet. */
static unsigned missing(const struct lit_table *t, unsigned bank, const struct program_step *s,
			const struct program_pools *pools)
{
	const struct step_info *info = program_step_info(s->kind);
	unsigned n = 0;

	for (unsigned i = 0; i < PROGRAM_MAX_ARGS; i++) {
		bool dup = false;
		if (!needs_literal(info->arg[i].type, s->arg[i], pools) || bank_find(t, bank, s->arg[i]) >= 0)
			continue;
		for (unsigned j = 0; j < i; j++)
			dup |= needs_literal(info->arg[j].type, s->arg[j], pools) && s->arg[j] == s->arg[i];
		n += !dup;
	}
	return n;
}

/* The bank holding every literal of s: an existing one if possible, else
 * the last bank, else a fresh bank after padding the last one out.
 * Returns -1 when the table is full. */
static int place_literals(struct lit_table *t, const struct program_step *s,
			  const struct program_pools *pools)
{
	const struct step_info *info = program_step_info(s->kind);
	unsigned nbanks = (t->n + BIN_LITERAL_BANK - 1) / BIN_LITERAL_BANK;
	unsigned bank;

	for (bank = 0; bank < nbanks; bank++)
		if (bank_holds_all(t, bank, s, pools))
			return (int)bank;
	bank = t->n / BIN_LITERAL_BANK;
	if (t->n % BIN_LITERAL_BANK + missing(t, bank, s, pools) > BIN_LITERAL_BANK) {
		while (t->n % BIN_LITERAL_BANK)
			t->v[t->n++] = 0;
		bank++;
	}
	if (bank >= BIN_LITERAL_BANKS)
		return -1;
	for (unsigned i = 0; i < PROGRAM_MAX_ARGS; i++)
		if (needs_literal(info->arg[i].type, s->arg[i], pools) && bank_find(t, bank, s->arg[i]) < 0)
			t->v[t->n++] = s->arg[i];
	return (int)bank;
}

static uint8_t operand_byte(enum arg_type type, uint64_t v, unsigned bank, const struct lit_table *t,
			    const struct program_pools *pools)
{
	int idx;

	if (type == ARG_NONE)
		return 0;
	if (type == ARG_FLAG)
		return (uint8_t)v;
	idx = pool_find(pools, type, v);
	if (idx >= 0)
		return (uint8_t)idx;
	return (uint8_t)(BIN_OPERAND_LITERAL + (unsigned)bank_find(t, bank, v));
}

static int encode_step(const struct program_step *s, struct lit_table *t,
		       const struct program_pools *pools, uint8_t rec[BIN_RECORD_SIZE])
{
	const struct step_info *info = program_step_info(s->kind);
	int bank = place_literals(t, s, pools);

	if (bank < 0)
		return -1;
	rec[0] = (uint8_t)s->kind;
	rec[1] = (uint8_t)(s->cpu | (unsigned)bank << 3);
	for (unsigned i = 0; i < PROGRAM_MAX_ARGS; i++)
		rec[2 + i] = operand_byte(info->arg[i].type, s->arg[i], (unsigned)bank, t, pools);
	return 0;
}

static void put_le(uint8_t *b, uint64_t v, unsigned width)
{
	for (unsigned i = 0; i < width; i++)
		b[i] = (uint8_t)(v >> (8 * i));
}

/* Programs at every maximum keep the five-byte header of old. */
static bool has_caps(const struct program *p)
{
	for (unsigned i = 0; i < PROGRAM_NCAPS; i++)
		if (program_cap_get(&p->caps, i))
			return true;
	return false;
}

long program_encode(const struct program *p, const struct program_pools *pools, uint8_t *buf,
		    size_t cap)
{
	struct lit_table lits;
	size_t ncaps = has_caps(p) ? PROGRAM_NCAPS : 0;
	uint8_t *rec = buf + BIN_HEADER_SIZE + ncaps;
	size_t len;

	if (program_check(p) || cap < BIN_HEADER_SIZE + ncaps + (size_t)p->nsteps * BIN_RECORD_SIZE)
		return -1;
	lits.n = 0;
	for (unsigned i = 0; i < p->nsteps; i++)
		if (encode_step(&p->step[i], &lits, pools, rec + (size_t)i * BIN_RECORD_SIZE) < 0)
			return -1;
	len = BIN_HEADER_SIZE + ncaps + (size_t)p->nsteps * BIN_RECORD_SIZE +
	      (size_t)lits.n * BIN_LITERAL_SIZE + p->nsched;
	if (len > cap)
		return -1;

	buf[0] = (uint8_t)((p->ncpus + 4) % ARCH_MAX_CPUS); /* decodes as 1 + (b + 3) % 8 */
	if (ncaps) {
		buf[0] |= BIN_CAPS_FLAG;
		for (unsigned i = 0; i < PROGRAM_NCAPS; i++) {
			uint32_t v = program_cap_get(&p->caps, i);
			buf[BIN_HEADER_SIZE + i] = (uint8_t)(v ? v - program_cap_info(i)->min + 1 : 0);
		}
	}
	put_le(buf + 1, lits.n, 2);
	put_le(buf + 3, p->nsched, 2);
	for (unsigned i = 0; i < lits.n; i++)
		put_le(rec + (size_t)p->nsteps * BIN_RECORD_SIZE + (size_t)i * BIN_LITERAL_SIZE, lits.v[i],
		       BIN_LITERAL_SIZE);
	for (unsigned i = 0; i < p->nsched; i++)
		buf[len - p->nsched + i] = p->sched[i];
	return (long)len;
}
