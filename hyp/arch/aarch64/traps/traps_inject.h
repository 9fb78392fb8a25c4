/* Exceptions the hypervisor delivers to EL1 as if the CPU had raised them
 * there (traps.c). */
#ifndef ARCH_AARCH64_TRAPS_INJECT_H
#define ARCH_AARCH64_TRAPS_INJECT_H

#include <stdbool.h>
#include <stdint.h>

#include "trap.h"

/* An undefined-instruction exception at the interrupted instruction. */
void trap_inject_undef(struct trap_frame *f);
/* A synchronous external abort for the abort described by esr (ESR_EL2). */
void trap_inject_external_abort(struct trap_frame *f, uint64_t esr);

/* The stage-2 abort last refused on this CPU (ESR_EL2 and IPA), which is
 * then forgotten; false if none since the last call. */
bool trap_last_refused(uint64_t *esr, uint64_t *ipa);

#endif
