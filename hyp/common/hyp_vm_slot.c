/* VM slots: their reset, and the slot checks and changes of the
 * operations that declare a VM (register_vcpu, set_boot_info). */
#include "hyp_guest.h"

#include "hyp/s2desc.h"

void hyp_vm_slot_wipe(struct hyp_vm_slot *s)
{
	s->state = VM_UNUSED;
	s->vmid = 0;
	s->npt_root = pa_init(0);
	for (unsigned v = 0; v < KCORE_MAX_VCPUS; v++) {
		s->vcpu[v] = VCPU_UNUSED;
		s->vcpu_cpu[v] = -1;
	}
	s->boot_set = false;
	s->boot_gfn = 0;
	s->boot_npages = 0;
	s->image_filled = 0;
	for (unsigned i = 0; i < KCORE_MAX_IMAGE_PAGES; i++)
		s->image_pfn[i] = 0;
}

void hyp_vm_slots_reset(struct hyp_vm_slot slots[KCORE_MAX_VMS + 1])
{
	for (unsigned vm = 0; vm <= KCORE_MAX_VMS; vm++)
		hyp_vm_slot_wipe(&slots[vm]);
}

int64_t hyp_vcpu_registrable(const struct hyp_vm_slot *s, uint64_t vcpu)
{
	if (s->state != VM_READY)
		return -KCORE_E_VM_STATE;
	if (vcpu >= KCORE_MAX_VCPUS)
		return -KCORE_E_VCPU;
	if (s->vcpu[vcpu] != VCPU_UNUSED)
		return -KCORE_E_VCPU_STATE;
	return 0;
}

int64_t hyp_boot_info_checks(const struct hyp_vm_slot *s, uint64_t gpa, uint64_t npages)
{
	if (s->state != VM_READY)
		return -KCORE_E_VM_STATE;
	if (s->boot_set)
		return -KCORE_E_BOOT_INFO;
	if ((gpa & PAGE_MASK) || npages == 0 || npages > KCORE_MAX_IMAGE_PAGES ||
	    (gpa >> PAGE_SHIFT) + npages - 1 > S2_MAX_GFN)
		return -KCORE_E_BOOT_INFO;
	return 0;
}

void hyp_boot_info_set(struct hyp_vm_slot *s, uint64_t gpa, uint64_t npages)
{
	s->boot_set = true;
	s->boot_gfn = gpa >> PAGE_SHIFT;
	s->boot_npages = (uint32_t)npages;
}
