/* Synchronous exceptions from EL1: hypercalls and stage-2 aborts.
 *
 * A guest's exceptions go to world.c.  From the host: hypercall x0 =
 * operation, x1..x3 = arguments, results from x0.  Platform calls
 * (platform_call.h) are answered by platform_calls.c, every other number
 * goes to the core (world.c, which enters the guest on a successful
 * vcpu_run).  Stage-2 abort: the core may map the page (the access is then
 * retried) or refuse, in which case the host gets the abort it would get
 * from a bus that rejects the access: a synchronous external abort,
 * delivered through its own vectors.
 */
#include "trap.h"

#include <stdbool.h>

#include "arch_aarch64.h"
#include "core/core.h"
#include "firmware/psci.h"
#include "hyp/arch.h"
#include "lib/console.h"
#include "platform_call.h"
#include "platform_calls.h"
#include "sysreg.h"
#include "traps_inject.h"
#include "world/world.h"

/* An access the core keeps "fixing" yet keeps faulting would hang the
 * host: after this many faults in a row at one instruction and page, the
 * host gets the abort instead.  A hypercall in between ends the row: the
 * host did something else, so a later fault there is a new access. */
#define FAULT_RETRY_LIMIT 4

struct fault_streak {
	uint64_t elr, page;
	unsigned count;
};
static struct fault_streak streak[ARCH_MAX_CPUS];

/* The last stage-2 abort refused on each CPU, for PLAT_LAST_FAULT: the
 * injected external abort does not say which fault the stage-2 took. */
struct refused_fault {
	uint64_t esr, ipa;
};
static struct refused_fault refused[ARCH_MAX_CPUS];

/* Vector offsets from VBAR_EL1 (Arm ARM D1.10.2). */
#define VEC_CURRENT_SP0 0x000
#define VEC_CURRENT_SPX 0x200
#define VEC_LOWER_A64 0x400
#define SPSR_M_MASK 0xfull
#define SPSR_M_EL1T 0x4ull
#define SPSR_M_EL1H 0x5ull

/* Deliver a synchronous exception to EL1 as if the CPU had raised it
 * there: EL1's syndrome registers describe it, the frame returns to EL1's
 * vector with the interrupted state saved in ELR_EL1/SPSR_EL1. */
static void inject_el1_sync(struct trap_frame *f, uint64_t esr, uint64_t far)
{
	uint64_t mode = f->spsr & SPSR_M_MASK;
	uint64_t offset = mode == SPSR_M_EL1H ? VEC_CURRENT_SPX :
			  mode == SPSR_M_EL1T ? VEC_CURRENT_SP0 : VEC_LOWER_A64;

	write_sysreg(esr, esr_el1);
	write_sysreg(far, far_el1);
	write_sysreg(f->elr, elr_el1);
	write_sysreg(f->spsr, spsr_el1);
	f->elr = read_sysreg(vbar_el1) + offset;
	f->spsr = SPSR_EL1H_MASKED;
}

void trap_inject_external_abort(struct trap_frame *f, uint64_t esr)
{
	unsigned ec = esr_ec(esr) == ESR_EC_IABT_LOW ? ESR_EC_IABT_CUR : ESR_EC_DABT_CUR;
	uint64_t iss = FSC_EXTERNAL;

	/* Data aborts keep whether the access was a write. */
	if (ec == ESR_EC_DABT_CUR)
		iss |= esr & ESR_ABT_WNR;
	inject_el1_sync(f, (uint64_t)ec << ESR_EC_SHIFT | ESR_IL | iss, read_sysreg(far_el2));
}

void trap_inject_undef(struct trap_frame *f)
{
	inject_el1_sync(f, (uint64_t)ESR_EC_UNKNOWN << ESR_EC_SHIFT | ESR_IL, 0);
}

static bool fault_is_retryable(uint64_t esr)
{
	/* Translation (0b0001LL) and access flag (0b0010LL) faults: the ones
	 * a missing or new mapping explains, and the ones that fill HPFAR. */
	uint64_t fsc = esr & ESR_ABT_FSC_MASK;
	return (fsc >> 2) == 1 || (fsc >> 2) == 2;
}

static void handle_stage2_abort(struct trap_frame *f, uint64_t esr)
{
	/* HPFAR_EL2.FIPA holds IPA[51:12]; the page offset comes from FAR,
	 * except on a stage-1 table walk, where FAR is the walk's input. */
	uint64_t page = (read_sysreg(hpfar_el2) >> 4) << 12;
	uint64_t pa = page;
	if ((esr & (ESR_ABT_S1PTW | ESR_ABT_FNV)) == 0)
		pa |= read_sysreg(far_el2) & 0xfff;
	struct refused_fault *r = &refused[arch_cpu_id()];

	if (!fault_is_retryable(esr)) {
		*r = (struct refused_fault){ esr, pa };
		trap_inject_external_abort(f, esr);
		return;
	}

	struct fault_streak *s = &streak[arch_cpu_id()];
	if (s->elr == f->elr && s->page == page) {
		s->count++;
	} else {
		s->elr = f->elr;
		s->page = page;
		s->count = 1;
	}
	if (s->count <= FAULT_RETRY_LIMIT && core_kserv_fault(pa) >= 0)
		return;
	s->count = 0;
	*r = (struct refused_fault){ esr, pa };
	trap_inject_external_abort(f, esr);
}

bool trap_last_refused(uint64_t *esr, uint64_t *ipa)
{
	struct refused_fault *r = &refused[arch_cpu_id()];

	if (r->esr == 0)
		return false;
	*esr = r->esr;
	*ipa = r->ipa;
	*r = (struct refused_fault){ 0, 0 };
	return true;
}

void hyp_trap_lower(struct trap_frame *f)
{
	uint64_t esr = read_sysreg(esr_el2);

	if (world_in_guest()) {
		world_guest_trap(f, esr);
		return;
	}
	switch (esr_ec(esr)) {
	case ESR_EC_HVC64:
		streak[arch_cpu_id()].count = 0;
		if (f->x[0] >= PLAT_CALL_BASE && f->x[0] < PLAT_CALL_LIMIT)
			platform_host_call(f);
		else
			world_host_call(f);
		break;
	case ESR_EC_SMC64:
		/* Firmware belongs to the hypervisor (HCR_EL2.TSC): the host
		 * is told the call does not exist.  ELR points at the SMC. */
		f->x[0] = (uint64_t)(int64_t)PSCI_NOT_SUPPORTED;
		f->elr += 4;
		break;
	case ESR_EC_IABT_LOW:
	case ESR_EC_DABT_LOW:
		handle_stage2_abort(f, esr);
		break;
	default:
		trap_inject_undef(f);
		break;
	}
}

static const char *const bad_kind_name[16] = {
	"sync (EL2, SP0)", "irq (EL2, SP0)", "fiq (EL2, SP0)", "serror (EL2, SP0)",
	"sync (EL2)", "irq (EL2)", "fiq (EL2)", "serror (EL2)",
	"sync (EL1)", "irq (EL1)", "fiq (EL1)", "serror (EL1)",
	"sync (AArch32)", "irq (AArch32)", "fiq (AArch32)", "serror (AArch32)",
};

_Noreturn void hyp_bad_exception(struct trap_frame *f, uint64_t kind)
{
	kprintf_unlocked("isofuzz-hyp: unexpected %s on cpu %u: ESR %lx ELR %lx FAR %lx LR %lx\n",
			 bad_kind_name[kind & 15], arch_cpu_id(), read_sysreg(esr_el2), f->elr,
			 read_sysreg(far_el2), f->x[30]);
	arch_panic("unexpected exception");
}
