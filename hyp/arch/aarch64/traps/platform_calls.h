/* The host's platform calls (platform_call.h), answered at EL2. */
#ifndef ARCH_AARCH64_PLATFORM_CALLS_H
#define ARCH_AARCH64_PLATFORM_CALLS_H

#include "trap.h"

/* f->x[0] is in the platform range; the answer goes back in f. */
void platform_host_call(struct trap_frame *f);

#endif
