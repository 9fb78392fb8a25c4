/* Per-CPU state: which vCPU, if any, a CPU is running.  Each CPU touches
 * only its own entry, so no lock protects it. */
#ifndef KCORE_PERCPU_H
#define KCORE_PERCPU_H

#include <stdbool.h>

struct kcore_cpu {
	unsigned vm;    /* VM handle whose vCPU runs here; 0 in the host */
	unsigned vcpu;
};

void kcore_percpu_reset(void);
/* The calling CPU's entry (panics if arch_cpu_id() is not a booted CPU). */
struct kcore_cpu *kcore_this_cpu(void);
static inline bool kcore_cpu_in_guest(const struct kcore_cpu *c) { return c->vm != 0; }
/* For the read-only view; NULL if cpu is not a booted CPU. */
const struct kcore_cpu *kcore_percpu_peek(unsigned cpu);

/* Load KServ's stage-2 on the calling CPU: it is back in the host. */
void kcore_cpu_enter_host(struct kcore_cpu *c);

#endif
