/* sha256-speed: MB/s of each SHA-256 block path on this host, and the
 * ratio, in one run.  Times are this process's CPU time, so other load on
 * the machine does not count.
 *
 *   build/tests/sha256/sha256-speed [MIB]    (default 64 MiB per path)
 */
#define _POSIX_C_SOURCE 199309L /* clock_gettime */

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "boot/sha256.h"
#include "sha256_shani.h"

#define BUF_BLOCKS 64 /* one 4 KiB page, as KCore hashes images */

static double cpu_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef void blocks_fn(uint32_t h[8], const uint8_t *blocks, size_t nblocks);

/* Where each run's digest goes, so the compiler cannot drop the work. */
static volatile uint32_t sink;

/* Hashes mib MiB a page at a time; returns MB/s. */
static double speed(blocks_fn *fn, unsigned mib)
{
	static uint8_t page[BUF_BLOCKS * 64];
	uint32_t h[8] = { 0 };
	size_t pages = (size_t)mib * 1024 * 1024 / sizeof(page);

	for (size_t i = 0; i < sizeof(page); i++)
		page[i] = (uint8_t)(i * 131);
	double t0 = cpu_seconds();
	for (size_t p = 0; p < pages; p++)
		fn(h, page, BUF_BLOCKS);
	double t = cpu_seconds() - t0;
	sink = h[0];
	return (double)pages * sizeof(page) / 1e6 / t;
}

int main(int argc, char **argv)
{
	unsigned mib = 64;

	if (argc > 2 || (argc == 2 && (sscanf(argv[1], "%u", &mib) != 1 || mib < 1 || mib > 65536))) {
		fprintf(stderr, "usage: sha256-speed [MIB 1..65536]\n");
		return 2;
	}
	double portable = speed(sha256_portable_blocks, mib);
	printf("portable C      %8.1f MB/s\n", portable);
	if (!sim_cpu_has_shani()) {
		printf("SHA-NI          absent on this CPU\n");
		return 0;
	}
	double shani = speed(sim_sha256_shani_blocks, mib);
	printf("SHA-NI          %8.1f MB/s  (%.2fx portable)\n", shani, shani / portable);
	return 0;
}
