/* isofuzz bench: executions per second of the harness on a fixed set of
 * inputs, under several configurations measured in one run.
 *
 * The inputs are the seed corpus plus deterministic mutations of it (the
 * fuzzers' own mutator, seeded by input number), decoded once.  Each
 * configuration needs its own machine, and a process holds one
 * (exec_setup), so each configuration has a long-lived worker process, set
 * up and warmed once as a fuzz target is, that runs the chunks of inputs
 * it is asked for and reports counts and times through a pipe.
 * Configurations take turns chunk by chunk, so a burst of load on the
 * machine falls on all of them alike, and every configuration runs
 * exactly the same inputs.  Ratios measured in one run are what to
 * compare: absolute rates drift with the machine.
 */
#ifndef HARNESS_BENCH_H
#define HARNESS_BENCH_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "program/program.h"

/* One configuration: oracle mask, simulated RAM (0: the model's default)
 * and CPU count forced on every program (0: each program's own). */
struct bench_config {
	char name[40];
	unsigned oracles;
	uint64_t ram_bytes;
	unsigned ncpus;
	bool strict_order;  /* the relaxed machine model off */
	/* results, summed over the chunks */
	uint64_t execs, violations, nanoseconds;
	/* its worker */
	pid_t pid;
	int cmd_fd, res_fd;
};

/* The input set (bench_inputs.c). */
struct bench_inputs {
	unsigned n;
	struct program *prog;   /* n programs */
};

/* Decode every text program in dir and add `mutations` inputs made by the
 * mutator from earlier ones.  Returns 0, or -1 with a message printed. */
int bench_inputs_load(struct bench_inputs *in, const char *dir, unsigned mutations);
void bench_inputs_free(struct bench_inputs *in);

/* The length rows' inputs (bench_lengths.c): for each of
 * bench_length_steps[j] steps after a VM's boot, input j grows the state
 * (a page more for KServ and for the VM every 3 steps) and input
 * BENCH_LENGTHS + j keeps it flat.  The first BENCH_WINDOW lengths are
 * the early window, the last BENCH_WINDOW the late one. */
#define BENCH_WINDOW 5
#define BENCH_LENGTHS (2 * BENCH_WINDOW)
extern const unsigned bench_length_steps[BENCH_LENGTHS];
int bench_lengths_load(struct bench_inputs *in);
/* The length rows, measured and printed (bench_length_rows.c); 0 or -1. */
int bench_length_rows(unsigned passes);

/* c's worker process, set up for in (bench_run.c); 0 or -1. */
int bench_worker_start(struct bench_config *c, const struct bench_inputs *in);
/* Run inputs [first, first + count) of the worker's set, each reps times,
 * and add the counts to c.  Returns 0, or -1 if the worker failed. */
int bench_run_chunk(struct bench_config *c, unsigned first, unsigned count, unsigned reps);
/* End the worker; -1 if it failed. */
int bench_worker_stop(struct bench_config *c);

/* The subcommand (bench.c). */
int cli_bench(int argc, char **argv);

#endif
