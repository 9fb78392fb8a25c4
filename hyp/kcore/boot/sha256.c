/* SHA-256 as specified in FIPS 180-4 (sections 4.1.2, 4.2.2, 5.1.1, 5.3.3,
 * 6.2).  Freestanding: KCore runs it at EL2 with no C library, so byte
 * order and copying are spelled out by hand.  Whole blocks go to the CPU's
 * hash instructions when the arch has them (hyp/arch_sha256.h); the
 * portable compression here is the reference they are tested against. */
#include "boot/sha256.h"
#include "hyp/arch_sha256.h"
#include "hyp/sha256_k.h"

/* FIPS 180-4 5.3.3: the first 32 bits of the fractional parts of the square
 * roots of the first 8 primes. */
static const uint32_t sha256_h0[8] = {
	0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
	0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

static inline uint32_t rotr(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

/* The six logical functions of FIPS 180-4 4.1.2. */
static inline uint32_t ch(uint32_t x, uint32_t y, uint32_t z) { return (x & y) ^ (~x & z); }
static inline uint32_t maj(uint32_t x, uint32_t y, uint32_t z) { return (x & y) ^ (x & z) ^ (y & z); }
static inline uint32_t big_sigma0(uint32_t x) { return rotr(x, 2) ^ rotr(x, 13) ^ rotr(x, 22); }
static inline uint32_t big_sigma1(uint32_t x) { return rotr(x, 6) ^ rotr(x, 11) ^ rotr(x, 25); }
static inline uint32_t small_sigma0(uint32_t x) { return rotr(x, 7) ^ rotr(x, 18) ^ (x >> 3); }
static inline uint32_t small_sigma1(uint32_t x) { return rotr(x, 17) ^ rotr(x, 19) ^ (x >> 10); }

/* The standard's words are big-endian whatever the CPU's byte order. */
static inline uint32_t load_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void store_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* FIPS 180-4 6.2.2: one 512-bit block into the hash value h. */
static void portable_compress(uint32_t h[8], const uint8_t block[64])
{
	uint32_t w[64];
	uint32_t a = h[0], b = h[1], c = h[2], d = h[3];
	uint32_t e = h[4], f = h[5], g = h[6], hh = h[7];

	for (unsigned t = 0; t < 16; t++)
		w[t] = load_be32(block + 4 * t);
	for (unsigned t = 16; t < 64; t++)
		w[t] = small_sigma1(w[t - 2]) + w[t - 7] + small_sigma0(w[t - 15]) + w[t - 16];

	for (unsigned t = 0; t < 64; t++) {
		uint32_t t1 = hh + big_sigma1(e) + ch(e, f, g) + sha256_k[t] + w[t];
		uint32_t t2 = big_sigma0(a) + maj(a, b, c);
		hh = g;
		g = f;
		f = e;
		e = d + t1;
		d = c;
		c = b;
		b = a;
		a = t1 + t2;
	}

	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
	h[5] += f;
	h[6] += g;
	h[7] += hh;
}

void sha256_portable_blocks(uint32_t h[8], const uint8_t *blocks, size_t nblocks)
{
	for (; nblocks > 0; nblocks--, blocks += 64)
		portable_compress(h, blocks);
}

static void compress_blocks(uint32_t h[8], const uint8_t *blocks, size_t nblocks)
{
	if (!arch_sha256_blocks(h, blocks, nblocks))
		sha256_portable_blocks(h, blocks, nblocks);
}

void sha256_init(struct sha256_ctx *ctx)
{
	for (unsigned i = 0; i < 8; i++)
		ctx->h[i] = sha256_h0[i];
	ctx->length = 0;
	ctx->used = 0;
}

void sha256_update(struct sha256_ctx *ctx, const void *data, size_t len)
{
	const uint8_t *p = data;

	ctx->length += len;

	/* Top up a partly filled block first so blocks stay in input order. */
	while (len > 0 && ctx->used > 0) {
		ctx->block[ctx->used++] = *p++;
		len--;
		if (ctx->used == 64) {
			compress_blocks(ctx->h, ctx->block, 1);
			ctx->used = 0;
		}
	}
	/* Whole blocks straight from the caller's buffer, all in one call:
	 * no copy, and the instructions keep the state in registers. */
	if (len >= 64) {
		size_t n = len / 64;

		compress_blocks(ctx->h, p, n);
		p += 64 * n;
		len -= 64 * n;
	}
	while (len > 0) {
		ctx->block[ctx->used++] = *p++;
		len--;
	}
}

void sha256_final(struct sha256_ctx *ctx, uint8_t digest[SHA256_DIGEST_SIZE])
{
	/* FIPS 180-4 5.1.1: the message length in bits, modulo 2^64. */
	uint64_t bits = ctx->length << 3;

	/* 5.1.1: a one bit, then zeros until 448 bits mod 512 remain; when
	 * fewer than 64 bits are left in this block the padding spills into
	 * a second one. */
	ctx->block[ctx->used++] = 0x80;
	if (ctx->used > 56) {
		while (ctx->used < 64)
			ctx->block[ctx->used++] = 0;
		compress_blocks(ctx->h, ctx->block, 1);
		ctx->used = 0;
	}
	while (ctx->used < 56)
		ctx->block[ctx->used++] = 0;
	store_be32(ctx->block + 56, (uint32_t)(bits >> 32));
	store_be32(ctx->block + 60, (uint32_t)bits);
	compress_blocks(ctx->h, ctx->block, 1);

	for (unsigned i = 0; i < 8; i++)
		store_be32(digest + 4 * i, ctx->h[i]);

	/* Leave no message bytes behind in the context (KCore hashes VM
	 * pages with it), and make reuse without sha256_init start afresh. */
	for (unsigned i = 0; i < 64; i++)
		ctx->block[i] = 0;
	sha256_init(ctx);
}
