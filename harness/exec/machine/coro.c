/* Coroutines.  On x86-64 a switch saves the callee-saved registers on the
 * current stack and swaps stack pointers (coro_switch below): no system
 * call, where swapcontext spends one (rt_sigprocmask) on every switch.
 * Elsewhere ucontext does it.  The sanitizer fiber hooks keep ASan's view
 * of the stack right when we switch. */
#define _GNU_SOURCE
#include "exec/machine/coro.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#if defined(__x86_64__)
#define CORO_ASM 1
#else
#include <ucontext.h>
#endif

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

#ifdef CORO_ASM
/* A saved context is the stack pointer; the registers sit on that stack. */
typedef void *coro_ctx;
/* Save the callee-saved registers and the stack pointer into *from, load
 * to's and return on its stack. */
void isofuzz_coro_switch(coro_ctx *from, coro_ctx to);
__asm__(".text\n"
	".globl isofuzz_coro_switch\n"
	".type isofuzz_coro_switch,@function\n"
	"isofuzz_coro_switch:\n"
	"\tpushq %rbp\n\tpushq %rbx\n\tpushq %r12\n\tpushq %r13\n\tpushq %r14\n\tpushq %r15\n"
	"\tmovq %rsp, (%rdi)\n"
	"\tmovq %rsi, %rsp\n"
	"\tpopq %r15\n\tpopq %r14\n\tpopq %r13\n\tpopq %r12\n\tpopq %rbx\n\tpopq %rbp\n"
	"\tret\n"
	".size isofuzz_coro_switch, .-isofuzz_coro_switch\n");
#else
typedef ucontext_t coro_ctx;
#endif

struct coro {
	coro_ctx ctx;
	void *stack;
	size_t stack_bytes;
	coro_fn fn;
	void *arg;
	bool done;
};

static coro_ctx sched_ctx;
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

/* From coroutine c (or the scheduler, c NULL) to the other side. */
static void switch_to(coro_ctx *from, coro_ctx *to)
{
#ifdef CORO_ASM
	isofuzz_coro_switch(from, *to);
#else
	if (swapcontext(from, to) != 0)
		abort();
#endif
}

static _Noreturn void coro_entry(void)
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
	coro_ctx dead;
	switch_to(&dead, &sched_ctx);
	abort(); /* a finished coroutine is never resumed */
}

void coro_start(struct coro *c, coro_fn fn, void *arg)
{
	c->fn = fn;
	c->arg = arg;
	c->done = false;
#ifdef CORO_ASM
	/* A stack as isofuzz_coro_switch leaves it: six registers, then the
	 * address to return to (coro_entry), then a slot standing for
	 * coro_entry's own return address, so it starts with the stack
	 * aligned as after a call. */
	uintptr_t top = ((uintptr_t)c->stack + c->stack_bytes) & ~(uintptr_t)15;
	void **sp = (void **)top;
	*--sp = NULL;
	*--sp = (void *)(uintptr_t)coro_entry;
	for (int i = 0; i < 6; i++)
		*--sp = NULL;
	c->ctx = sp;
#else
	if (getcontext(&c->ctx) != 0)
		abort();
	c->ctx.uc_stack.ss_sp = c->stack;
	c->ctx.uc_stack.ss_size = c->stack_bytes;
	c->ctx.uc_link = NULL;
	makecontext(&c->ctx, (void (*)(void))coro_entry, 0);
#endif
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
	switch_to(&sched_ctx, &c->ctx);
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
	switch_to(&c->ctx, &sched_ctx);
#ifdef CORO_ASAN
	__sanitizer_finish_switch_fiber(fake, &sched_stack_bottom, &sched_stack_size);
#endif
	running = c;
}

struct coro *coro_current(void)
{
	return running;
}
