/* Coroutines: each simulated CPU runs KCore on its own host stack, and the
 * scheduler switches between them at yield points.  Everything runs on one
 * host thread, so a schedule replays bit for bit. */
#ifndef HARNESS_CORO_H
#define HARNESS_CORO_H

#include <stdbool.h>
#include <stddef.h>

struct coro;
typedef void (*coro_fn)(void *arg);

/* A coroutine with its own stack that will run fn(arg) when first resumed. */
struct coro *coro_create(size_t stack_bytes);
void coro_destroy(struct coro *c);
/* Arm c to run fn(arg) from the top at its next resume (c must be idle or done). */
void coro_start(struct coro *c, coro_fn fn, void *arg);

/* From the scheduler: run c until it yields or fn returns.  Returns true if
 * fn has returned (c is done). */
bool coro_resume(struct coro *c);
/* From inside a coroutine: back to the scheduler. */
void coro_yield(void);
/* The coroutine running now, or NULL on the scheduler's stack. */
struct coro *coro_current(void);

#endif
