/* The deterministic multi-CPU scheduler.  Each simulated CPU runs its steps
 * in program order on a coroutine; at every scheduling point (the start of a
 * step and every arch call inside one) the next schedule choice says which
 * runnable CPU continues.  Once the choices run out, a step that has begun
 * runs to its end and steps start in the order the program lists them; a
 * CPU spinning on a lock hands over to the next runnable CPU above it. */
#ifndef HARNESS_SCHED_H
#define HARNESS_SCHED_H

#include <stdbool.h>

#include "program/program.h"

/* Run step index idx of the program on the current CPU. */
typedef void (*sched_step_fn)(void *ctx, unsigned idx);
/* All CPUs can make no progress (each waits on a lock). */
typedef void (*sched_deadlock_fn)(void *ctx);

int sched_setup(void);      /* coroutine stacks, once */
void sched_teardown(void);

/* A CPU in the middle of step idx runs again. */
typedef void (*sched_resume_fn)(void *ctx, unsigned idx);

struct sched_hooks {
	sched_step_fn step;
	sched_deadlock_fn deadlock;
	sched_resume_fn resume; /* may be NULL */
};

/* Run every step of p; returns when all are done or sched_stop was called. */
void sched_run(const struct program *p, const struct sched_hooks *h, void *ctx);

/* From a coroutine: stop the run; the calling CPU never continues. */
_Noreturn void sched_abandon(void);
/* From anywhere: stop at the next scheduling point. */
void sched_stop(void);
/* A hash of every switch between CPUs in the last run: two runs with the
 * same results but different interleavings differ here. */
uint64_t sched_switch_hash(void);
/* True inside a step's coroutine. */
bool sched_in_cpu(void);

#endif
