/* SHA-256 (FIPS 180-4), freestanding: KCore hashes VM images with it. */
#ifndef KCORE_SHA256_H
#define KCORE_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_SIZE 32

struct sha256_ctx {
	uint32_t h[8];
	uint64_t length;    /* bytes hashed so far */
	uint8_t block[64];
	unsigned used;      /* bytes waiting in block */
};

void sha256_init(struct sha256_ctx *ctx);
void sha256_update(struct sha256_ctx *ctx, const void *data, size_t len);
/* Writes the digest; ctx is left wiped and as after sha256_init. */
void sha256_final(struct sha256_ctx *ctx, uint8_t digest[SHA256_DIGEST_SIZE]);

/* The portable compression of nblocks consecutive 64-byte blocks into h:
 * what runs when the arch has no hash instructions, and the reference the
 * instructions are tested against. */
void sha256_portable_blocks(uint32_t h[8], const uint8_t *blocks, size_t nblocks);

#endif
