/* Which world each CPU runs at EL1 (the host or a guest), and the switch
 * between them.
 *
 * A successful vcpu_run does not return to the host: the hypervisor saves
 * the host's context (its trap frame and EL1 registers), loads the vCPU's
 * and returns from the exception into the guest, under the VM's stage-2
 * that KCore has just loaded.  When the guest exits or powers its VM off
 * (or the platform resets KCore), the guest's context is saved and the
 * host's vcpu_run hypercall returns: x0 = KCore's result (0), x1 = why
 * (GUEST_EXIT_*), x2 and x3 = syndrome and address of a fault exit.
 */
#ifndef ARCH_AARCH64_WORLD_H
#define ARCH_AARCH64_WORLD_H

#include <stdbool.h>
#include <stdint.h>

#include "traps/trap.h"

/* True if this CPU (or cpu) runs a guest at EL1. */
bool world_in_guest(void);
bool world_cpu_in_guest(unsigned cpu);

/* A hypercall of the host's for the core: answered in f, or, for a
 * successful vcpu_run, f becomes the guest's context. */
void world_host_call(struct trap_frame *f);

/* Any exception from a guest. */
void world_guest_trap(struct trap_frame *f, uint64_t esr);

/* Where the VM's vCPUs start (PLAT_VM_ENTRY); 0 means its image's first
 * page.  PLAT_E_ARG for a VM handle out of range. */
int64_t world_set_vm_entry(uint64_t vm, uint64_t ipa);

/* The platform reset KCore: every vCPU context and entry is gone. */
void world_reset(void);

#endif
