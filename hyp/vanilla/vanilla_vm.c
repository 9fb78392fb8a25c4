/* VM slots: KVM's per-VM bookkeeping, under KLOCK_CORE. */
#include "hyp/arch.h"
#include "vanilla_state.h"

static struct vanilla_vm slots[KCORE_MAX_VMS + 1]; /* [0] unused: handles start at 1 */

void vanilla_vm_wipe(struct vanilla_vm *s)
{
	*s = (struct vanilla_vm){ .state = VM_UNUSED };
	for (unsigned v = 0; v < KCORE_MAX_VCPUS; v++) {
		s->vcpu[v] = VCPU_UNUSED;
		s->vcpu_cpu[v] = -1;
	}
}

void vanilla_vms_reset(void)
{
	for (unsigned vm = 0; vm <= KCORE_MAX_VMS; vm++)
		vanilla_vm_wipe(&slots[vm]);
}

struct vanilla_vm *vanilla_vm_slot(unsigned vm, bool write)
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

const struct vanilla_vm *vanilla_vm_peek(unsigned vm)
{
	return vm >= 1 && vm <= KCORE_MAX_VMS ? &slots[vm] : 0;
}
