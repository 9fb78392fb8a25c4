/* World switches between the host and guests at EL1. */
#include "world.h"

#include "boot/reset.h"
#include "boot/start_defs.h"
#include "core/core.h"
#include "el1_regs.h"
#include "firmware/psci.h"
#include "guest/guest_abi.h"
#include "guest_channel.h"
#include "hyp/arch.h"
#include "hyp/kcore.h"
#include "sysreg.h"
#include "traps/platform_call.h"
#include "traps/traps_inject.h"

struct vcpu_context {
	bool started;
	struct trap_frame frame;
	struct el1_regs el1;
};

struct cpu_world {
	bool in_guest;
	unsigned vm, vcpu;
	bool cacheable; /* HCR_EL2.DC while the guest runs */
	struct trap_frame host_frame;
	struct el1_regs host_el1;
};

static struct cpu_world world[ARCH_MAX_CPUS];
/* Indexed by VM handle (1..KCORE_MAX_VMS) and vCPU.  A vCPU runs on one
 * CPU at a time (KCore's ACTIVE state), which alone touches its context. */
static struct vcpu_context vcpus[KCORE_MAX_VMS + 1][KCORE_MAX_VCPUS];
static uint64_t vm_entry[KCORE_MAX_VMS + 1];

static struct cpu_world *this_world(void)
{
	return &world[arch_cpu_id()];
}

bool world_in_guest(void)
{
	return this_world()->in_guest;
}

bool world_cpu_in_guest(unsigned cpu)
{
	return cpu < ARCH_MAX_CPUS && __atomic_load_n(&world[cpu].in_guest, __ATOMIC_ACQUIRE);
}

int64_t world_set_vm_entry(uint64_t vm, uint64_t ipa)
{
	if (vm == 0 || vm > KCORE_MAX_VMS)
		return PLAT_E_ARG;
	__atomic_store_n(&vm_entry[vm], ipa, __ATOMIC_RELEASE);
	return 0;
}

void world_reset(void)
{
	for (unsigned vm = 0; vm <= KCORE_MAX_VMS; vm++) {
		vm_entry[vm] = 0;
		for (unsigned v = 0; v < KCORE_MAX_VCPUS; v++)
			vcpus[vm][v].started = false;
	}
}

/* A new VM in a reused slot starts from nothing. */
static void forget_vm(unsigned vm)
{
	for (unsigned v = 0; v < KCORE_MAX_VCPUS; v++)
		vcpus[vm][v].started = false;
	__atomic_store_n(&vm_entry[vm], 0, __ATOMIC_RELEASE);
}

/* HCR_EL2.DC decides whether the guest's MMU-off data accesses are
 * cacheable; TLB entries may hold the old attributes, so they go. */
static void set_cacheable(struct cpu_world *w, bool cacheable)
{
	if (w->cacheable == cacheable)
		return;
	w->cacheable = cacheable;
	write_sysreg(HCR_HOST | HCR_VM | (cacheable ? HCR_DC : 0), hcr_el2);
	isb();
	__asm__ volatile("tlbi vmalle1; dsb nsh; isb" : : : "memory");
}

static void first_context(struct vcpu_context *c, unsigned vm)
{
	uint64_t entry = __atomic_load_n(&vm_entry[vm], __ATOMIC_ACQUIRE);

	/* Unset: the image's first page (left at 0 if the VM has none). */
	if (entry == 0)
		core_vm_image_ipa(vm, &entry);
	c->frame = (struct trap_frame){ .elr = entry, .spsr = SPSR_EL1H_MASKED };
	c->el1 = (struct el1_regs){ .sctlr = SCTLR_EL1_RES1 | SCTLR_EL1_C | SCTLR_EL1_I };
	c->started = true;
}

static void enter_guest(struct trap_frame *f, unsigned vm, unsigned vcpu)
{
	struct cpu_world *w = this_world();
	struct vcpu_context *c = &vcpus[vm][vcpu];

	w->host_frame = *f;
	el1_regs_save(&w->host_el1);
	if (!c->started)
		first_context(c, vm);
	el1_regs_load(&c->el1);
	*f = c->frame;
	__atomic_store_n(&w->in_guest, true, __ATOMIC_RELEASE);
	w->vm = vm;
	w->vcpu = vcpu;
	w->cacheable = false;
	set_cacheable(w, true);
}

/* Back to the host's context, its vcpu_run answering why. */
static void return_to_host(struct trap_frame *f, uint64_t why, uint64_t esr, uint64_t far)
{
	struct cpu_world *w = this_world();

	el1_regs_load(&w->host_el1);
	*f = w->host_frame;
	f->x[0] = 0;
	f->x[1] = why;
	f->x[2] = esr;
	f->x[3] = far;
	__atomic_store_n(&w->in_guest, false, __ATOMIC_RELEASE);
	write_sysreg(HCR_HOST | HCR_VM, hcr_el2);
	isb();
}

static void leave_guest(struct trap_frame *f, uint64_t why, uint64_t esr, uint64_t far)
{
	struct cpu_world *w = this_world();
	struct vcpu_context *c = &vcpus[w->vm][w->vcpu];

	c->frame = *f;
	el1_regs_save(&c->el1);
	return_to_host(f, why, esr, far);
}

void world_host_call(struct trap_frame *f)
{
	uint64_t op = f->x[0], a0 = f->x[1], a1 = f->x[2];
	int64_t ret = core_host_call(op, a0, a1, f->x[3]);

	if (op == HVC_REGISTER_VM && ret > 0 && ret <= KCORE_MAX_VMS)
		forget_vm((unsigned)ret);
	if (op == HVC_VCPU_RUN && ret == 0 && core_cpu_in_guest()) {
		/* Returning to the host now would run it under the VM's
		 * stage-2: the handles KCore accepted must be in range. */
		if (a0 == 0 || a0 > KCORE_MAX_VMS || a1 >= KCORE_MAX_VCPUS)
			arch_panic("vcpu_run accepted a handle out of range");
		enter_guest(f, (unsigned)a0, (unsigned)a1);
		return;
	}
	f->x[0] = (uint64_t)ret;
}

static void guest_wait(struct trap_frame *f)
{
	struct cpu_world *w = this_world();
	bool nc;

	if (channel_wait(f, w->vm, w->vcpu, &nc) == GUEST_CMD_LEAVE) {
		/* KCore is about to be set up again: the vCPU is gone with
		 * it, so its context is not kept. */
		reset_park();
		return_to_host(f, GUEST_EXIT_RESET, 0, 0);
		return;
	}
	set_cacheable(w, !nc);
}

static void guest_hvc(struct trap_frame *f)
{
	uint64_t op = f->x[0];

	if (op == PLAT_GUEST_WAIT) {
		guest_wait(f);
		return;
	}
	if (op == PLAT_GUEST_DONE) {
		channel_done(f->x[1], f->x[2], f->x[3]);
		f->x[0] = 0;
		return;
	}
	/* The host's platform calls (DMA, the verdict...) are not a guest's. */
	if (op >= PLAT_CALL_BASE && op < PLAT_CALL_LIMIT) {
		f->x[0] = (uint64_t)(int64_t)PLAT_E_UNKNOWN;
		return;
	}
	uint64_t kop = op == PSCI_0_2_SYSTEM_OFF ? GHVC_POWER_OFF : op;
	int64_t ret = core_guest_call(kop, f->x[1]);
	if (!core_cpu_in_guest()) {
		channel_vcpu_left(ret);
		leave_guest(f, kop == GHVC_POWER_OFF ? GUEST_EXIT_POWER_OFF : GUEST_EXIT_CALL, 0, 0);
		return;
	}
	f->x[0] = (uint64_t)ret;
}

/* The IPA of a stage-2 abort: the page from HPFAR_EL2, the offset from
 * FAR_EL2 (the guest's MMU is off, so FAR holds the IPA itself). */
static uint64_t abort_ipa(void)
{
	return ((read_sysreg(hpfar_el2) >> 4) << 12) | (read_sysreg(far_el2) & 0xfff);
}

void world_guest_trap(struct trap_frame *f, uint64_t esr)
{
	switch (esr_ec(esr)) {
	case ESR_EC_HVC64:
		guest_hvc(f);
		break;
	case ESR_EC_DABT_LOW:
		/* The access does not happen: KCore has no fault exit for a
		 * vCPU, so the abort is the command's result and the guest
		 * goes on after the access. */
		channel_stage2_fault(esr, abort_ipa());
		f->elr += 4;
		break;
	case ESR_EC_IABT_LOW: {
		/* The guest cannot run its own code: it leaves its VM the way
		 * its exit hypercall would. */
		uint64_t ipa = abort_ipa();
		int64_t ret = core_guest_call(GHVC_EXIT, 0);
		if (ret != 0)
			arch_panic("a guest without its code could not exit");
		channel_vcpu_left(ret);
		leave_guest(f, GUEST_EXIT_FAULT, esr, ipa);
		break;
	}
	case ESR_EC_SMC64:
		f->x[0] = (uint64_t)(int64_t)PSCI_NOT_SUPPORTED;
		f->elr += 4;
		break;
	default:
		trap_inject_undef(f);
		break;
	}
}
