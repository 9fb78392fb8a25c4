/* The binary form: round trips, the documented layout, locality. */
#include <stdlib.h>

#include "check.h"
#include "fixtures.h"

static uint8_t buf[BIN_MAX_SIZE];

static void check_roundtrip(const struct program *p)
{
	static struct program q;
	long len = program_encode(p, fx_pools(), buf, sizeof(buf));

	CHECK(len >= BIN_HEADER_SIZE);
	program_decode(buf, (size_t)len, fx_pools(), &q);
	CHECK(program_equal(p, &q));
}

TEST(every_kind_roundtrip)
{
	static struct program p;

	fx_every_kind(&p);
	CHECK(program_check(&p) == NULL);
	for (unsigned k = 0; k < STEP__COUNT; k++) {
		unsigned seen = 0;
		for (unsigned i = 0; i < p.nsteps; i++)
			seen += p.step[i].kind == k;
		CHECK_EQ(seen, 2);
	}
	check_roundtrip(&p);
}

/* Each kind alone, once from pools and once from literals. */
TEST(each_kind_alone_roundtrip)
{
	static struct program all, one;

	fx_every_kind(&all);
	for (unsigned i = 0; i < all.nsteps; i++) {
		program_init(&one);
		one.ncpus = all.ncpus;
		CHECK_EQ(program_append(&one, &all.step[i]), 0);
		check_roundtrip(&one);
	}
}

TEST(random_programs_roundtrip)
{
	static struct program p;
	struct fx_rng r;

	fx_rng_seed(&r, 0x70726f6731);
	for (unsigned n = 0; n < 500; n++) {
		fx_random_program(&r, &p, (unsigned)fx_rng_below(&r, 64));
		CHECK(program_check(&p) == NULL);
		check_roundtrip(&p);
	}
}

/* Full programs whose every operand is a distinct literal need every bank
 * of the literal table. */
TEST(largest_programs_roundtrip)
{
	static struct program p;
	struct fx_rng r;

	fx_rng_seed(&r, 42);
	program_init(&p);
	p.ncpus = ARCH_MAX_CPUS;
	for (unsigned i = 0; i < PROGRAM_MAX_STEPS; i++) {
		struct program_step s = { .kind = STEP_GUEST_WRITE, .cpu = i % ARCH_MAX_CPUS };
		s.arg[0] = fx_rng_next(&r) | 1ull << 63;
		s.arg[1] = 0x100 + i % 0xe00;
		s.arg[2] = fx_rng_next(&r) | 1ull << 63;
		s.arg[3] = i & 1;
		CHECK_EQ(program_append(&p, &s), 0);
	}
	p.nsched = PROGRAM_MAX_SCHEDULE;
	fx_rng_bytes(&r, p.sched, p.nsched);
	check_roundtrip(&p);

	fx_random_program(&r, &p, PROGRAM_MAX_STEPS);
	p.nsched = PROGRAM_MAX_SCHEDULE;
	check_roundtrip(&p);
}

TEST(encode_rejects_invalid)
{
	static struct program p;
	struct program_step s = { .kind = STEP_GUEST_READ, .cpu = 0, .arg = { 0x80000, 0x10, 0, 0 } };
	long len;

	program_init(&p);
	p.step[p.nsteps++] = s;
	len = program_encode(&p, fx_pools(), buf, sizeof(buf));
	CHECK_EQ(len, BIN_HEADER_SIZE + BIN_RECORD_SIZE);
	CHECK_EQ(program_encode(&p, fx_pools(), buf, (size_t)len - 1), (uint64_t)-1);

	p.step[0].cpu = 4; /* beyond the default 4 CPUs */
	CHECK_EQ(program_encode(&p, fx_pools(), buf, sizeof(buf)), (uint64_t)-1);
	p.step[0].cpu = 0;
	p.step[0].arg[1] = PAGE_SIZE; /* offset past the page */
	CHECK_EQ(program_encode(&p, fx_pools(), buf, sizeof(buf)), (uint64_t)-1);
	p.step[0].arg[1] = 0;
	p.step[0].arg[3] = 1; /* guest_read has no fourth operand */
	CHECK_EQ(program_encode(&p, fx_pools(), buf, sizeof(buf)), (uint64_t)-1);
	p.step[0].arg[3] = 0;
	p.step[0].arg[2] = 2; /* nc is a flag */
	CHECK_EQ(program_encode(&p, fx_pools(), buf, sizeof(buf)), (uint64_t)-1);
	p.step[0].arg[2] = 0;
	p.ncpus = 0;
	CHECK_EQ(program_encode(&p, fx_pools(), buf, sizeof(buf)), (uint64_t)-1);
	p.ncpus = ARCH_MAX_CPUS + 1;
	CHECK_EQ(program_encode(&p, fx_pools(), buf, sizeof(buf)), (uint64_t)-1);
	p.ncpus = 1;
	p.step[0].kind = STEP__COUNT;
	CHECK_EQ(program_encode(&p, fx_pools(), buf, sizeof(buf)), (uint64_t)-1);
}

/* The layout PROGRAM.md documents, byte by byte. */
TEST(documented_layout)
{
	static struct program p;
	const struct program_pools *pools = fx_pools();
	const uint8_t in[] = {
		0x06,             /* 1 + (6 + 3) % 8 = 2 CPUs */
		0x02, 0x00,       /* two literals */
		0x03, 0x00,       /* three schedule choices */
		/* kind 6 = map_vm_page on cpu 3 % 2 = 1: vm pool[1], gfn literal 1, pfn pool[10 % n] */
		STEP_MAP_VM_PAGE, 0x03, 0x01, 0xc1, 0x0a, 0xff,
		/* kind 20 + 28 wraps to kserv_read, bank 1 (wraps to 0 and 1 % 2): pa literal 65 % 2 = 1, nc from bit 0 */
		STEP_KSERV_READ + STEP__COUNT, 0x08, 0xc1, 0x03, 0x00, 0x00,
		0x11, 0x22,       /* a partial record: ignored */
		0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, /* literal 0 */
		0x00, 0x10, 0x40, 0x40, 0x00, 0x00, 0x00, 0x00, /* literal 1 */
		9, 8, 7,          /* schedule */
	};

	program_decode(in, sizeof(in), pools, &p);
	CHECK(program_check(&p) == NULL);
	CHECK_EQ(p.ncpus, 2);
	CHECK_EQ(p.nsteps, 2);
	CHECK_EQ(p.step[0].kind, STEP_MAP_VM_PAGE);
	CHECK_EQ(p.step[0].cpu, 1);
	CHECK_EQ(p.step[0].arg[0], 1);
	CHECK_EQ(p.step[0].arg[1], 0x40401000);
	CHECK_EQ(p.step[0].arg[2], pools->type[ARG_PFN].v[10 % pools->type[ARG_PFN].n]);
	CHECK_EQ(p.step[0].arg[3], 0);
	CHECK_EQ(p.step[1].kind, STEP_KSERV_READ);
	CHECK_EQ(p.step[1].cpu, 0);
	CHECK_EQ(p.step[1].arg[0], 0x40401000);
	CHECK_EQ(p.step[1].arg[1], 1);
	CHECK_EQ(p.nsched, 3);
	CHECK_EQ(p.sched[0], 9);
	CHECK_EQ(p.sched[2], 7);
}

TEST(operand_bytes_select_pool_or_literal)
{
	static struct program p;
	const struct pool *vm = &fx_pools()->type[ARG_VM];
	const struct pool *vcpu = &fx_pools()->type[ARG_VCPU];
	uint8_t in[BIN_HEADER_SIZE + BIN_RECORD_SIZE + BIN_LITERAL_SIZE] = { 0 };

	/* No literals: every byte, 0xc0 and up included, picks from the pool. */
	for (unsigned b = 0; b < 256; b++) {
		const uint8_t rec[] = { 0, 0, 0, 0, 0, STEP_REGISTER_VCPU, 0, 3, (uint8_t)b, 0, 0 };
		program_decode(rec, sizeof(rec), fx_pools(), &p);
		CHECK_EQ(p.nsteps, 1);
		CHECK_EQ(p.step[0].arg[0], vm->v[3]);
		CHECK_EQ(p.step[0].arg[1], vcpu->v[b % vcpu->n]);
	}
	/* A literal is wrapped into the range of a bounded type; a flag is
	 * bit 0 of its byte. */
	in[1] = 1;
	in[BIN_HEADER_SIZE] = STEP_GUEST_READ;
	in[BIN_HEADER_SIZE + 2] = 0xc0;
	in[BIN_HEADER_SIZE + 3] = 0xc0;
	in[BIN_HEADER_SIZE + 4] = 0xc3;
	for (unsigned i = 0; i < BIN_LITERAL_SIZE; i++)
		in[BIN_HEADER_SIZE + BIN_RECORD_SIZE + i] = (uint8_t)(0x21 * (i + 1));
	program_decode(in, sizeof(in), fx_pools(), &p);
	CHECK_EQ(p.step[0].arg[0], 0x0807060504030201ull * 0x21);
	CHECK_EQ(p.step[0].arg[1], (0x0807060504030201ull * 0x21) & 0xfff);
	CHECK_EQ(p.step[0].arg[2], 1);
}

/* A single changed byte inside a step record changes that step only. */
static void check_locality(const uint8_t *in, size_t len, size_t rec_off)
{
	static struct program before, after;
	static uint8_t mut[BIN_MAX_SIZE];
	size_t rec0 = BIN_HEADER_SIZE + ((in[0] & BIN_CAPS_FLAG) ? PROGRAM_NCAPS : 0);
	unsigned step = (unsigned)((rec_off - rec0) / BIN_RECORD_SIZE);

	program_decode(in, len, fx_pools(), &before);
	for (size_t i = 0; i < len; i++)
		mut[i] = in[i];
	for (unsigned delta = 1; delta < 256; delta += 17) {
		mut[rec_off] = (uint8_t)(in[rec_off] ^ delta);
		program_decode(mut, len, fx_pools(), &after);
		CHECK(program_check(&after) == NULL);
		CHECK_EQ(after.ncpus, before.ncpus);
		CHECK_EQ(after.nsteps, before.nsteps);
		CHECK_EQ(after.nsched, before.nsched);
		for (unsigned i = 0; i < before.nsteps; i++)
			if (i != step)
				CHECK(program_step_equal(&before.step[i], &after.step[i]));
		for (unsigned i = 0; i < before.nsched; i++)
			CHECK_EQ(after.sched[i], before.sched[i]);
	}
}

TEST(one_byte_changes_one_step)
{
	static struct program p, q;
	struct fx_rng r;
	long len;

	fx_every_kind(&p);
	len = program_encode(&p, fx_pools(), buf, sizeof(buf));
	CHECK(len > 0);
	for (size_t off = BIN_HEADER_SIZE; off < BIN_HEADER_SIZE + p.nsteps * BIN_RECORD_SIZE; off++)
		check_locality(buf, (size_t)len, off);

	fx_rng_seed(&r, 7);
	for (unsigned n = 0; n < 50; n++) {
		size_t rlen = 64 + fx_rng_below(&r, 512);
		fx_rng_bytes(&r, buf, rlen);
		buf[1] = (uint8_t)fx_rng_below(&r, 6); /* a few literals */
		buf[2] = 0;
		buf[4] = 0;
		program_decode(buf, rlen, fx_pools(), &q);
		for (unsigned s = 0; s < q.nsteps; s++)
			check_locality(buf, rlen, BIN_HEADER_SIZE + ((buf[0] & BIN_CAPS_FLAG) ? PROGRAM_NCAPS : 0) +
							 s * BIN_RECORD_SIZE + fx_rng_below(&r, BIN_RECORD_SIZE));
	}
}

/* Every capacity byte decodes to a capacity KCore accepts (0 is the
 * maximum); programs with capacities round-trip, and those without keep
 * the five-byte header. */
TEST(caps_every_byte_valid_and_roundtrip)
{
	static struct program p, q;
	uint8_t in[BIN_HEADER_SIZE + PROGRAM_NCAPS + BIN_RECORD_SIZE] = { BIN_CAPS_FLAG };

	for (unsigned i = 0; i < PROGRAM_NCAPS; i++)
		for (unsigned b = 0; b < 256; b++) {
			const struct program_cap_info *c = program_cap_info(i);
			uint32_t v;
			memset(in + BIN_HEADER_SIZE, 0, PROGRAM_NCAPS);
			in[BIN_HEADER_SIZE + i] = (uint8_t)b;
			program_decode(in, sizeof(in), fx_pools(), &p);
			CHECK(program_check(&p) == NULL);
			CHECK_EQ(p.nsteps, 1u);
			v = program_cap_get(&p.caps, i);
			CHECK(b == 0 ? v == 0 : v >= c->min && v <= c->max);
			CHECK(b == 0 || b > c->max - c->min + 1 || v == c->min + b - 1);
			long len = program_encode(&p, fx_pools(), buf, sizeof(buf));
			CHECK(len > 0);
			program_decode(buf, (size_t)len, fx_pools(), &q);
			CHECK(program_equal(&p, &q));
		}
	/* A header cut short of its capacity bytes reads the missing ones
	 * as 0. */
	program_decode(in, BIN_HEADER_SIZE + 2, fx_pools(), &p);
	CHECK(program_check(&p) == NULL);
	CHECK_EQ(p.nsteps, 0u);
	program_init(&p);
	CHECK_EQ(program_encode(&p, fx_pools(), buf, sizeof(buf)), BIN_HEADER_SIZE);
	p.caps.vmids = KCORE_MIN_VMIDS - 1;
	CHECK(program_check(&p) != NULL);
	CHECK_EQ(program_encode(&p, fx_pools(), buf, sizeof(buf)), -1);
}

TEST(sched_pick)
{
	CHECK_EQ(program_sched_pick(0, 0x1), 0);
	CHECK_EQ(program_sched_pick(255, 0x1), 0);
	CHECK_EQ(program_sched_pick(0, 0xa), 1);
	CHECK_EQ(program_sched_pick(1, 0xa), 3);
	CHECK_EQ(program_sched_pick(2, 0xa), 1);
	CHECK_EQ(program_sched_pick(5, 0x8e), 2); /* runnable 1, 2, 3, 7: 5 % 4 = 1 */
	CHECK_EQ(program_sched_pick(7, 0x8e), 7);
}

static const struct test_case cases[] = {
	CASE(every_kind_roundtrip),
	CASE(each_kind_alone_roundtrip),
	CASE(random_programs_roundtrip),
	CASE(caps_every_byte_valid_and_roundtrip),
	CASE(largest_programs_roundtrip),
	CASE(encode_rejects_invalid),
	CASE(documented_layout),
	CASE(operand_bytes_select_pool_or_literal),
	CASE(one_byte_changes_one_step),
	CASE(sched_pick),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
