/* What the harness tests share: one executor per process, set up for a
 * target and an oracle mask; programs from the corpus or from text; a
 * deterministic generator for random schedules and inputs. */
#ifndef TESTS_HARNESS_FIXTURE_H
#define TESTS_HARNESS_FIXTURE_H

#include <stdint.h>

#include "check.h"
#include "exec/exec.h"
#include "program/pools.h"
#include "program/program.h"

/* (Re)create the executor; a failed case may have left the last one up. */
void hf_setup(const struct hyp_target *t, unsigned oracles);
void hf_teardown(void);
const struct program_pools *hf_pools(void);

/* A corpus program by its path from the source root ("corpus/seeds/x.txt"). */
void hf_load(const char *rel_path, struct program *p);
/* A program from text (PROGRAM.md's text form). */
void hf_parse(const char *text, struct program *p);

/* Replace p's schedule. */
void hf_set_schedule(struct program *p, const uint8_t *choices, unsigned n);

/* Two runs gave the same trace: every observation, completion order
 * included, and the same verdict. */
int hf_same_trace(const struct exec_result *a, const struct exec_result *b);

/* xorshift64*: the same numbers on every host and build. */
struct hf_rng { uint64_t s; };
uint64_t hf_rand(struct hf_rng *r);

/* Print the violation and the trace of a run that should have been clean,
 * then fail the case. */
_Noreturn void hf_fail_run(const char *what, const struct program *p, const struct exec_result *r);

#endif
