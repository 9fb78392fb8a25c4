/* The engines' own statistics, read the way each engine publishes them,
 * and the live progress line made from them. */
#ifndef HARNESS_PROGRESS_H
#define HARNESS_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* One reading of an engine's statistics, in the engine's own numbers.
 * Coverage is libFuzzer's "cov" (its count of coverage counters and PCs
 * reached, summed over fork jobs: not a count of the binary's edges) or
 * AFL++'s edges_found (map entries hit). */
struct engine_stats {
	bool valid;
	uint64_t execs;          /* executions this session */
	uint64_t execs_per_sec;
	uint64_t coverage;
	uint64_t features;       /* libFuzzer "ft"; AFL++ total_edges (the map's size) */
	uint64_t corpus;
	uint64_t crashes;        /* crashing inputs saved, not yet deduplicated: AFL++'s
				  * saved crashes; for libFuzzer its count of jobs that
				  * died, which a campaign replaces with the inputs saved
				  * in its crashes/ (the target records violations itself) */
	uint64_t engine_seconds; /* the engine's own idea of its run time */
};

/* A libFuzzer status line: the -fork parent's
 *   "#5542: cov: 3074 ft: 4043 corp: 254 exec/s 235 oom/timeout/crash: 0/0/3 time: 15s job: 6 ..."
 * or a single process's
 *   "#4096	pulse  cov: 3074 ft: 4043 corp: 254/12Kb exec/s: 235 rss: 90Mb"
 * Fields the line does not carry are left as they were in s, so a
 * sequence of lines accumulates.  Returns false for any other line. */
bool progress_parse_libfuzzer(const char *line, struct engine_stats *s);

/* AFL++'s fuzzer_stats file ("key : value" lines) into s; -1 when it
 * cannot be read or has no execs_done.  AFL++ writes it at start (with a
 * rate over the first fraction of a second), about once a minute and
 * when it stops: the final figures, not the live ones. */
int progress_read_afl_stats(const char *path, struct engine_stats *s);

/* The last line of AFL++'s plot_data (rewritten about every 5 s) into s;
 * -1 while it has no data line yet.  The live figures come from here
 * only, so no reading is shown before AFL++ has fuzzed for a while. */
int progress_read_afl_plot(const char *path, struct engine_stats *s);

/* One AFL++ instance's live reading from its directory: plot_data, with
 * the map size that only fuzzer_stats has; -1 before the first real one.
 * A plot_data not written since `since` (the session's start, realtime)
 * is an earlier session's and no reading either. */
int progress_read_afl_live(const char *instance_dir, const struct timespec *since, struct engine_stats *s);

/* Sum of several instances' statistics: executions, rates and crashes
 * add up; coverage and corpus are the largest (instances share inputs). */
void progress_add_instance(struct engine_stats *sum, const struct engine_stats *one);

struct progress {
	const char *coverage_name; /* what the engine's coverage figure is */
	const char *waiting;     /* why there is no reading yet, optional */
	bool tty;                /* redraw one line in place */
	unsigned interval;       /* seconds between lines otherwise */
	uint64_t last_line;      /* campaign second of the last line printed */
	bool drawn;              /* a TTY line is on screen */
};

/* Pick the mode for stdout and an interval fitting a budget. */
void progress_init(struct progress *p, unsigned budget_seconds);
/* The campaign's own throughput: every execution of every job and
 * session over the wall time they took (0 before the first second). */
uint64_t progress_rate(uint64_t total_execs, uint64_t seconds);
/* "elapsed 0:01:23  left 0:08:37 | 216 execs/s | libFuzzer cov 3074 | corpus 254 | crashes 0 | 1.2M execs"
 * where execs/s is progress_rate(total_execs, elapsed). */
void progress_format(char *buf, size_t n, uint64_t elapsed, uint64_t left, uint64_t total_execs,
		     const char *coverage_name, const struct engine_stats *s);
/* The line before the engine's first real reading, with why if known. */
void progress_format_waiting(char *buf, size_t n, uint64_t elapsed, uint64_t left, const char *why);
/* Print the line if it is time (force: now), in place on a TTY. */
void progress_show(struct progress *p, uint64_t elapsed, uint64_t left, uint64_t total_execs,
		   const struct engine_stats *s, bool force);
/* End the in-place line so later output starts on a fresh one. */
void progress_done(struct progress *p);

#endif
