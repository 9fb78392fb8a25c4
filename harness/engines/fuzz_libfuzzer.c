/* libFuzzer entry points: the harness plus the structure-aware mutator.
 *
 * A violation aborts the process, which libFuzzer saves as a crash.  With
 * ISOFUZZ_RECORD_DIR naming a directory (a campaign sets it for its
 * fuzzing runs) the target saves a violating input there itself, as
 * DIR/crash-HASH (the first input of each violation kind and site), and
 * goes on (written first under ISOFUZZ_RECORD_TMP, a directory on the
 * same file system that only this machine's jobs use, then renamed in):
 * in fork mode an abort costs a new job process and its corpus loading,
 * which on a target that violates often (vanilla) is most of the time.  A panic, a sanitizer report or a
 * timeout still end the process. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "engines/fuzz_lifetime.h"
#include "engines/fuzz_one.h"
#include "program/mutator/mutator.h"

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max);
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max, unsigned int seed);
size_t LLVMFuzzerCustomCrossOver(const uint8_t *a, size_t asize, const uint8_t *b, size_t bsize,
				 uint8_t *out, size_t max, unsigned int seed);

static const char *record_dir, *record_tmp;

static uint64_t monotonic_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* The time libFuzzer may run, from ms left before the deadline.  A -fork
 * parent stops starting jobs once its whole seconds reach its
 * -max_total_time (>=), so it gets the whole seconds left.  Any other
 * process (a fork job) goes on until its whole seconds exceed it (>), a
 * second more, so it gets one less; never under 1, which libFuzzer would
 * take for no limit. */
static unsigned long seconds_before(uint64_t left_ms, bool fork_parent)
{
	unsigned long s = (unsigned long)(left_ms / 1000);
	if (!fork_parent)
		s = s > 0 ? s - 1 : 0;
	return s ? s : 1;
}

/* A campaign gives each libFuzzer run a deadline, ISOFUZZ_RUN_DEADLINE_MS
 * (CLOCK_MONOTONIC milliseconds).  A fork parent hands every job its own
 * -max_total_time (the job's number, up to 300 s) and waits for the jobs
 * it started, so with jobs that no longer die on a violation the run
 * would end up to a job's length after its budget.  libFuzzer reads its
 * flags after this call: a -max_total_time that would pass the deadline
 * is lowered here, in the parent and in every job. */
static void clamp_to_deadline(int argc, char **argv)
{
	const char *d = getenv("ISOFUZZ_RUN_DEADLINE_MS");
	if (!d || !*d)
		return;
	uint64_t deadline = strtoull(d, NULL, 10), now = monotonic_ms();
	bool fork_parent = false;
	for (int i = 1; i < argc; i++)
		fork_parent |= strncmp(argv[i], "-fork=", 6) == 0 && strcmp(argv[i], "-fork=0") != 0;
	unsigned long most = seconds_before(deadline > now ? deadline - now : 0, fork_parent);
	for (int i = 1; i < argc; i++) {
		if (strncmp(argv[i], "-max_total_time=", 16) != 0)
			continue;
		unsigned long asked = strtoul(argv[i] + 16, NULL, 10);
		static char flag[64];
		if (asked != 0 && asked <= most)
			continue;
		snprintf(flag, sizeof(flag), "-max_total_time=%lu", most);
		argv[i] = flag;
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_follow_engine();
	if (fuzz_init() != 0)
		exit(2);
	/* libFuzzer's clock starts after this call: the time left is taken
	 * after the model's setup */
	clamp_to_deadline(*argc, *argv);
	const char *d = getenv("ISOFUZZ_RECORD_DIR");
	record_dir = d && *d ? d : NULL;
	const char *t = getenv("ISOFUZZ_RECORD_TMP");
	record_tmp = t && *t ? t : record_dir;
	return 0;
}

/* FNV-1a with 128 bits: the name says the content, so the same input
 * found twice (by two jobs, or twice by one) is one file. */
static void content_name(const uint8_t *data, size_t size, char *name, size_t n)
{
	const unsigned __int128 prime = ((unsigned __int128)1 << 88) | 0x13b;
	unsigned __int128 h = ((unsigned __int128)0x6c62272e07bb0142ull << 64) | 0x62b821756295c58dull;
	for (size_t i = 0; i < size; i++)
		h = (h ^ data[i]) * prime;
	snprintf(name, n, "crash-%016llx%016llx", (unsigned long long)(h >> 64), (unsigned long long)h);
}

/* Write the input under a temporary name and rename it: a reader listing
 * crash-* never sees half a file, and a job killed while writing leaves
 * its temporary in record_tmp, which the campaign empties, not among the
 * crashes.  0 when it is there (now or before). */
static int write_input(const uint8_t *data, size_t size)
{
	char name[64], path[4096], tmp[4096 + 64];
	content_name(data, size, name, sizeof(name));
	if (snprintf(path, sizeof(path), "%s/%s", record_dir, name) >= (int)sizeof(path))
		return -1;
	if (access(path, F_OK) == 0)
		return 0;
	snprintf(tmp, sizeof(tmp), "%s/.tmp-%s-%ld", record_tmp, name, (long)getpid());
	FILE *f = fopen(tmp, "wb");
	if (!f)
		return -1;
	bool ok = fwrite(data, 1, size, f) == size;
	ok = (fclose(f) == 0) && ok;
	if (!ok || rename(tmp, path) != 0) {
		unlink(tmp);
		return -1;
	}
	fprintf(stderr, "==isofuzz== recorded %s\n", path);
	return 0;
}

/* One input per finding (violation kind and site) over the whole
 * campaign, every job and run: DIR/.seen-KEY marks a key whose input is
 * written.  On vanilla nearly every input violates; writing each would
 * leave the findings and the sanitizer re-check (a process per violating
 * input) tens of thousands of copies of a few findings to replay. */
static int record(const uint8_t *data, size_t size, const char *key)
{
	char seen[4096];
	if (snprintf(seen, sizeof(seen), "%s/.seen-%s", record_dir, key) >= (int)sizeof(seen))
		return -1;
	if (access(seen, F_OK) == 0)
		return 0;
	if (write_input(data, size) != 0)
		return -1;
	/* after the input: a job killed in between leaves the key open */
	int fd = open(seen, O_WRONLY | O_CREAT, 0644);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

/* The inline coverage counters libFuzzer reads after each input; the
 * linker bounds their section (weak: a build without them has none). */
extern uint8_t __start___sancov_cntrs[] __attribute__((weak));
extern uint8_t __stop___sancov_cntrs[] __attribute__((weak));

/* Keep a recorded input out of the corpus, as a crash is kept out: -1
 * says so from LLVM 15 on, but older libFuzzers ignore it and would add
 * it for its new coverage, filling the corpus (and the sanitizer
 * re-check, a process per violating input) with violations.  Its
 * counters cleared, it shows libFuzzer nothing new. */
static void forget_coverage(void)
{
	if (__start___sancov_cntrs && __stop___sancov_cntrs > __start___sancov_cntrs)
		memset(__start___sancov_cntrs, 0, (size_t)(__stop___sancov_cntrs - __start___sancov_cntrs));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char key[160];
	if (!record_dir) {
		fuzz_one(data, size);
		return 0;
	}
	if (!fuzz_one_reported(data, size, key, sizeof(key)))
		return 0;
	if (record(data, size, key) != 0) {
		/* not saved: let libFuzzer save it as a crash instead */
		fprintf(stderr, "isofuzz: cannot record the input in %s: %s\n", record_dir, strerror(errno));
		abort();
	}
	forget_coverage();
	return -1;
}

/* Mostly program-level changes; one in four a byte-level one, which reaches
 * encodings (literals, headers) the program view never produces. */
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max, unsigned int seed)
{
	if (seed % 4 == 0)
		return LLVMFuzzerMutate(data, size, max);
	return mutator_mutate(fuzz_pools(), data, size, max, seed);
}

size_t LLVMFuzzerCustomCrossOver(const uint8_t *a, size_t asize, const uint8_t *b, size_t bsize,
				 uint8_t *out, size_t max, unsigned int seed)
{
	return mutator_crossover(fuzz_pools(), a, asize, b, bsize, out, max, seed);
}
