/* SHA-256 with the x86 SHA extensions, for the machine model's host.
 *
 * The instructions keep the eight working variables in two registers in
 * the order they name ABEF and CDGH (A in the top lane); sha256rnds2 does
 * two rounds from the low two lanes of its W+K operand; sha256msg1 and
 * sha256msg2 compute four new schedule words from the sixteen before them
 * (FIPS 180-4 6.2.2 step 1).  Only this file's functions are compiled for
 * the extensions (target attribute), so the rest of the build runs on any
 * x86-64 and the choice is made at run time from CPUID. */
#include "sha256_shani.h"

#if defined(__x86_64__) || defined(__i386__)

#include <cpuid.h>
#include <immintrin.h>

#include "hyp/sha256_k.h"

#define CPUID1_ECX_SSSE3 (1u << 9)
#define CPUID1_ECX_SSE41 (1u << 19)
#define CPUID7_EBX_SHA (1u << 29)

bool sim_cpu_has_shani(void)
{
	unsigned eax, ebx, ecx, edx;

	if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx))
		return false;
	if ((ecx & (CPUID1_ECX_SSSE3 | CPUID1_ECX_SSE41)) != (CPUID1_ECX_SSSE3 | CPUID1_ECX_SSE41))
		return false;
	if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx))
		return false;
	return (ebx & CPUID7_EBX_SHA) != 0;
}

#define SHANI __attribute__((target("sha,sse4.1,ssse3")))

/* Schedule words are big-endian in the message: swap each 32-bit lane. */
SHANI static inline __m128i load_words(const uint8_t *p)
{
	const __m128i swap = _mm_set_epi64x(0x0c0d0e0f08090a0bll, 0x0405060700010203ll);

	return _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)p), swap);
}

/* W[t..t+3] from w0 = W[t-16..t-13], w1 = W[t-12..], w2 = W[t-8..],
 * w3 = W[t-4..t-1]: msg1 adds sigma0 of W[t-15..t-12] to W[t-16..],
 * then W[t-7..t-4] is added, then msg2 adds sigma1 of W[t-2], W[t-1]
 * and of the two words it has just made. */
SHANI static inline __m128i next_words(__m128i w0, __m128i w1, __m128i w2, __m128i w3)
{
	__m128i t = _mm_add_epi32(_mm_sha256msg1_epu32(w0, w1), _mm_alignr_epi8(w3, w2, 4));

	return _mm_sha256msg2_epu32(t, w3);
}

/* One 64-byte block: sixteen groups of four rounds, two per sha256rnds2.
 * After two rounds the old ABEF is the new CDGH, so the two registers
 * swap roles at each call. */
SHANI static inline void compress(__m128i *abef, __m128i *cdgh, const uint8_t *block)
{
	__m128i w[4], x = *abef, y = *cdgh;

#pragma GCC unroll 4
	for (unsigned i = 0; i < 4; i++)
		w[i] = load_words(block + 16 * i);
#pragma GCC unroll 16
	for (unsigned g = 0; g < 16; g++) {
		__m128i wk = _mm_add_epi32(w[g & 3], _mm_load_si128((const __m128i *)&sha256_k[4 * g]));

		y = _mm_sha256rnds2_epu32(y, x, wk);
		x = _mm_sha256rnds2_epu32(x, y, _mm_shuffle_epi32(wk, 0x0e));
		if (g < 12)
			w[g & 3] = next_words(w[g & 3], w[(g + 1) & 3], w[(g + 2) & 3], w[(g + 3) & 3]);
	}
	*abef = _mm_add_epi32(*abef, x);
	*cdgh = _mm_add_epi32(*cdgh, y);
}

SHANI void sim_sha256_shani_blocks(uint32_t h[8], const uint8_t *blocks, size_t nblocks)
{
	__m128i abcd = _mm_loadu_si128((const __m128i *)&h[0]); /* lanes a b c d */
	__m128i efgh = _mm_loadu_si128((const __m128i *)&h[4]); /* lanes e f g h */
	__m128i badc = _mm_shuffle_epi32(abcd, 0xb1);
	__m128i hgfe = _mm_shuffle_epi32(efgh, 0x1b);
	__m128i abef = _mm_alignr_epi8(badc, hgfe, 8);         /* lanes f e b a */
	__m128i cdgh = _mm_blend_epi16(hgfe, badc, 0xf0);      /* lanes h g d c */

	for (; nblocks > 0; nblocks--, blocks += 64)
		compress(&abef, &cdgh, blocks);

	__m128i abef_r = _mm_shuffle_epi32(abef, 0x1b);        /* lanes a b e f */
	__m128i ghcd = _mm_shuffle_epi32(cdgh, 0xb1);          /* lanes g h c d */
	_mm_storeu_si128((__m128i *)&h[0], _mm_blend_epi16(abef_r, ghcd, 0xf0));
	_mm_storeu_si128((__m128i *)&h[4], _mm_alignr_epi8(ghcd, abef_r, 8));
}

#else

bool sim_cpu_has_shani(void)
{
	return false;
}

void sim_sha256_shani_blocks(uint32_t h[8], const uint8_t *blocks, size_t nblocks)
{
	(void)h;
	(void)blocks;
	(void)nblocks;
	__builtin_trap(); /* unreachable: sim_cpu_has_shani() is false here */
}

#endif
