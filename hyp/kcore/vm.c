#include "vm.h"

#include "hyp/arch.h"
#include "hyp/kcore_locks.h"

static struct vm_slot slots[KCORE_MAX_VMS + 1]; /* [0] unused: handles start at 1 */

void kcore_vm_slot_wipe(struct vm_slot *s)
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

void kcore_vm_reset(void)
{
	for (unsigned vm = 0; vm <= KCORE_MAX_VMS; vm++)
		kcore_vm_slot_wipe(&slots[vm]);
}

struct vm_slot *kcore_vm_slot(struct core_locked l, unsigned vm, bool write)
{
	(void)l;
	if (vm < 1 || vm > KCORE_MAX_VMS)
		arch_panic("vm: slot index out of range");
	arch_note_access(KID(KOBJ_VM_INFO, vm), write);
	return &slots[vm];
}

bool kcore_vm_valid(struct core_locked l, uint64_t vm)
{
	if (vm < 1 || vm > KCORE_MAX_VMS)
		return false;
	return kcore_vm_slot(l, (unsigned)vm, false)->state != VM_UNUSED;
}

const struct vm_slot *kcore_vm_peek(unsigned vm)
{
	return vm >= 1 && vm <= KCORE_MAX_VMS ? &slots[vm] : 0;
}
