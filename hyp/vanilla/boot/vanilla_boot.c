/* Booting a VM from pages the host supplies.  KVM trusts the host with
 * the guest's memory, so the image is not checked: remap_vm_image only
 * records which host page holds which image page (the host keeps it
 * mapped and may go on writing it), and verify_vm_image maps the recorded
 * pages at the image's address and lets the VM run, whatever they hold. */
#include "hyp/arch.h"
#include "hyp/s2desc.h"
#include "vanilla_ops.h"
#include "vanilla_state.h"

static int64_t set_boot_info(uint64_t vm, uint64_t gpa, uint64_t npages)
{
	if (!vanilla_vm_valid(vm))
		return -KCORE_E_VM;

	int64_t err = hyp_boot_info_checks(vanilla_vm_slot((unsigned)vm, false), gpa, npages);
	if (err)
		return err;

	hyp_boot_info_set(vanilla_vm_slot((unsigned)vm, true), gpa, npages);
	return 0;
}

int64_t vanilla_op_set_boot_info(uint64_t vm, uint64_t gpa, uint64_t npages)
{
	vanilla_lock(KLOCK_CORE, 0);
	int64_t ret = set_boot_info(vm, gpa, npages);

	vanilla_unlock(KLOCK_CORE, 0);
	return ret;
}

static int64_t remap_vm_image(uint64_t vm, uint64_t pfn, uint64_t idx)
{
	if (!vanilla_vm_valid(vm))
		return -KCORE_E_VM;

	struct hyp_vm_slot *s = vanilla_vm_slot((unsigned)vm, false);
	if (s->state != VM_READY)
		return -KCORE_E_VM_STATE;
	if (!s->boot_set || idx >= s->boot_npages || (s->image_filled & (1u << idx)))
		return -KCORE_E_BOOT_INFO;
	if (!vanilla_is_ram_pfn(pfn))
		return -KCORE_E_PFN;

	s = vanilla_vm_slot((unsigned)vm, true);
	s->image_pfn[idx] = pfn;
	s->image_filled |= 1u << idx;
	return 0;
}

int64_t vanilla_op_remap_vm_image(uint64_t vm, uint64_t pfn, uint64_t idx)
{
	vanilla_lock(KLOCK_CORE, 0);
	int64_t ret = remap_vm_image(vm, pfn, idx);

	vanilla_unlock(KLOCK_CORE, 0);
	return ret;
}

/* Page idx of the image at boot_gfn + idx. */
static void map_image(unsigned vm, const struct hyp_vm_slot *s)
{
	vanilla_lock(KLOCK_VM_NPT, vm);
	for (uint32_t idx = 0; idx < s->boot_npages; idx++) {
		uint64_t gfn = s->boot_gfn + idx;

		/* A READY VM has mapped nothing yet, so its pool has room for
		 * the at most 2 + 2 tables eight consecutive gfns need. */
		if (!kcore_pgt_can_map(vanilla_vm_npt(vm), gfn))
			arch_panic("vanilla boot: no room to map the image");
		vanilla_vm_map_ram(vm, gfn, s->image_pfn[idx]);
	}
	vanilla_unlock(KLOCK_VM_NPT, vm);
}

static int64_t verify_vm_image(uint64_t vm)
{
	if (!vanilla_vm_valid(vm))
		return -KCORE_E_VM;

	const struct hyp_vm_slot *s = vanilla_vm_slot((unsigned)vm, false);
	if (s->state != VM_READY)
		return -KCORE_E_VM_STATE;
	if (!s->boot_set || s->image_filled != (1u << s->boot_npages) - 1)
		return -KCORE_E_BOOT_INFO;

	map_image((unsigned)vm, s);
	vanilla_vm_slot((unsigned)vm, true)->state = VM_VERIFIED;
	return 0;
}

int64_t vanilla_op_verify_vm_image(uint64_t vm)
{
	vanilla_lock(KLOCK_CORE, 0);
	int64_t ret = verify_vm_image(vm);

	vanilla_unlock(KLOCK_CORE, 0);
	return ret;
}
