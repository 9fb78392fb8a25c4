/* A campaign: one output directory that an engine fuzzes into, possibly
 * over several sessions (a stopped campaign resumes where it was), and the
 * findings made from what it saved.
 *
 * The output directory holds
 *   state           key=value lines: configuration and time already spent
 *   stats.csv       the engine's statistics over time, every session
 *   logs/           each session's engine output, verbatim
 *   seeds/          the text seeds as binary inputs
 *   corpus/         libFuzzer's corpus (also where joined machines share)
 *   crashes/        libFuzzer's crash inputs
 *   afl/            AFL++'s sync directory (one subdirectory per instance)
 *   findings/KIND/SITE/  program.txt, trace.txt, violation.json, repro.txt
 *   findings.tsv    one line per finding, for the report
 *   machines/NAME/  state, stats.csv and logs of each machine that joined
 */
#ifndef HARNESS_CAMPAIGN_H
#define HARNESS_CAMPAIGN_H

#include <stdbool.h>
#include <stdint.h>

#include "progress.h"

#define CAMPAIGN_PATH_MAX 4096
#define CAMPAIGN_MAX_JOBS 16

struct campaign_config {
	const char *engine;       /* "libfuzzer" or "afl" */
	const char *target;       /* "kcore" or "vanilla" */
	const char *oracles;      /* as ISOFUZZ_ORACLES takes it */
	const char *corpus;       /* text seeds */
	const char *out;
	const char *dir;          /* this machine's state, stats and logs: out, or
				   * out/machines/INSTANCE when joining */
	const char *fuzzer;       /* the engine build of the harness */
	const char *afl_mutator;  /* AFL++ custom mutator, optional */
	const char *afl_cmplog;   /* the CMPLOG build of the target, for the main instance, optional */
	const char *instance;     /* name prefix of this machine's instances when joining */
	bool join;                /* add instances to a campaign another machine leads */
	unsigned jobs;
	unsigned seconds;         /* the whole campaign's budget, all sessions */
	unsigned sync;            /* libFuzzer: restart every so many seconds to load
				   * what other machines added to the shared corpus (0: never) */
};

/* What carries over from one session to the next. */
struct campaign_state {
	unsigned budget;          /* seconds, as last asked for */
	uint64_t spent;           /* seconds fuzzed in earlier sessions and this one */
	unsigned sessions;        /* sessions started, this one included */
	uint64_t execs_before;    /* executions of finished sessions (libFuzzer counts per session) */
	unsigned interrupted;     /* sessions that were stopped before their time */
};

/* Everything a running session needs. */
struct campaign {
	struct campaign_config cfg;
	struct campaign_state st;
	uint64_t session_start;   /* spent when this session began */
	uint64_t clock_start;     /* campaign_now() when it began */
	struct engine_stats last; /* the engine's latest statistics this session */
	struct progress prog;
	char log[CAMPAIGN_PATH_MAX];
};

/* --- campaign_state.c ------------------------------------------------- */

/* Read DIR/state into st (zeroes when there is none).  A state written
 * for another engine or target is refused (-1, with a message): mixing
 * them in one directory would make its statistics meaningless. */
int campaign_state_load(const struct campaign_config *cfg, struct campaign_state *st);
/* Write DIR/state atomically (a kill at any moment leaves the old or the
 * new one). */
int campaign_state_save(const struct campaign *c);
/* Append the engine's statistics as one row of DIR/stats.csv; final marks
 * the last row of a session, which the report takes as that session's
 * totals. */
int campaign_stats_append(const struct campaign *c, const struct engine_stats *s, bool final);

/* --- campaign_engine_*.c ---------------------------------------------- */

/* Run the engine for at most `seconds`; returns 0 when it ran its time,
 * 1 when it was interrupted, -1 when it could not run. */
int campaign_run_libfuzzer(struct campaign *c, const char *seeds, unsigned seconds);
int campaign_run_afl(struct campaign *c, const char *seeds, unsigned seconds);

/* --- campaign_session.c ----------------------------------------------- */

/* Seconds on a monotonic clock: campaigns are budgeted in wall time, the
 * only place the harness reads a clock. */
uint64_t campaign_now(void);
/* SIGINT/SIGTERM/SIGHUP set a flag instead of killing us, so the session
 * can stop its engine and save its state. */
void campaign_catch_signals(void);
bool campaign_stop_requested(void);
/* Called about once a second and for every new engine statistic: keeps
 * out/state current, appends history and redraws the progress line. */
void campaign_tick(struct campaign *c, const struct engine_stats *fresh);
/* Fork and exec argv with stdout and stderr into log_fd (or, with
 * out_pipe, a pipe whose read end is returned there).  The child gets
 * SIGTERM if we die, so a killed campaign leaves no engine behind. */
int campaign_spawn(char *const argv[], int log_fd, int *out_pipe);
/* Ask every child to stop, then wait for them. */
void campaign_stop_children(const int *pids, unsigned n);

/* --- campaign_files.c ------------------------------------------------- */

bool campaign_join(char *buf, unsigned long n, const char *dir, const char *name);
int campaign_mkdirs(const char *path);
/* The names in dir that start with prefix, sorted (readdir order is not
 * stable), in a NULL-terminated array to free with campaign_free_names.
 * NULL when dir cannot be read. */
char **campaign_list(const char *dir, const char *prefix);
void campaign_free_names(char **names);

/* --- campaign_findings.c ---------------------------------------------- */

/* Replay every crash the engine saved, keep one per violation kind and
 * site, minimize it and write it under out/findings.  Returns the number
 * of distinct findings, or -1. */
int campaign_findings(const struct campaign_config *cfg, const char *isofuzz_cmd);

/* --- campaign_replay.c ------------------------------------------------ */

/* Run every input the campaign kept (seeds, corpus, every AFL++ queue and
 * crash) once; the coverage build uses this to measure what the corpus
 * reaches.  Returns the number of inputs replayed, or -1. */
long campaign_replay(const char *out, unsigned *violations);

#endif
