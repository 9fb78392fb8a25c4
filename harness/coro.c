/* Coroutines on ucontext.  makecontext/swapcontext are POSIX-2001 and
 * available on every glibc target; the sanitizer fiber hooks keep ASan's
 * view of the stack right when we switch. */
#define _GNU_SOURCE
#include "coro.h"

#include <stdio.h>
#include <stdlib.h>
#include <ucontext.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CORO_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define CORO_ASAN 1
#endif

#ifdef CORO_ASAN
void __sanitizer_start_switch_fiber(void **fake_stack_save, const void *bottom, size_t size);
void __sanitizer_finish_switch_fiber(void *fake_stack_save, const void **bottom_old, size_t *size_old);
#endif

struct coro {
	ucontext_t ctx;
	void *stack;
	size_t stack_bytes;
	coro_fn fn;
	void *arg;
	bool done;
};

static ucontext_t sched_ctx;
static struct coro *running;
#ifdef CORO_ASAN
static const void *sched_stack_bottom;
static size_t sched_stack_size;
#endif

struct coro *coro_create(size_t stack_bytes)
{
	struct coro *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->stack = malloc(stack_bytes);
	if (!c->stack) {
		free(c);
		return NULL;
	}
	c->stack_bytes = stack_bytes;
	c->done = true;
	return c;
}

void coro_destroy(struct coro *c)
{
	if (!c)
		return;
	free(c->stack);
	free(c);
}

static void coro_entry(void)
{
	struct coro *c = running;
#ifdef CORO_ASAN
	__sanitizer_finish_switch_fiber(NULL, &sched_stack_bottom, &sched_stack_size);
#endif
	c->fn(c->arg);
	c->done = true;
	running = NULL;
#ifdef CORO_ASAN
	__sanitizer_start_switch_fiber(NULL, sched_stack_bottom, sched_stack_size);
#endif
	setcontext(&sched_ctx);
	abort(); /* setcontext does not return */
}

void coro_start(struct coro *c, coro_fn fn, void *arg)
{
	if (getcontext(&c->ctx) != 0)
		abort();
	c->ctx.uc_stack.ss_sp = c->stack;
	c->ctx.uc_stack.ss_size = c->stack_bytes;
	c->ctx.uc_link = NULL;
	c->fn = fn;
	c->arg = arg;
	c->done = false;
	makecontext(&c->ctx, coro_entry, 0);
}

bool coro_resume(struct coro *c)
{
	if (c->done)
		return true;
	running = c;
#ifdef CORO_ASAN
	void *fake = NULL;
	__sanitizer_start_switch_fiber(&fake, c->stack, c->stack_bytes);
#endif
	if (swapcontext(&sched_ctx, &c->ctx) != 0)
		abort();
#ifdef CORO_ASAN
	__sanitizer_finish_switch_fiber(fake, NULL, NULL);
#endif
	return c->done;
}

void coro_yield(void)
{
	struct coro *c = running;
	if (!c)
		return; /* on the scheduler's stack: nothing to yield to */
	running = NULL;
#ifdef CORO_ASAN
	void *fake = NULL;
	__sanitizer_start_switch_fiber(&fake, sched_stack_bottom, sched_stack_size);
#endif
	if (swapcontext(&c->ctx, &sched_ctx) != 0)
		abort();
#ifdef CORO_ASAN
	__sanitizer_finish_switch_fiber(fake, &sched_stack_bottom, &sched_stack_size);
#endif
	running = c;
}

struct coro *coro_current(void)
{
	return running;
}
