/* Lock class and object names (see lock_names.h). */
#include "lock_names.h"

#include "hyp/kcore_locks.h"

const char *lock_class_name(uint32_t lock_id)
{
	switch (KID_CLASS(lock_id)) {
	case KLOCK_CORE: return "core";
	case KLOCK_VM_NPT: return "vm-npt";
	case KLOCK_SMMU: return "smmu";
	case KLOCK_S2PAGE: return "s2page";
	case KLOCK_KSERV_NPT: return "kserv-npt";
	default: return "unknown";
	}
}

const char *lock_object_name(uint32_t obj_id)
{
	switch (KID_CLASS(obj_id)) {
	case KOBJ_VM_INFO: return "vm-info";
	case KOBJ_VMID: return "vmid";
	case KOBJ_VM_NPT: return "vm-npt";
	case KOBJ_SMMU: return "smmu";
	case KOBJ_S2PAGE: return "s2page";
	case KOBJ_KSERV_NPT: return "kserv-npt";
	default: return "unknown";
	}
}
