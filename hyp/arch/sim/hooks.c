/* The harness's hooks into the model: the scheduler's yield and the panic
 * handler.  Both survive sim_init and sim_restore: they belong to whoever
 * drives the machine, not to the machine's state. */
#include <stdio.h>
#include <stdlib.h>

#include "hyp/arch.h"
#include "sim_private.h"

static struct {
	sim_yield_fn yield;
	void *yield_ctx;
	sim_panic_fn panic;
	void *panic_ctx;
} hooks;

void sim_set_yield_hook(sim_yield_fn fn, void *ctx)
{
	hooks.yield = fn;
	hooks.yield_ctx = ctx;
}

void sim_set_panic_hook(sim_panic_fn fn, void *ctx)
{
	hooks.panic = fn;
	hooks.panic_ctx = ctx;
}

bool sim_yield(enum sim_yield_reason why)
{
	if (!hooks.yield)
		return false;
	hooks.yield(hooks.yield_ctx, why);
	return true;
}

/* Per CPU: KCore said its operation returned (arch_call_returning) and no
 * call boundary has passed since. */
static bool returning[ARCH_MAX_CPUS];

void arch_call_returning(void)
{
	if (sim_cpu() < ARCH_MAX_CPUS)
		returning[sim_cpu()] = true;
}

void sim_call_boundary(unsigned cpu)
{
	if (cpu < ARCH_MAX_CPUS)
		returning[cpu] = false;
}

bool sim_call_returning(unsigned cpu)
{
	return cpu < ARCH_MAX_CPUS && returning[cpu];
}

_Noreturn void sim_fatal(const char *why)
{
	sim_emit(EV_PANIC, sim_cpu(), 0, 0, 0, 0);
	if (hooks.panic) {
		hooks.panic(hooks.panic_ctx, why);
	} else {
		fprintf(stderr, "isofuzz machine: panic on cpu %u: %s\n", sim_cpu(), why);
		fflush(stderr);
	}
	abort();
}

_Noreturn void arch_panic(const char *why)
{
	sim_fatal(why);
}
