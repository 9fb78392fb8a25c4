/* The contract between the platform, the EL1 host and the guest program
 * (guest/guest.S) about running guest steps.
 *
 * The guest is a command loop: it asks the platform for a command
 * (PLAT_GUEST_WAIT), carries it out at EL1 inside its VM, and reports
 * what it saw (PLAT_GUEST_DONE).  The host hands a command to the guest
 * running on a CPU with PLAT_GUEST_CMD.  The guest runs with its stage-1
 * MMU off, so its virtual addresses are IPAs; whether a data access is
 * cacheable is set per command by the platform through HCR_EL2.DC (1:
 * stage 1 acts as Normal write-back; 0: every data access is
 * Device-nGnRnE, which like Normal-NC bypasses the caches).
 *
 * Numbers only: included by assembly.
 */
#ifndef ARCH_AARCH64_GUEST_ABI_H
#define ARCH_AARCH64_GUEST_ABI_H

/* Command kinds (x0 of PLAT_GUEST_WAIT's answer). */
#define GUEST_CMD_READ 1      /* x1 = ipa: load 8 bytes, report the value */
#define GUEST_CMD_WRITE 2     /* x1 = ipa, x2 = value: store 8 bytes */
#define GUEST_CMD_CALL 3      /* x1 = KCore guest operation, x2 = its argument: HVC */
#define GUEST_CMD_POWER_OFF 4 /* PSCI SYSTEM_OFF by HVC */
#define GUEST_CMD_LEAVE 5     /* platform-internal: the CPU leaves for a reset */

/* PSCI 0.2 SYSTEM_OFF, as a guest calls it (SMC Calling Convention). */
#define PSCI_0_2_SYSTEM_OFF 0x84000008

/* Where the guest's EL1 vectors sit in its page (VBAR needs 2 KiB). */
#define GUEST_VECTORS_OFFSET 0x800

/* Why vcpu_run came back to the host (x1 of its answer; x0 is KCore's
 * result, 0).  x2 and x3 hold the ESR and address of a fault exit. */
#define GUEST_EXIT_CALL 1      /* the guest's exit hypercall */
#define GUEST_EXIT_POWER_OFF 2 /* the guest powered its VM off */
#define GUEST_EXIT_FAULT 3     /* an abort the guest cannot go on from (its code) */
#define GUEST_EXIT_RESET 4     /* the platform reset KCore under it */

#endif
