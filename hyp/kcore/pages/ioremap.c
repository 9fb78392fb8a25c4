/* ioremap: device memory (never RAM) mapped into a VM. */
#include "base/bugs.h"
#include "base/layout.h"
#include "base/locks.h"
#include "base/ops.h"
#include "hyp/kcore.h"
#include "hyp/s2desc.h"
#include "mm/npt.h"
#include "vm/vm.h"

static int64_t ioremap_checks(struct core_locked core, uint64_t vm, uint64_t gpa, uint64_t pa)
{
	if (!kcore_vm_valid(core, vm))
		return -KCORE_E_VM;
	if (kcore_vm_slot(core, (unsigned)vm, false)->state != VM_VERIFIED)
		return -KCORE_E_VM_STATE;
	if ((gpa & PAGE_MASK) || (gpa >> PAGE_SHIFT) > S2_MAX_GFN)
		return -KCORE_E_GFN;
#if KCORE_BUG(IOREMAP_RAM)
	/* Planted: only the window's start is checked; RAM lies above it. */
	if ((pa & PAGE_MASK) || (pa >> PAGE_SHIFT) < kcore_layout()->mmio_base_pfn)
#else
	if ((pa & PAGE_MASK) || !kcore_is_mmio_pfn(pa >> PAGE_SHIFT))
#endif
		return -KCORE_E_NOT_MMIO;
	return 0;
}

int64_t kcore_op_ioremap(uint64_t vm, uint64_t gpa, uint64_t pa)
{
	struct core_locked core = kcore_lock_core();
	int64_t ret = ioremap_checks(core, vm, gpa, pa);

	if (ret) {
		kcore_unlock_core(core);
		return ret;
	}

	struct vm_npt_locked npt = kcore_lock_vm_npt((unsigned)vm);
	struct pgt_locked t = kcore_vm_npt(npt);
	uint64_t gfn = gpa >> PAGE_SHIFT;

	if (kcore_pgt_lookup(t, gfn))
		ret = -KCORE_E_MAPPED;
	else if (!kcore_pgt_can_map(t, gfn))
		ret = -KCORE_E_NOMEM;
	else
		kcore_pgt_map(t, gfn, pa | KCORE_S2_VM_MMIO);
	kcore_unlock_vm_npt(npt);
	kcore_unlock_core(core);
	return ret;
}
