/* arch-sha256: arch_sha256_blocks at EL2.  It uses the Armv8 SHA-2
 * instructions exactly when ID_AA64ISAR0_EL1.SHA2 says they exist; they
 * give the FIPS 180-4 digests (NIST's example messages, padded by hand
 * here, in one call, two blocks in one call, and a million bytes in calls
 * of 25 blocks); and the host's FP/SIMD registers, which EL2 holds and
 * nothing else saves, come back unchanged. */
#include "el2_check.h"
#include "el2_tests.h"
#include "hyp/arch_sha256.h"
#include "sysreg.h"

static const uint32_t h0[8] = {
	0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16), p[2] = (uint8_t)(v >> 8), p[3] = (uint8_t)v;
}

/* FIPS 180-4 5.1.1 for a message of len bytes, len % 64 = tail_len: the
 * tail, the one bit, zeros, the 64-bit bit count.  Returns the blocks. */
static unsigned pad(uint8_t out[128], const uint8_t *tail, unsigned tail_len, uint64_t len)
{
	unsigned n = tail_len < 56 ? 64 : 128;

	for (unsigned i = 0; i < 128; i++)
		out[i] = i < tail_len ? tail[i] : 0;
	out[tail_len] = 0x80;
	put_be32(out + n - 8, (uint32_t)(len * 8 >> 32));
	put_be32(out + n - 4, (uint32_t)(len * 8));
	return n / 64;
}

static unsigned check_words(const uint32_t h[8], const uint32_t want[8])
{
	for (unsigned i = 0; i < 8; i++)
		ECHECK_EQ(h[i], want[i]);
	return HYP_EXIT_PASS;
}

static unsigned check_short(const char *msg, unsigned len, const uint32_t want[8])
{
	uint8_t blocks[128];
	uint32_t h[8];
	unsigned n = pad(blocks, (const uint8_t *)msg, len, len);

	for (unsigned i = 0; i < 8; i++)
		h[i] = h0[i];
	ECHECK(arch_sha256_blocks(h, blocks, n));
	return check_words(h, want);
}

static unsigned check_million_a(void)
{
	static const uint32_t want[8] = {
		0xcdc76e5c, 0x9914fb92, 0x81a1c7e2, 0x84d73e67, 0xf1809a48, 0xa497200e, 0x046d39cc, 0xc7112cd0,
	};
	static uint8_t as[25 * 64];
	uint8_t last[128];
	uint32_t h[8];

	for (unsigned i = 0; i < sizeof(as); i++)
		as[i] = 'a';
	for (unsigned i = 0; i < 8; i++)
		h[i] = h0[i];
	for (unsigned c = 0; c < 1000000 / sizeof(as); c++)
		ECHECK(arch_sha256_blocks(h, as, 25));
	ECHECK(arch_sha256_blocks(h, last, pad(last, as, 0, 1000000)));
	return check_words(h, want);
}

/* v0-v31 loaded with a pattern, one call, all 32 stored back.  The call is
 * made from the asm so that nothing else can touch them in between. */
static unsigned check_simd_kept(void)
{
	static uint8_t before[32 * 16] __attribute__((aligned(16)));
	static uint8_t after[32 * 16] __attribute__((aligned(16)));
	static uint8_t block[64];
	uint32_t h[8] = { 0 };
	const uint8_t *src = before;

	for (unsigned i = 0; i < sizeof(before); i++)
		before[i] = (uint8_t)(i * 7 + 3), after[i] = 0;
	__asm__ volatile(
		"mov x19, %[after]\n"
		"ld1 {v0.16b-v3.16b}, [%[src]], #64\n"
		"ld1 {v4.16b-v7.16b}, [%[src]], #64\n"
		"ld1 {v8.16b-v11.16b}, [%[src]], #64\n"
		"ld1 {v12.16b-v15.16b}, [%[src]], #64\n"
		"ld1 {v16.16b-v19.16b}, [%[src]], #64\n"
		"ld1 {v20.16b-v23.16b}, [%[src]], #64\n"
		"ld1 {v24.16b-v27.16b}, [%[src]], #64\n"
		"ld1 {v28.16b-v31.16b}, [%[src]], #64\n"
		"mov x0, %[h]\n"
		"mov x1, %[block]\n"
		"mov x2, #1\n"
		"bl arch_sha256_blocks\n"
		"st1 {v0.16b-v3.16b}, [x19], #64\n"
		"st1 {v4.16b-v7.16b}, [x19], #64\n"
		"st1 {v8.16b-v11.16b}, [x19], #64\n"
		"st1 {v12.16b-v15.16b}, [x19], #64\n"
		"st1 {v16.16b-v19.16b}, [x19], #64\n"
		"st1 {v20.16b-v23.16b}, [x19], #64\n"
		"st1 {v24.16b-v27.16b}, [x19], #64\n"
		"st1 {v28.16b-v31.16b}, [x19], #64\n"
		: [src] "+r"(src)
		: [after] "r"(after), [h] "r"(h), [block] "r"(block)
		: "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",
		  "x13", "x14", "x15", "x16", "x17", "x18", "x19", "x30", "cc", "memory");
	for (unsigned i = 0; i < sizeof(before); i++)
		ECHECK_EQ(after[i], before[i]);
	return HYP_EXIT_PASS;
}

/* ID_AA64ISAR0_EL1.SHA2, bits [15:12]: nonzero when FEAT_SHA256 is there. */
#define ISAR0_SHA2(r) (((r) >> 12) & 0xf)

unsigned el2_test_sha256(void)
{
	static const uint32_t abc[8] = {
		0xba7816bf, 0x8f01cfea, 0x414140de, 0x5dae2223, 0xb00361a3, 0x96177a9c, 0xb410ff61, 0xf20015ad,
	};
	static const uint32_t two_blocks[8] = {
		0x248d6a61, 0xd20638b8, 0xe5c02693, 0x0c3e6039, 0xa33ce459, 0x64ff2167, 0xf6ecedd4, 0x19db06c1,
	};
	bool has = ISAR0_SHA2(read_sysreg(id_aa64isar0_el1)) != 0;
	uint32_t h[8] = { 0 };
	uint8_t block[64] = { 0 };

	ECHECK_EQ(arch_sha256_blocks(h, block, 1), has);
	if (!has) {
		kprintf("isofuzz-hyp: arch-sha256: no SHA-2 instructions on this CPU, KCore hashes in C\n");
		return HYP_EXIT_PASS;
	}
	ERUN(check_short("abc", 3, abc));
	ERUN(check_short("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, two_blocks));
	ERUN(check_million_a());
	ERUN(check_simd_kept());
	return HYP_EXIT_PASS;
}
