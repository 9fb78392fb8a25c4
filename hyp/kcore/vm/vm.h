/* VM slots (struct hyp_vm_slot of hyp/common/hyp_guest.h): the per-VM
 * information protected by KLOCK_CORE. */
#ifndef KCORE_VM_H
#define KCORE_VM_H

#include <stdbool.h>
#include <stdint.h>

#include "base/locks.h"
#include "hyp/addr.h"
#include "hyp/kcore.h"
#include "hyp_guest.h"

/* Every slot UNUSED (kcore_init). */
void kcore_vm_reset(void);

/* The slot of handle vm (1..KCORE_MAX_VMS, else panic), with the access
 * reported to the lock discipline oracle. */
struct hyp_vm_slot *kcore_vm_slot(struct core_locked l, unsigned vm, bool write);

/* "vm valid" of hyp/kcore.h: in range and not UNUSED. */
bool kcore_vm_valid(struct core_locked l, uint64_t vm);

/* For the read-only view: no lock, no event.  NULL if out of range. */
const struct hyp_vm_slot *kcore_vm_peek(unsigned vm);

/* A VMID no TLB can hold entries for (see vmid.c). */
void kcore_vmid_reset(void);
uint16_t kcore_vmid_alloc(struct core_locked l);

#endif
