/* Decoding is total: any byte string is a valid program, and decoding
 * reads only the bytes it is given.  Inputs are copied to heap blocks of
 * exactly their length so that the sanitizer build of this file catches
 * any read past the end. */
#include <stdlib.h>

#include "check.h"
#include "fixtures.h"

static uint8_t encoded[BIN_MAX_SIZE];

/* Decode bytes[0, len) from an exact-size copy; the result must be valid
 * and survive encode and decode unchanged. */
static void check_total(const uint8_t *bytes, size_t len)
{
	static struct program p, q;
	uint8_t *copy = malloc(len ? len : 1);
	long elen;

	CHECK(copy != NULL);
	for (size_t i = 0; i < len; i++)
		copy[i] = bytes[i];
	program_decode(copy, len, fx_pools(), &p);
	free(copy);
	CHECK(program_check(&p) == NULL);

	elen = program_encode(&p, fx_pools(), encoded, sizeof(encoded));
	CHECK(elen >= BIN_HEADER_SIZE);
	program_decode(encoded, (size_t)elen, fx_pools(), &q);
	CHECK(program_equal(&p, &q));
}

TEST(empty_input)
{
	static struct program p;
	const uint8_t one = 0x55;

	program_decode(NULL, 0, fx_pools(), &p);
	CHECK(program_check(&p) == NULL);
	CHECK_EQ(p.ncpus, PROGRAM_DEFAULT_CPUS);
	CHECK_EQ(p.nsteps, 0);
	CHECK_EQ(p.nsched, 0);
	program_decode(&one, 0, fx_pools(), &p);
	CHECK_EQ(p.ncpus, PROGRAM_DEFAULT_CPUS);
	check_total(&one, 0);
}

TEST(one_byte_inputs)
{
	static struct program p;

	for (unsigned b = 0; b < 256; b++) {
		uint8_t in = (uint8_t)b;
		program_decode(&in, 1, fx_pools(), &p);
		CHECK(program_check(&p) == NULL);
		CHECK_EQ(p.ncpus, 1 + (b + 3) % ARCH_MAX_CPUS);
		CHECK_EQ(p.nsteps, 0);
		CHECK_EQ(p.nsched, 0);
		check_total(&in, 1);
	}
	/* A zero byte, like the empty input, means the default CPU count. */
	program_decode((const uint8_t[]){ 0 }, 1, fx_pools(), &p);
	CHECK_EQ(p.ncpus, PROGRAM_DEFAULT_CPUS);
}

TEST(every_truncation)
{
	static struct program p;
	static uint8_t in[BIN_MAX_SIZE];
	struct fx_rng r;
	long len;

	fx_every_kind(&p);
	len = program_encode(&p, fx_pools(), in, sizeof(in));
	CHECK(len > 0);
	for (size_t n = 0; n <= (size_t)len; n++)
		check_total(in, n);

	fx_rng_seed(&r, 0x7472756e63);
	fx_rng_bytes(&r, in, 1500);
	in[1] = 9; /* literals and a schedule, so every section gets cut */
	in[2] = 0;
	in[3] = 100;
	in[4] = 0;
	for (size_t n = 0; n <= 1500; n++)
		check_total(in, n);
}

TEST(random_inputs)
{
	static uint8_t in[4096];
	struct fx_rng r;

	fx_rng_seed(&r, 0x72616e646f6d);
	for (unsigned n = 0; n < 10000; n++) {
		size_t len = fx_rng_below(&r, n % 10 == 0 ? sizeof(in) : 300);
		fx_rng_bytes(&r, in, len);
		/* Most random headers ask for more literals and schedule than
		 * the input holds; keep some counts small to decode records
		 * that reference literals too. */
		if (len > 4 && n % 2) {
			in[2] = 0;
			in[4] = 0;
			in[1] %= 16;
			in[3] %= 64;
		}
		check_total(in, len);
	}
}

/* Longer than any program: counts are clamped, the excess is ignored. */
TEST(oversized_input)
{
	static struct program p;
	size_t len = 2 * BIN_MAX_SIZE;
	uint8_t *in = malloc(len);
	struct fx_rng r;

	CHECK(in != NULL);
	fx_rng_seed(&r, 3);
	fx_rng_bytes(&r, in, len);
	in[1] = in[2] = in[3] = in[4] = 0xff;
	program_decode(in, len, fx_pools(), &p);
	CHECK(program_check(&p) == NULL);
	CHECK_EQ(p.nsteps, PROGRAM_MAX_STEPS);
	CHECK_EQ(p.nsched, PROGRAM_MAX_SCHEDULE);
	check_total(in, len);
	free(in);
}

static const struct test_case cases[] = {
	CASE(empty_input),
	CASE(one_byte_inputs),
	CASE(every_truncation),
	CASE(random_inputs),
	CASE(oversized_input),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
