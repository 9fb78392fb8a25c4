/* The EL1 system registers a world switch swaps: everything the host or a
 * guest may have set for its own EL1 and EL0, so neither sees the other's
 * translation regime, vectors, stacks or exception state. */
#ifndef ARCH_AARCH64_EL1_REGS_H
#define ARCH_AARCH64_EL1_REGS_H

#include <stdint.h>

struct el1_regs {
	uint64_t sctlr, actlr, cpacr, cntkctl, csselr, mdscr;
	uint64_t ttbr0, ttbr1, tcr, mair, amair, contextidr;
	uint64_t vbar, tpidr, tpidr_el0, tpidrro_el0, sp_el0, sp_el1;
	uint64_t elr, spsr, esr, far, afsr0, afsr1, par;
};

void el1_regs_save(struct el1_regs *r);
/* Load r; the caller synchronises (ISB, or the ERET that follows). */
void el1_regs_load(const struct el1_regs *r);

#endif
