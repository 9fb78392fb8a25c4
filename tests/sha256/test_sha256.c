/* SHA-256 against known answers.
 *
 * Where the expected digests come from:
 *  - "abc", the 448-bit two-block message, the empty string and one
 *    million 'a': the example vectors NIST publishes for FIPS 180-4
 *    (SHA256.pdf, SHA2_Additional.pdf).
 *  - the "ramp" messages (byte i is i mod 256) of 55, 56, 63, 64, 119, 120
 *    and 1000 bytes: GNU coreutils sha256sum, run when this test was written
 *    on the output of
 *      python3 -c "import sys; sys.stdout.buffer.write(bytes(i & 0xff for i in range(N)))"
 */
#include "boot/sha256.h"
#include "check.h"

/* Parse 64 hex digits so expected values read like sha256sum output. */
static void from_hex(const char *hex, uint8_t out[SHA256_DIGEST_SIZE])
{
	CHECK_EQ(strlen(hex), 2 * SHA256_DIGEST_SIZE);
	for (unsigned i = 0; i < SHA256_DIGEST_SIZE; i++) {
		unsigned v;
		CHECK(sscanf(hex + 2 * i, "%2x", &v) == 1);
		out[i] = (uint8_t)v;
	}
}

static void check_digest(const uint8_t got[SHA256_DIGEST_SIZE], const char *want_hex)
{
	uint8_t want[SHA256_DIGEST_SIZE];
	char got_hex[2 * SHA256_DIGEST_SIZE + 1];

	from_hex(want_hex, want);
	for (unsigned i = 0; i < SHA256_DIGEST_SIZE; i++)
		snprintf(got_hex + 2 * i, 3, "%02x", got[i]);
	CHECK_STR_EQ(got_hex, want_hex);
	CHECK(memcmp(got, want, SHA256_DIGEST_SIZE) == 0);
}

static void hash_once(const void *data, size_t len, uint8_t out[SHA256_DIGEST_SIZE])
{
	struct sha256_ctx ctx;

	sha256_init(&ctx);
	sha256_update(&ctx, data, len);
	sha256_final(&ctx, out);
}

static void check_string(const char *msg, const char *want_hex)
{
	uint8_t d[SHA256_DIGEST_SIZE];

	hash_once(msg, strlen(msg), d);
	check_digest(d, want_hex);
}

#define RAMP_MAX 1000

static const uint8_t *ramp(void)
{
	static uint8_t buf[RAMP_MAX];

	for (unsigned i = 0; i < RAMP_MAX; i++)
		buf[i] = (uint8_t)i;
	return buf;
}

static void check_ramp(size_t len, const char *want_hex)
{
	uint8_t d[SHA256_DIGEST_SIZE];

	hash_once(ramp(), len, d);
	check_digest(d, want_hex);
}

static const char ramp1000_hex[] =
	"a8af099bf2e878609558dbf69d8f88f4a31040a8cf84b549a0cfa912f12ffc3f";

TEST(abc)
{
	check_string("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(two_block_448_bits)
{
	check_string("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	             "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(empty)
{
	uint8_t d[SHA256_DIGEST_SIZE];

	hash_once(NULL, 0, d);
	check_digest(d, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(million_a)
{
	static uint8_t a[1000];
	struct sha256_ctx ctx;
	uint8_t d[SHA256_DIGEST_SIZE];

	memset(a, 'a', sizeof(a));
	sha256_init(&ctx);
	for (unsigned i = 0; i < 1000; i++)
		sha256_update(&ctx, a, sizeof(a));
	sha256_final(&ctx, d);
	check_digest(d, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* Lengths where padding changes shape: 55 bytes is the longest message
 * whose padding fits one block, 56 the shortest that needs a second, 64 a
 * full block of data plus a block of padding; 119/120 the same edge one
 * block later. */
TEST(len_55)
{
	check_ramp(55, "463eb28e72f82e0a96c0a4cc53690c571281131f672aa229e0d45ae59b598b59");
}

TEST(len_56)
{
	check_ramp(56, "da2ae4d6b36748f2a318f23e7ab1dfdf45acdc9d049bd80e59de82a60895f562");
}

TEST(len_63)
{
	check_ramp(63, "29af2686fd53374a36b0846694cc342177e428d1647515f078784d69cdb9e488");
}

TEST(len_64)
{
	check_ramp(64, "fdeab9acf3710362bd2658cdc9a29e8f9c757fcf9811603a8c447cd1d9151108");
}

TEST(len_119_120)
{
	check_ramp(119, "da18797ed7c3a777f0847f429724a2d8cd5138e6ed2895c3fa1a6d39d18f7ec6");
	check_ramp(120, "f52b23db1fbb6ded89ef42a23ce0c8922c45f25c50b568a93bf1c075420bbb7c");
}

TEST(len_1000)
{
	check_ramp(1000, ramp1000_hex);
}

/* Every cut of the message into two update() calls, with an empty update
 * on each side of the cut, gives the one-shot digest. */
TEST(stream_every_two_way_split)
{
	const uint8_t *m = ramp();

	for (size_t cut = 0; cut <= RAMP_MAX; cut++) {
		struct sha256_ctx ctx;
		uint8_t d[SHA256_DIGEST_SIZE];

		sha256_init(&ctx);
		sha256_update(&ctx, m, cut);
		sha256_update(&ctx, m + cut, 0);
		sha256_update(&ctx, m + cut, RAMP_MAX - cut);
		sha256_final(&ctx, d);
		check_digest(d, ramp1000_hex);
	}
}

/* Fixed-size chunks of every size from 1 to past two blocks: partial
 * blocks are topped up, whole blocks pass straight through, in every
 * alignment. */
TEST(stream_fixed_chunks)
{
	const uint8_t *m = ramp();

	for (size_t chunk = 1; chunk <= 130; chunk++) {
		struct sha256_ctx ctx;
		uint8_t d[SHA256_DIGEST_SIZE];

		sha256_init(&ctx);
		for (size_t off = 0; off < RAMP_MAX; off += chunk) {
			size_t n = RAMP_MAX - off < chunk ? RAMP_MAX - off : chunk;
			sha256_update(&ctx, m + off, n);
		}
		sha256_final(&ctx, d);
		check_digest(d, ramp1000_hex);
	}
}

/* Three-way cuts around the block edges (odd, then growing chunks). */
TEST(stream_three_way_splits)
{
	const uint8_t *m = ramp();
	static const size_t cuts[] = { 0, 1, 55, 56, 63, 64, 65, 127, 128, 129, 500, 999, 1000 };
	const size_t n = sizeof(cuts) / sizeof(cuts[0]);

	for (size_t i = 0; i < n; i++) {
		for (size_t j = i; j < n; j++) {
			struct sha256_ctx ctx;
			uint8_t d[SHA256_DIGEST_SIZE];

			sha256_init(&ctx);
			sha256_update(&ctx, m, cuts[i]);
			sha256_update(&ctx, m + cuts[i], cuts[j] - cuts[i]);
			sha256_update(&ctx, m + cuts[j], RAMP_MAX - cuts[j]);
			sha256_final(&ctx, d);
			check_digest(d, ramp1000_hex);
		}
	}
}

/* final() leaves a fresh context behind: hashing again without init gives
 * the digest of the new message alone. */
TEST(context_fresh_after_final)
{
	struct sha256_ctx ctx;
	uint8_t d[SHA256_DIGEST_SIZE];

	sha256_init(&ctx);
	sha256_update(&ctx, "some earlier message", 20);
	sha256_final(&ctx, d);
	sha256_update(&ctx, "abc", 3);
	sha256_final(&ctx, d);
	check_digest(d, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	for (unsigned i = 0; i < sizeof(ctx.block); i++)
		CHECK_EQ(ctx.block[i], 0);
}

static const struct test_case cases[] = {
	CASE(abc),
	CASE(two_block_448_bits),
	CASE(empty),
	CASE(million_a),
	CASE(len_55),
	CASE(len_56),
	CASE(len_63),
	CASE(len_64),
	CASE(len_119_120),
	CASE(len_1000),
	CASE(stream_every_two_way_split),
	CASE(stream_fixed_chunks),
	CASE(stream_three_way_splits),
	CASE(context_fresh_after_final),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
