/* VM slots: the per-VM information protected by KLOCK_CORE. */
#ifndef KCORE_VM_H
#define KCORE_VM_H

#include <stdbool.h>
#include <stdint.h>

#include "hyp/addr.h"
#include "hyp/kcore.h"
#include "locks.h"

struct vm_slot {
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

/* Every slot UNUSED (kcore_init). */
void kcore_vm_reset(void);

/* The slot of handle vm (1..KCORE_MAX_VMS, else panic), with the access
 * reported to the lock discipline oracle. */
struct vm_slot *kcore_vm_slot(struct core_locked l, unsigned vm, bool write);

/* "vm valid" of hyp/kcore.h: in range and not UNUSED. */
bool kcore_vm_valid(struct core_locked l, uint64_t vm);

/* Back to UNUSED with nothing recorded. */
void kcore_vm_slot_wipe(struct vm_slot *s);

/* For the read-only view: no lock, no event.  NULL if out of range. */
const struct vm_slot *kcore_vm_peek(unsigned vm);

/* A VMID no TLB can hold entries for (see vmid.c). */
void kcore_vmid_reset(void);
uint16_t kcore_vmid_alloc(struct core_locked l);

#endif
