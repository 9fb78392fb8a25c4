/* ioremap: a device mapping in a VM.  KVM maps whatever physical range
 * the host asks for (kvm_phys_addr_ioremap), so any page, RAM included,
 * may appear in a VM with device attributes; only an address that is
 * neither RAM nor device memory, or not page aligned, is refused. */
#include "hyp/s2desc.h"
#include "vanilla_ops.h"
#include "vanilla_state.h"

static int64_t ioremap_checks(uint64_t vm, uint64_t gpa, uint64_t pa)
{
	if (!vanilla_vm_valid(vm))
		return -KCORE_E_VM;
	if (vanilla_vm_slot((unsigned)vm, false)->state != VM_VERIFIED)
		return -KCORE_E_VM_STATE;
	if ((gpa & PAGE_MASK) || (gpa >> PAGE_SHIFT) > S2_MAX_GFN)
		return -KCORE_E_GFN;
	if ((pa & PAGE_MASK) ||
	    !(vanilla_is_mmio_pfn(pa >> PAGE_SHIFT) || vanilla_is_ram_pfn(pa >> PAGE_SHIFT)))
		return -KCORE_E_NOT_MMIO;
	return 0;
}

static int64_t ioremap(unsigned vm, uint64_t gfn, uint64_t pa)
{
	struct pgt_locked t = vanilla_vm_npt(vm);

	if (kcore_pgt_lookup(t, gfn))
		return -KCORE_E_MAPPED;
	if (!kcore_pgt_can_map(t, gfn))
		return -KCORE_E_NOMEM;
	kcore_pgt_map(t, gfn, pa | S2_PAGE_DEVICE_RW);
	return 0;
}

int64_t vanilla_op_ioremap(uint64_t vm, uint64_t gpa, uint64_t pa)
{
	vanilla_lock(KLOCK_CORE, 0);
	int64_t ret = ioremap_checks(vm, gpa, pa);

	if (!ret) {
		vanilla_lock(KLOCK_VM_NPT, (unsigned)vm);
		ret = ioremap((unsigned)vm, gpa >> PAGE_SHIFT, pa);
		vanilla_unlock(KLOCK_VM_NPT, (unsigned)vm);
	}
	vanilla_unlock(KLOCK_CORE, 0);
	return ret;
}
