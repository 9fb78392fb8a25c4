/* Guest memory: map_vm_page (the host resolves a VM's stage-2 fault with
 * a page of its choosing), and the guest's grant and revoke.  Without
 * ownership the page is not taken from the host, not checked for other
 * mappings (another gfn, another VM, a device) and grants change no
 * mapping: the host can reach every page all along. */
#include "hyp/s2desc.h"
#include "vanilla_ops.h"
#include "vanilla_state.h"

static int64_t map_vm_page_checks(uint64_t vm, uint64_t gfn, uint64_t pfn)
{
	if (!vanilla_vm_valid(vm))
		return -KCORE_E_VM;
	if (vanilla_vm_slot((unsigned)vm, false)->state != VM_VERIFIED)
		return -KCORE_E_VM_STATE;
	if (gfn > S2_MAX_GFN)
		return -KCORE_E_GFN;
	if (!vanilla_is_ram_pfn(pfn))
		return -KCORE_E_PFN;
	return 0;
}

static int64_t map_vm_page(unsigned vm, uint64_t gfn, uint64_t pfn)
{
	struct pgt_locked t = vanilla_vm_npt(vm);

	if (kcore_pgt_lookup(t, gfn))
		return -KCORE_E_MAPPED;
	if (!kcore_pgt_can_map(t, gfn))
		return -KCORE_E_NOMEM;
	vanilla_vm_map_ram(vm, gfn, pfn);
	return 0;
}

int64_t vanilla_op_map_vm_page(uint64_t vm, uint64_t gfn, uint64_t pfn)
{
	vanilla_lock(KLOCK_CORE, 0);
	int64_t ret = map_vm_page_checks(vm, gfn, pfn);

	if (!ret) {
		vanilla_lock(KLOCK_VM_NPT, (unsigned)vm);
		ret = map_vm_page((unsigned)vm, gfn, pfn);
		vanilla_unlock(KLOCK_VM_NPT, (unsigned)vm);
	}
	vanilla_unlock(KLOCK_CORE, 0);
	return ret;
}

/* The RAM page the VM maps at gfn as memory, or 0 (device mappings made
 * by ioremap are not the VM's memory, whatever they point at). */
static uint64_t guest_ram_page(unsigned vm, uint64_t gfn)
{
	uint64_t desc = kcore_pgt_lookup(vanilla_vm_npt(vm), gfn);
	uint64_t pfn = s2_oa(desc) >> PAGE_SHIFT;

	if (!desc || s2_is_device(desc) || !vanilla_is_ram_pfn(pfn))
		return 0;
	return pfn;
}

/* One grant more (delta +1) or less (-1) on the page; returns the count. */
static int64_t apply_share_change(uint64_t pfn, int delta)
{
	vanilla_lock(KLOCK_S2PAGE, 0);
	struct vanilla_page page = vanilla_page_get(pfn);
	int64_t ret;

	if (delta > 0 && page.share >= kcore_cap(vanilla_layout()->caps.max_share, KCORE_MAX_SHARE)) {
		ret = -KCORE_E_SHARE_LIMIT;
	} else if (delta < 0 && page.share == 0) {
		ret = -KCORE_E_NOT_SHARED;
	} else {
		page.share = (uint8_t)(page.share + delta);
		vanilla_page_put(pfn, page);
		ret = page.share;
	}
	vanilla_unlock(KLOCK_S2PAGE, 0);
	return ret;
}

/* grant or revoke from the vCPU running on this CPU. */
static int64_t change_share(uint64_t gfn, int delta)
{
	const struct hyp_cpu *cpu = hyp_percpu_this(&vanilla_percpu);

	if (cpu->vm == 0)
		return -KCORE_E_CPU_STATE;
	if (gfn > S2_MAX_GFN)
		return -KCORE_E_GFN;

	vanilla_lock(KLOCK_VM_NPT, cpu->vm);
	uint64_t pfn = guest_ram_page(cpu->vm, gfn);
	int64_t ret = pfn ? apply_share_change(pfn, delta) : -KCORE_E_UNMAPPED;

	vanilla_unlock(KLOCK_VM_NPT, cpu->vm);
	return ret;
}

int64_t vanilla_op_grant(uint64_t gfn)
{
	return change_share(gfn, 1);
}

int64_t vanilla_op_revoke(uint64_t gfn)
{
	return change_share(gfn, -1);
}
