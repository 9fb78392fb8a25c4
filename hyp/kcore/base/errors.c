#include "hyp/kcore.h"

static const char *const err_names[KCORE_E__COUNT] = {
	[KCORE_OK] = "OK",
	[KCORE_E_OP] = "E_OP",
	[KCORE_E_VM] = "E_VM",
	[KCORE_E_VM_STATE] = "E_VM_STATE",
	[KCORE_E_VM_LIMIT] = "E_VM_LIMIT",
	[KCORE_E_VCPU] = "E_VCPU",
	[KCORE_E_VCPU_STATE] = "E_VCPU_STATE",
	[KCORE_E_CPU_STATE] = "E_CPU_STATE",
	[KCORE_E_PFN] = "E_PFN",
	[KCORE_E_GFN] = "E_GFN",
	[KCORE_E_OWNER] = "E_OWNER",
	[KCORE_E_DMA] = "E_DMA",
	[KCORE_E_MAPPED] = "E_MAPPED",
	[KCORE_E_UNMAPPED] = "E_UNMAPPED",
	[KCORE_E_NOMEM] = "E_NOMEM",
	[KCORE_E_BOOT_INFO] = "E_BOOT_INFO",
	[KCORE_E_VERIFY] = "E_VERIFY",
	[KCORE_E_SHARE_LIMIT] = "E_SHARE_LIMIT",
	[KCORE_E_NOT_SHARED] = "E_NOT_SHARED",
	[KCORE_E_UNIT] = "E_UNIT",
	[KCORE_E_UNIT_STATE] = "E_UNIT_STATE",
	[KCORE_E_IOVA] = "E_IOVA",
	[KCORE_E_NOT_MMIO] = "E_NOT_MMIO",
};

/* Success values (handles, counts, addresses) are all "OK". */
const char *kcore_err_name(int64_t ret)
{
	if (ret >= 0)
		return err_names[KCORE_OK];
	if (ret <= -KCORE_E__COUNT)
		return "E_UNKNOWN";
	return err_names[-ret];
}
