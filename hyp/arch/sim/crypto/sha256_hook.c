/* arch_sha256_blocks on the machine model: the host CPU's SHA-NI when it
 * has them, else nothing (KCore's portable code runs).  The model has no
 * hash state of its own and the digest is the same either way, so this is
 * no event: a run's trace does not depend on the host. */
#include "hyp/arch_sha256.h"
#include "sha256_shani.h"

enum shani_state { SHANI_UNKNOWN, SHANI_ABSENT, SHANI_PRESENT };

/* CPUID once per process; threads that race here store the same answer. */
static int shani_state = SHANI_UNKNOWN;

static bool have_shani(void)
{
	int s = __atomic_load_n(&shani_state, __ATOMIC_RELAXED);

	if (s == SHANI_UNKNOWN) {
		s = sim_cpu_has_shani() ? SHANI_PRESENT : SHANI_ABSENT;
		__atomic_store_n(&shani_state, s, __ATOMIC_RELAXED);
	}
	return s == SHANI_PRESENT;
}

bool arch_sha256_blocks(uint32_t h[8], const uint8_t *blocks, size_t nblocks)
{
	if (!have_shani())
		return false;
	sim_sha256_shani_blocks(h, blocks, nblocks);
	return true;
}
