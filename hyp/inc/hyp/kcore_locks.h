/* KCore's locks, the shared objects each protects, and the lock order.
 *
 * Lock and object ids are (class << 16 | index).  The lock discipline
 * oracle reads this table: every access to an object must hold the lock of
 * its class (with the same index where the lock is per VM), and locks are
 * taken in increasing class order, at most one lock per class.
 *
 *   order  lock              protects
 *   1      KLOCK_CORE        VM slots (state, vCPUs, boot info, image slots), VMID allocator
 *   2      KLOCK_VM_NPT(vm)  that VM's stage-2 tables and pool
 *   3      KLOCK_SMMU        all SMMU units, their tables and pools
 *   4      KLOCK_S2PAGE      the page ownership array
 *   5      KLOCK_KSERV_NPT   KServ's stage-2 tables and pool
 *
 * Per-CPU state (which vCPU a CPU runs) is touched only by its own CPU and
 * needs no lock.
 */
#ifndef HYP_KCORE_LOCKS_H
#define HYP_KCORE_LOCKS_H

#include <stdint.h>

#define KID(cls, idx) (((uint32_t)(cls) << 16) | (uint32_t)(idx))
#define KID_CLASS(id) ((id) >> 16)
#define KID_INDEX(id) ((id) & 0xffffu)

enum klock_class {
	KLOCK_CORE = 1,
	KLOCK_VM_NPT = 2,
	KLOCK_SMMU = 3,
	KLOCK_S2PAGE = 4,
	KLOCK_KSERV_NPT = 5,
};

enum kobj_class {
	KOBJ_VM_INFO = 1,  /* index vm; needs KLOCK_CORE */
	KOBJ_VMID = 2,     /* index 0;  needs KLOCK_CORE */
	KOBJ_VM_NPT = 3,   /* index vm; needs KLOCK_VM_NPT(vm) */
	KOBJ_SMMU = 4,     /* index unit; needs KLOCK_SMMU */
	KOBJ_S2PAGE = 5,   /* index pfn - ram base (low 16 bits); needs KLOCK_S2PAGE */
	KOBJ_KSERV_NPT = 6,/* index 0;  needs KLOCK_KSERV_NPT */
};

/* The lock an object needs, as a lock id. */
static inline uint32_t kobj_lock(uint32_t obj)
{
	switch (KID_CLASS(obj)) {
	case KOBJ_VM_INFO:
	case KOBJ_VMID: return KID(KLOCK_CORE, 0);
	case KOBJ_VM_NPT: return KID(KLOCK_VM_NPT, KID_INDEX(obj));
	case KOBJ_SMMU: return KID(KLOCK_SMMU, 0);
	case KOBJ_S2PAGE: return KID(KLOCK_S2PAGE, 0);
	case KOBJ_KSERV_NPT: return KID(KLOCK_KSERV_NPT, 0);
	default: return 0;
	}
}

#endif
