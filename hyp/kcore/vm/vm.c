#include "vm/vm.h"

#include "hyp/arch.h"
#include "hyp/kcore_locks.h"

static struct hyp_vm_slot slots[KCORE_MAX_VMS + 1]; /* [0] unused: handles start at 1 */

void kcore_vm_reset(void)
{
	hyp_vm_slots_reset(slots);
}

struct hyp_vm_slot *kcore_vm_slot(struct core_locked l, unsigned vm, bool write)
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

const struct hyp_vm_slot *kcore_vm_peek(unsigned vm)
{
	return hyp_vm_slots_peek(slots, vm);
}
