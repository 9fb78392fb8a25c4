/* isofuzz bench: executions per second of the harness on a fixed set of
 * inputs, under several configurations measured in one run.
 *
 * The inputs are the seed corpus plus deterministic mutations of it (the
 * fuzzers' own mutator, seeded by input number), decoded once.  Each
 * configuration needs its own machine, and a process holds one
 * (exec_setup), so every measurement is a child process: it sets up the
 * machine, runs one chunk of the inputs, and reports its count and time
 * through a pipe.  Configurations take turns chunk by chunk, so a burst of
 * load on the machine falls on all of them alike, and every configuration
 * runs exactly the same inputs.  Ratios against the default configuration
 * are what to compare: absolute rates drift with the machine.
 */
#ifndef HARNESS_BENCH_H
#define HARNESS_BENCH_H

#include <stdbool.h>
#include <stdint.h>

#include "program.h"

/* One configuration: oracle mask, simulated RAM (0: the model's default)
 * and CPU count forced on every program (0: each program's own). */
struct bench_config {
	char name[40];
	unsigned oracles;
	uint64_t ram_bytes;
	unsigned ncpus;
	/* results, summed over the chunks */
	uint64_t execs, violations, nanoseconds;
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

/* Run inputs [first, first + count) under c in a child process and add
 * its counts to c (bench_run.c).  Returns 0, or -1 if the child failed. */
int bench_run_chunk(struct bench_config *c, const struct bench_inputs *in, unsigned first,
		    unsigned count);

/* The subcommand (bench.c). */
int cli_bench(int argc, char **argv);

#endif
