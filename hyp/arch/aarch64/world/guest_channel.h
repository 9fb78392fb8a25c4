/* The command channel between the host and the guest running on a CPU
 * (guest_abi.h): one slot per CPU, one command at a time.  The host's
 * hypercall and the guest's meet here at EL2, each waiting on its own
 * CPU for the other. */
#ifndef ARCH_AARCH64_GUEST_CHANNEL_H
#define ARCH_AARCH64_GUEST_CHANNEL_H

#include <stdbool.h>
#include <stdint.h>

#include "traps/trap.h"

struct guest_result {
	uint64_t value; /* the value read, or the hypercall's answer */
	uint64_t esr;   /* the fault the access took: ESR_EL2 of a stage-2
			 * abort, ESR_EL1 of an exception at the guest's EL1 */
	uint64_t far;   /* its address (the IPA) */
};

/* Host side: hand the command to the guest waiting on cpu and wait for its
 * result.  0, or PLAT_E_NO_GUEST (no guest waits there, or cpu is this
 * one), PLAT_E_ARG (cpu out of range) or PLAT_E_BUSY (another CPU is
 * handing that guest a command). */
int64_t channel_command(unsigned cpu, uint64_t kind, bool nc, uint64_t a, uint64_t b,
			struct guest_result *out);
/* True if a guest takes commands on cpu (from its first wait until it
 * leaves); its VM and vCPU. */
bool channel_guest_serving(unsigned cpu, unsigned *vm, unsigned *vcpu);

/* Guest side, on its own CPU: wait for the next command and put it in the
 * frame (x0 = kind, x1, x2 = operands).  Returns the kind and whether the
 * access is non-cacheable. */
uint64_t channel_wait(struct trap_frame *f, unsigned vm, unsigned vcpu, bool *nc);
/* The guest reports the command done. */
void channel_done(uint64_t value, uint64_t esr, uint64_t far);
/* The current command's access took a stage-2 abort (it wins over
 * whatever the guest reports afterwards). */
void channel_stage2_fault(uint64_t esr, uint64_t ipa);
/* The vCPU left its VM (exit, power off, a fault exit): it takes no more
 * commands, and the one it was carrying out is done with the hypercall's
 * answer. */
void channel_vcpu_left(int64_t ret);

/* Reset side: tell the guest on cpu to leave (it parks for the reset),
 * without waiting.  Then, with every CPU parked, forget everything. */
void channel_post_leave(unsigned cpu);
void channel_reset(void);

#endif
