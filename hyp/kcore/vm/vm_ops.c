/* register_vm and register_vcpu. */
#include "base/locks.h"
#include "base/ops.h"
#include "hyp/kcore.h"
#include "mm/npt.h"
#include "vm/vm.h"

static unsigned lowest_unused_slot(struct core_locked l)
{
	for (unsigned vm = 1; vm <= KCORE_MAX_VMS; vm++)
		if (kcore_vm_slot(l, vm, false)->state == VM_UNUSED)
			return vm;
	return 0;
}

int64_t kcore_op_register_vm(void)
{
	struct core_locked core = kcore_lock_core();
	unsigned vm = lowest_unused_slot(core);

	if (!vm) {
		kcore_unlock_core(core);
		return -KCORE_E_VM_LIMIT;
	}

	uint16_t vmid = kcore_vmid_alloc(core);
	struct vm_npt_locked npt = kcore_lock_vm_npt(vm);
	paddr_t root = kcore_vm_npt_create(npt, vmid);
	kcore_unlock_vm_npt(npt);

	struct hyp_vm_slot *s = kcore_vm_slot(core, vm, true);
	hyp_vm_slot_wipe(s);
	s->state = VM_READY;
	s->vmid = vmid;
	s->npt_root = root;
	kcore_unlock_core(core);
	return vm;
}

static int64_t register_vcpu(struct core_locked core, uint64_t vm, uint64_t vcpu)
{
	if (!kcore_vm_valid(core, vm))
		return -KCORE_E_VM;

	int64_t err = hyp_vcpu_registrable(kcore_vm_slot(core, (unsigned)vm, false), vcpu);
	if (err)
		return err;

	kcore_vm_slot(core, (unsigned)vm, true)->vcpu[vcpu] = VCPU_READY;
	return 0;
}

int64_t kcore_op_register_vcpu(uint64_t vm, uint64_t vcpu)
{
	struct core_locked core = kcore_lock_core();
	int64_t ret = register_vcpu(core, vm, vcpu);

	kcore_unlock_core(core);
	return ret;
}
