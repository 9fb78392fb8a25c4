/* Saving and loading the EL1 context.  With HCR_EL2.E2H clear, the *_EL1
 * names reach EL1's own registers from EL2. */
#include "el1_regs.h"

#include "sysreg.h"

void el1_regs_save(struct el1_regs *r)
{
	r->sctlr = read_sysreg(sctlr_el1);
	r->actlr = read_sysreg(actlr_el1);
	r->cpacr = read_sysreg(cpacr_el1);
	r->cntkctl = read_sysreg(cntkctl_el1);
	r->csselr = read_sysreg(csselr_el1);
	r->mdscr = read_sysreg(mdscr_el1);
	r->ttbr0 = read_sysreg(ttbr0_el1);
	r->ttbr1 = read_sysreg(ttbr1_el1);
	r->tcr = read_sysreg(tcr_el1);
	r->mair = read_sysreg(mair_el1);
	r->amair = read_sysreg(amair_el1);
	r->contextidr = read_sysreg(contextidr_el1);
	r->vbar = read_sysreg(vbar_el1);
	r->tpidr = read_sysreg(tpidr_el1);
	r->tpidr_el0 = read_sysreg(tpidr_el0);
	r->tpidrro_el0 = read_sysreg(tpidrro_el0);
	r->sp_el0 = read_sysreg(sp_el0);
	r->sp_el1 = read_sysreg(sp_el1);
	r->elr = read_sysreg(elr_el1);
	r->spsr = read_sysreg(spsr_el1);
	r->esr = read_sysreg(esr_el1);
	r->far = read_sysreg(far_el1);
	r->afsr0 = read_sysreg(afsr0_el1);
	r->afsr1 = read_sysreg(afsr1_el1);
	r->par = read_sysreg(par_el1);
}

void el1_regs_load(const struct el1_regs *r)
{
	write_sysreg(r->sctlr, sctlr_el1);
	write_sysreg(r->actlr, actlr_el1);
	write_sysreg(r->cpacr, cpacr_el1);
	write_sysreg(r->cntkctl, cntkctl_el1);
	write_sysreg(r->csselr, csselr_el1);
	write_sysreg(r->mdscr, mdscr_el1);
	write_sysreg(r->ttbr0, ttbr0_el1);
	write_sysreg(r->ttbr1, ttbr1_el1);
	write_sysreg(r->tcr, tcr_el1);
	write_sysreg(r->mair, mair_el1);
	write_sysreg(r->amair, amair_el1);
	write_sysreg(r->contextidr, contextidr_el1);
	write_sysreg(r->vbar, vbar_el1);
	write_sysreg(r->tpidr, tpidr_el1);
	write_sysreg(r->tpidr_el0, tpidr_el0);
	write_sysreg(r->tpidrro_el0, tpidrro_el0);
	write_sysreg(r->sp_el0, sp_el0);
	write_sysreg(r->sp_el1, sp_el1);
	write_sysreg(r->elr, elr_el1);
	write_sysreg(r->spsr, spsr_el1);
	write_sysreg(r->esr, esr_el1);
	write_sysreg(r->far, far_el1);
	write_sysreg(r->afsr0, afsr0_el1);
	write_sysreg(r->afsr1, afsr1_el1);
	write_sysreg(r->par, par_el1);
}
