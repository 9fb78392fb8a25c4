/* The machine model's SHA-256 instructions against the portable reference.
 *
 * Linked with the model's real arch hook
 * (hyp/arch/sim/crypto/sha256_hook.c), so the streaming API here takes the
 * path KCore takes on this host.  The portable side is
 * sha256_portable_blocks, which test-sha256 holds to the
 * NIST vectors.  Inputs come from a fixed-seed generator: every run checks
 * the same messages.  The cases that need SHA-NI exit 77 (skipped) on a CPU
 * without them; hook_follows_cpuid runs everywhere.
 */
#include "boot/sha256.h"
#include "check.h"
#include "hyp/arch_sha256.h"
#include "sha256_shani.h"

#define SEED 0x5ea256c0ffee1234ull
#define MAX_LEN 5000

static uint64_t rng_state;

/* splitmix64: small, and good enough to vary lengths, cuts and bytes. */
static uint64_t rng(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static void fill(uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)rng();
}

static void require_shani(void)
{
	if (!sim_cpu_has_shani()) {
		printf("skip: this CPU has no SHA-NI\n");
		fflush(stdout);
		exit(77);
	}
}

static void store_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16), p[2] = (uint8_t)(v >> 8), p[3] = (uint8_t)v;
}

/* One-shot digest with the portable blocks only: the message's whole
 * blocks, then its tail padded as FIPS 180-4 5.1.1 says. */
static void portable_digest(const uint8_t *m, size_t len, uint8_t out[SHA256_DIGEST_SIZE])
{
	uint32_t h[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
	                  0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
	uint8_t tail[128] = { 0 };
	size_t whole = len / 64, rest = len % 64;
	size_t tail_len = rest < 56 ? 64 : 128;
	uint64_t bits = (uint64_t)len * 8;

	sha256_portable_blocks(h, m, whole);
	memcpy(tail, m + 64 * whole, rest);
	tail[rest] = 0x80;
	store_be32(tail + tail_len - 8, (uint32_t)(bits >> 32));
	store_be32(tail + tail_len - 4, (uint32_t)bits);
	sha256_portable_blocks(h, tail, tail_len / 64);
	for (unsigned i = 0; i < 8; i++)
		store_be32(out + 4 * i, h[i]);
}

TEST(hook_follows_cpuid)
{
	uint32_t h[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, before[8];
	uint8_t block[64] = { 0 };

	memcpy(before, h, sizeof(h));
	bool did = arch_sha256_blocks(h, block, 1);
	CHECK_EQ(did, sim_cpu_has_shani());
	if (!did)
		CHECK(memcmp(h, before, sizeof(h)) == 0);
}

/* Block level: random hash values (not only the initial one), 0 to 80
 * blocks, at every alignment of the message in memory. */
TEST(shani_blocks_match_portable)
{
	static uint8_t buf[80 * 64 + 16];

	require_shani();
	rng_state = SEED;
	for (unsigned round = 0; round < 2000; round++) {
		size_t n = (size_t)(rng() % 81), at = round % 16;
		uint32_t h_ref[8], h_insn[8];

		for (unsigned i = 0; i < 8; i++)
			h_ref[i] = h_insn[i] = (uint32_t)rng();
		fill(buf + at, 64 * n);
		sha256_portable_blocks(h_ref, buf + at, n);
		sim_sha256_shani_blocks(h_insn, buf + at, n);
		for (unsigned i = 0; i < 8; i++)
			CHECK_EQ(h_insn[i], h_ref[i]);
	}
}

/* Every length from 0 to 320 bytes (padding in one or two blocks, every
 * tail), then random lengths up to MAX_LEN: the streaming API, cut into
 * 1 to 6 update calls at random points, gives the portable digest. */
static void check_stream(const uint8_t *m, size_t len)
{
	uint8_t want[SHA256_DIGEST_SIZE], got[SHA256_DIGEST_SIZE];
	struct sha256_ctx ctx;
	size_t cuts = 1 + (size_t)(rng() % 6), at = 0;

	portable_digest(m, len, want);
	sha256_init(&ctx);
	for (size_t c = 1; c < cuts; c++) {
		size_t n = (size_t)(rng() % (len - at + 1));
		sha256_update(&ctx, m + at, n);
		at += n;
	}
	sha256_update(&ctx, m + at, len - at);
	sha256_final(&ctx, got);
	if (memcmp(got, want, sizeof(want)) != 0)
		CHECK_FAIL_("digest differs from the portable one at length %zu in %zu cuts", len, cuts);
}

TEST(shani_streams_match_portable)
{
	static uint8_t m[MAX_LEN];

	require_shani();
	rng_state = SEED ^ 1;
	for (size_t len = 0; len <= 320; len++) {
		fill(m, len);
		check_stream(m, len);
	}
	for (unsigned round = 0; round < 1500; round++) {
		size_t len = (size_t)(rng() % (MAX_LEN + 1));
		fill(m, len);
		check_stream(m, len);
	}
}

/* The reference itself against a NIST vector, so a wrong portable_digest
 * cannot make the cases above agree with a wrong answer. */
TEST(portable_digest_is_fips)
{
	static const uint8_t want[SHA256_DIGEST_SIZE] = {
		0x24, 0x8d, 0x6a, 0x61, 0xd2, 0x06, 0x38, 0xb8, 0xe5, 0xc0, 0x26, 0x93, 0x0c, 0x3e, 0x60, 0x39,
		0xa3, 0x3c, 0xe4, 0x59, 0x64, 0xff, 0x21, 0x67, 0xf6, 0xec, 0xed, 0xd4, 0x19, 0xdb, 0x06, 0xc1,
	};
	const char *msg = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	uint8_t got[SHA256_DIGEST_SIZE];

	portable_digest((const uint8_t *)msg, strlen(msg), got);
	CHECK(memcmp(got, want, sizeof(want)) == 0);
}

static const struct test_case cases[] = {
	CASE(hook_follows_cpuid),
	CASE(shani_blocks_match_portable),
	CASE(shani_streams_match_portable),
	CASE(portable_digest_is_fips),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
