/* VM slots: KVM's per-VM bookkeeping, under KLOCK_CORE. */
#include "hyp/arch.h"
#include "vanilla_state.h"

static struct hyp_vm_slot slots[KCORE_MAX_VMS + 1]; /* [0] unused: handles start at 1 */

void vanilla_vms_reset(void)
{
	hyp_vm_slots_reset(slots);
}

struct hyp_vm_slot *vanilla_vm_slot(unsigned vm, bool write)
{
	if (vm < 1 || vm > KCORE_MAX_VMS)
		arch_panic("vanilla vm: slot index out of range");
	vanilla_assert_held(KLOCK_CORE, 0);
	arch_note_access(KID(KOBJ_VM_INFO, vm), write);
	return &slots[vm];
}

bool vanilla_vm_valid(uint64_t vm)
{
	if (vm < 1 || vm > KCORE_MAX_VMS)
		return false;
	return vanilla_vm_slot((unsigned)vm, false)->state != VM_UNUSED;
}

const struct hyp_vm_slot *vanilla_vm_peek(unsigned vm)
{
	return hyp_vm_slots_peek(slots, vm);
}
