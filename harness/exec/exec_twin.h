/* Noninterference: run a program again with only VM-private data changed
 * (the values guests write into pages they never grant) and require that
 * KServ observes exactly the same: hypercall results, its own reads and
 * faults, and the reads of its devices. */
#ifndef HARNESS_EXEC_TWIN_H
#define HARNESS_EXEC_TWIN_H

#include "exec/exec.h"
#include "exec/exec_step.h"

typedef void (*exec_run_fn)(const struct program *p, struct exec_result *r, const struct exec_ctx *x);

/* Only programs where a guest writes and KServ or a device reads can differ. */
bool exec_twin_worth_running(const struct program *p);
/* Runs the twin, when a step KServ observes follows a VM-private write,
 * up to the last such step; on a difference sets a->violated and a->v. */
void exec_twin_check(const struct program *p, struct exec_result *a, exec_run_fn run);

/* Twin runs made and the steps they ran, since the process started. */
struct exec_twin_counts { unsigned long runs, steps; };
void exec_twin_counts(struct exec_twin_counts *out);
/* One twin run b counted into c: a run, and the steps it ran. */
void exec_twin_tally(struct exec_twin_counts *c, const struct exec_result *b);

#endif
