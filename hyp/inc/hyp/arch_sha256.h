/* The CPU's SHA-256 instructions, behind one arch call.
 *
 * KCore hashes every VM image page at verify_vm_image.  Hypervisors do that
 * with the CPU's SHA-2 instructions where it has them (Armv8 FEAT_SHA256,
 * x86 SHA extensions); kcore/boot/sha256.c keeps the portable FIPS 180-4
 * code as the reference and as the fallback.  The call is pure computation: it
 * touches no machine state, so on the machine model it is no event and no
 * scheduling point, and the trace is the same whichever path ran.
 */
#ifndef HYP_ARCH_SHA256_H
#define HYP_ARCH_SHA256_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* FIPS 180-4 6.2.2 on nblocks consecutive 64-byte blocks into the hash
 * value h (h[0] is a).  Returns true when the CPU's instructions did them;
 * false, with h untouched, when this CPU has none (the caller then runs the
 * portable code).  The answer is the same on every call of a run. */
bool arch_sha256_blocks(uint32_t h[8], const uint8_t *blocks, size_t nblocks);

#endif
