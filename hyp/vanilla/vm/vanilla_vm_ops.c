/* register_vm and register_vcpu. */
#include "vanilla_ops.h"
#include "vanilla_state.h"

static unsigned lowest_unused_slot(void)
{
	for (unsigned vm = 1; vm <= KCORE_MAX_VMS; vm++)
		if (vanilla_vm_slot(vm, false)->state == VM_UNUSED)
			return vm;
	return 0;
}

int64_t vanilla_op_register_vm(void)
{
	vanilla_lock(KLOCK_CORE, 0);
	unsigned vm = lowest_unused_slot();

	if (!vm) {
		vanilla_unlock(KLOCK_CORE, 0);
		return -KCORE_E_VM_LIMIT;
	}

	uint16_t vmid = vanilla_vmid_alloc();
	vanilla_lock(KLOCK_VM_NPT, vm);
	paddr_t root = vanilla_vm_npt_create(vm, vmid);
	vanilla_unlock(KLOCK_VM_NPT, vm);

	struct hyp_vm_slot *s = vanilla_vm_slot(vm, true);
	hyp_vm_slot_wipe(s);
	s->state = VM_READY;
	s->vmid = vmid;
	s->npt_root = root;
	vanilla_unlock(KLOCK_CORE, 0);
	return vm;
}

static int64_t register_vcpu(uint64_t vm, uint64_t vcpu)
{
	if (!vanilla_vm_valid(vm))
		return -KCORE_E_VM;

	int64_t err = hyp_vcpu_registrable(vanilla_vm_slot((unsigned)vm, false), vcpu);
	if (err)
		return err;

	vanilla_vm_slot((unsigned)vm, true)->vcpu[vcpu] = VCPU_READY;
	return 0;
}

int64_t vanilla_op_register_vcpu(uint64_t vm, uint64_t vcpu)
{
	vanilla_lock(KLOCK_CORE, 0);
	int64_t ret = register_vcpu(vm, vcpu);

	vanilla_unlock(KLOCK_CORE, 0);
	return ret;
}
