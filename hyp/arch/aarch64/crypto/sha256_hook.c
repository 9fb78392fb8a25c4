/* arch_sha256_blocks at EL2: the Armv8 SHA-2 instructions when
 * ID_AA64ISAR0_EL1 says the CPU has them (sha256_armv8.S), else nothing
 * (KCore's portable code runs). */
#include "hyp/arch_sha256.h"
#include "hyp/sha256_k.h"

#include "sysreg.h"

void sha256_armv8_blocks(uint32_t h[8], const uint8_t *blocks, size_t nblocks, const uint32_t k[64]);

/* ID_AA64ISAR0_EL1.SHA2, bits [15:12]: 1 has SHA256H, SHA256H2, SHA256SU0
 * and SHA256SU1 (FEAT_SHA256); 2 adds SHA-512; 0 has none. */
#define ISAR0_SHA2_SHIFT 12
#define ISAR0_SHA2_MASK 0xfull

enum sha2_state { SHA2_UNKNOWN, SHA2_ABSENT, SHA2_PRESENT };

/* Read once; CPUs that race here store the same answer (all are alike). */
static int sha2_state = SHA2_UNKNOWN;

static bool have_sha2(void)
{
	int s = __atomic_load_n(&sha2_state, __ATOMIC_RELAXED);

	if (s == SHA2_UNKNOWN) {
		uint64_t isar0 = read_sysreg(id_aa64isar0_el1);

		s = ((isar0 >> ISAR0_SHA2_SHIFT) & ISAR0_SHA2_MASK) >= 1 ? SHA2_PRESENT : SHA2_ABSENT;
		__atomic_store_n(&sha2_state, s, __ATOMIC_RELAXED);
	}
	return s == SHA2_PRESENT;
}

bool arch_sha256_blocks(uint32_t h[8], const uint8_t *blocks, size_t nblocks)
{
	if (!have_sha2())
		return false;
	sha256_armv8_blocks(h, blocks, nblocks, sha256_k);
	return true;
}
