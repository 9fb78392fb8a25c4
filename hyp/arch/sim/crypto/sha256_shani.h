/* SHA-256 blocks with the host CPU's x86 SHA extensions (SHA-NI). */
#ifndef SIM_SHA256_SHANI_H
#define SIM_SHA256_SHANI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Whether this CPU has SHA-NI and the SSSE3/SSE4.1 shuffles the block
 * function needs (CPUID); always false on a host that is not x86. */
bool sim_cpu_has_shani(void);

/* FIPS 180-4 6.2.2 on nblocks 64-byte blocks into h, with sha256rnds2,
 * sha256msg1 and sha256msg2.  Only when sim_cpu_has_shani(). */
void sim_sha256_shani_blocks(uint32_t h[8], const uint8_t *blocks, size_t nblocks);

#endif
