/* The guest bookkeeping KCore and the baseline keep alike: a VM's slot,
 * which vCPU each CPU runs, and the moves of a vCPU in and out of its CPU.
 * Locks and the reporting of slot accesses stay with each hypervisor:
 * these functions touch only what they are handed. */
#ifndef HYP_GUEST_H
#define HYP_GUEST_H

#include <stdbool.h>
#include <stdint.h>

#include "hyp/addr.h"
#include "hyp/arch.h"
#include "hyp/kcore.h"

/* The per-VM information of hyp/kcore.h, protected by the core lock. */
struct hyp_vm_slot {
	enum kcore_vm_state state;
	uint16_t vmid;
	paddr_t npt_root;
	enum kcore_vcpu_state vcpu[KCORE_MAX_VCPUS];
	int vcpu_cpu[KCORE_MAX_VCPUS];      /* CPU running it, -1 if none */
	bool boot_set;
	uint64_t boot_gfn;
	uint32_t boot_npages;
	uint32_t image_filled;              /* bit idx set: image_pfn[idx] holds a page */
	uint64_t image_pfn[KCORE_MAX_IMAGE_PAGES];
};

/* Back to UNUSED with nothing recorded. */
void hyp_vm_slot_wipe(struct hyp_vm_slot *s);
/* Every slot of a table indexed by VM handle ([0] unused) UNUSED. */
void hyp_vm_slots_reset(struct hyp_vm_slot slots[KCORE_MAX_VMS + 1]);
/* For the read-only view: slots[vm], NULL if vm is out of range.  Inline:
 * the checks read every slot's view after every call. */
static inline const struct hyp_vm_slot *hyp_vm_slots_peek(const struct hyp_vm_slot slots[KCORE_MAX_VMS + 1],
							  unsigned vm)
{
	return vm >= 1 && vm <= KCORE_MAX_VMS ? &slots[vm] : 0;
}

/* The checks on the VM's slot of register_vcpu and of set_boot_info, in
 * hyp/kcore.h's order: 0 or the negated error code. */
int64_t hyp_vcpu_registrable(const struct hyp_vm_slot *s, uint64_t vcpu);
int64_t hyp_boot_info_checks(const struct hyp_vm_slot *s, uint64_t gpa, uint64_t npages);
/* Record the image range set_boot_info declares. */
void hyp_boot_info_set(struct hyp_vm_slot *s, uint64_t gpa, uint64_t npages);

/* Per-CPU state: which vCPU, if any, a CPU runs.  Each CPU touches only
 * its own entry, so no lock protects it. */
struct hyp_cpu {
	unsigned vm;    /* VM handle whose vCPU runs here; 0 in the host */
	unsigned vcpu;
};

static inline bool hyp_cpu_in_guest(const struct hyp_cpu *c) { return c->vm != 0; }

/* A hypervisor's CPUs: their entries, and what it takes to send one back
 * to the host. */
struct hyp_percpu {
	struct hyp_cpu cpu[ARCH_MAX_CPUS];
	const struct kcore_boot *(*layout)(void);  /* the booted CPUs: ncpus */
	uint16_t host_vmid;
	paddr_t (*host_root)(void);                /* the host's stage-2 */
	const char *not_booted;                    /* the panic for another CPU */
};

void hyp_percpu_reset(struct hyp_percpu *t);
/* The calling CPU's entry; panics if it is not a booted CPU. */
struct hyp_cpu *hyp_percpu_this(struct hyp_percpu *t);
/* For the read-only view; NULL if cpu is not a booted CPU. */
const struct hyp_cpu *hyp_percpu_peek(const struct hyp_percpu *t, unsigned cpu);
/* Load the host's stage-2 on the calling CPU, whose entry is c: it is
 * back in the host. */
void hyp_percpu_enter_host(const struct hyp_percpu *t, struct hyp_cpu *c);

/* vcpu_run's checks on the VM's slot, in hyp/kcore.h's order: 0 or the
 * negated error code. */
int64_t hyp_vcpu_runnable(const struct hyp_vm_slot *s, uint64_t vcpu);
/* Run vcpu of VM vm (slot s) on the calling CPU, whose entry is cpu. */
void hyp_vcpu_enter(struct hyp_vm_slot *s, uint64_t vm, uint64_t vcpu, struct hyp_cpu *cpu);
/* The vCPU cpu runs leaves it (its VM off first if power_off); the caller
 * then loads the host's stage-2.  Panics with why_not if the slot does not
 * record the vCPU as running on the calling CPU. */
void hyp_vcpu_leave(struct hyp_vm_slot *s, const struct hyp_cpu *cpu, bool power_off,
		    const char *why_not);

#endif
