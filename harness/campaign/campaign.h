/* A campaign: one output directory that an engine fuzzes into, possibly
 * over several sessions (a stopped campaign resumes where it was), and the
 * findings made from what it saved.
 *
 * The output directory holds
 *   state           key=value lines: configuration and time already spent
 *   stats.csv       the engine's statistics over time, every session: a row
 *                   for every reading as it comes, so a kill loses at most
 *                   the last one; final 1 ends a run, 2 ends a run that
 *                   was killed (written when the campaign resumes).  It
 *                   appears with its header (renamed into place), grows by
 *                   whole rows and is replaced, never cut, when a killed
 *                   run is closed: a reader at any moment finds it whole
 *   logs/           each session's engine output, verbatim
 *   tmp/            the engine's temporary files (TMPDIR), emptied at
 *                   the start and end of every run
 *   seeds/          the text seeds as binary inputs
 *   corpus/         libFuzzer's corpus (also where joined machines share)
 *   crashes/        libFuzzer's crash inputs (crash-SHA1) and the violating
 *                   inputs its target recorded without dying (crash-HASH);
 *                   a libFuzzer campaign's "crashes" figure counts them all
 *   sanitizer/      inputs the sanitizer build reported on, each with
 *                   NAME.txt holding the report
 *   rechecked       names of the inputs already re-run under the sanitizer build
 *   afl/            AFL++'s sync directory (one subdirectory per instance)
 *   findings/KIND/SITE/  program.txt, trace.txt, violation.json, repro.txt
 *   findings.tsv    one line per finding, for the report
 *   machines/NAME/  state, stats.csv and logs of each machine that joined
 */
#ifndef HARNESS_CAMPAIGN_H
#define HARNESS_CAMPAIGN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "campaign/progress/progress.h"

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
	const char *recheck;      /* libFuzzer: the ASan+UBSan build that re-runs every
				   * new corpus input and crash, optional */
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
	uint64_t execs_before;    /* libFuzzer: executions of finished runs (it counts per run);
				   * AFL++ (which carries its count over): executions
				   * a kill -9 took from its count */
	unsigned interrupted;     /* sessions that were stopped before their time */
};

/* Everything a running session needs. */
struct campaign {
	struct campaign_config cfg;
	struct campaign_state st;
	uint64_t session_start;   /* spent when this session began */
	uint64_t clock_start_ms;  /* campaign_now_ms() when it began: whole seconds
				   * of each end would make spent one off */
	struct engine_stats last; /* the engine's latest statistics this session */
	struct progress prog;
	bool ticked;              /* the state was saved this session */
	bool budget_spent;        /* the fuzzing is over: the clock no longer moves
				   * spent (the last re-check is not fuzzing time) */
	bool stop_announced;      /* "stopping" was printed */
	char log[CAMPAIGN_PATH_MAX];
};

/* --- campaign_state.c ------------------------------------------------- */

/* Read DIR/state into st (zeroes when there is none).  A state written
 * for another engine or target is refused (-1, with a message): mixing
 * them in one directory would make its statistics meaningless.  A run
 * that was killed is closed here: its last recorded reading becomes its
 * final row (final 2), and every run's executions count. */
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
 * 1 when it was interrupted (SIGINT, SIGTERM, SIGHUP), -1 when it could
 * not run. */
int campaign_run_libfuzzer(struct campaign *c, const char *seeds, unsigned seconds);
int campaign_run_afl(struct campaign *c, const char *seeds, unsigned seconds);
/* The executions AFL++ will resume from: execs_done of this machine's
 * instances as their fuzzer_stats say (written at most a minute apart, so
 * after a kill -9 less than the campaign recorded from plot_data). */
uint64_t campaign_afl_saved_execs(const struct campaign_config *cfg);

/* --- campaign_session.c ----------------------------------------------- */

/* Milliseconds on a monotonic clock: campaigns are budgeted in wall time,
 * the only place the harness reads a clock (and a libFuzzer run's deadline,
 * which its processes read from ISOFUZZ_RUN_DEADLINE_MS). */
uint64_t campaign_now_ms(void);
/* SIGINT/SIGTERM/SIGHUP set a flag instead of killing us, so the session
 * can stop its engine and save its state. */
void campaign_catch_signals(void);
bool campaign_stop_requested(void);
/* The same, printing "stopping" the first time it is true. */
bool campaign_stopping(struct campaign *c);
/* Every execution of every session so far, this one's latest reading included. */
uint64_t campaign_total_execs(const struct campaign *c);
/* Called often (every 100 ms or so) and for every new engine statistic:
 * a fresh reading is appended to the history at once; out/state and the
 * progress line change once a second. */
void campaign_tick(struct campaign *c, const struct engine_stats *fresh);

/* --- campaign_procs.c ------------------------------------------------- */

/* Fork and exec argv in its own process group with stdout and stderr into
 * log_fd (or, with out_pipe, a pipe whose read end is returned there).
 * The child gets SIGKILL if we die, so a killed campaign leaves no engine
 * behind. */
int campaign_spawn(char *const argv[], int log_fd, int *out_pipe);
/* Whether the engine `pid` has ended (waiting for it with block); when it
 * has, whatever is left in its process group is killed, it is reaped and
 * its wait status stored in *status (if not NULL). */
bool campaign_reap(int pid, bool block, int *status);
/* Stop every engine: SIGTERM to each group, then SIGKILL to what is left
 * after a short grace; all are reaped and their pids set to -1. */
void campaign_stop_children(int *pids, unsigned n);

/* --- campaign_recheck.c ----------------------------------------------- */

/* Re-run every corpus input and crash not yet rechecked under cfg.recheck
 * (the sanitizer build); each input it reports on is kept in
 * DIR/sanitizer.  Returns the number of new sanitizer reports, or -1. */
int campaign_recheck(struct campaign *c);

/* --- campaign_files.c ------------------------------------------------- */

bool campaign_join(char *buf, unsigned long n, const char *dir, const char *name);
int campaign_mkdirs(const char *path);
/* The names in dir that start with prefix, sorted (readdir order is not
 * stable), in a NULL-terminated array to free with campaign_free_names.
 * NULL when dir cannot be read. */
char **campaign_list(const char *dir, const char *prefix);
void campaign_free_names(char **names);
/* How many names campaign_list would give (0 when dir cannot be read). */
unsigned long campaign_count(const char *dir, const char *prefix);
/* Remove everything inside dir (not dir itself); 0 when it is empty after. */
int campaign_empty_dir(const char *dir);
/* Write text as path through path.tmp and a rename: a reader finds no
 * file or the whole text, never a part of it. */
int campaign_write_new(const char *path, const char *text);

/* --- campaign_findings.c ---------------------------------------------- */

/* Replay every crash the engine saved, keep one per violation kind and
 * site, minimize it and write it under out/findings.  Returns the number
 * of distinct findings, -1 on failure, or CAMPAIGN_STOPPED when a stop
 * was requested (between crashes or findings; the same command makes
 * them again). */
#define CAMPAIGN_STOPPED (-130)
int campaign_findings(const struct campaign_config *cfg, const char *isofuzz_cmd);

/* --- campaign_sanitizer.c -------------------------------------------- */

/* One finding per kind and site of sanitizer report in DIR/sanitizer,
 * written under out/findings/sanitizer and as lines of tsv.  Returns
 * how many. */
int campaign_sanitizer_findings(const struct campaign_config *cfg, FILE *tsv);
/* The build directory a fuzz binary (BUILD/harness/NAME) comes from, for
 * saying which build found what. */
const char *campaign_build_name(const char *binary);

/* --- campaign_replay.c ------------------------------------------------ */

/* Run every input the campaign kept (seeds, corpus, every AFL++ queue and
 * crash) once; the coverage build uses this to measure what the corpus
 * reaches.  Returns the number of inputs replayed, or -1. */
long campaign_replay(const char *out, unsigned *violations);

#endif
