/* Entering and leaving guests: vcpu_run, and the guest's exit and
 * power_off. */
#include "hyp/arch.h"
#include "hyp/kcore.h"
#include "locks.h"
#include "ops.h"
#include "percpu.h"
#include "vm.h"

static int64_t vcpu_run(struct core_locked core, uint64_t vm, uint64_t vcpu)
{
	if (!kcore_vm_valid(core, vm))
		return -KCORE_E_VM;

	struct vm_slot *s = kcore_vm_slot(core, (unsigned)vm, false);
	if (s->state != VM_VERIFIED)
		return -KCORE_E_VM_STATE;
	if (vcpu >= KCORE_MAX_VCPUS)
		return -KCORE_E_VCPU;
	if (s->vcpu[vcpu] != VCPU_READY)
		return -KCORE_E_VCPU_STATE;

	struct kcore_cpu *cpu = kcore_this_cpu();
	if (kcore_cpu_in_guest(cpu))
		return -KCORE_E_CPU_STATE;

	s = kcore_vm_slot(core, (unsigned)vm, true);
	s->vcpu[vcpu] = VCPU_ACTIVE;
	s->vcpu_cpu[vcpu] = (int)arch_cpu_id();
	cpu->vm = (unsigned)vm;
	cpu->vcpu = (unsigned)vcpu;
	arch_set_stage2(s->vmid, s->npt_root);
	arch_isb();
	return 0;
}

int64_t kcore_op_vcpu_run(uint64_t vm, uint64_t vcpu)
{
	struct core_locked core = kcore_lock_core();
	int64_t ret = vcpu_run(core, vm, vcpu);

	kcore_unlock_core(core);
	return ret;
}

/* The running vCPU traps back to the host for good (exit) or after turning
 * its VM off (power_off); other vCPUs of the VM run on until they exit. */
static int64_t leave_guest(bool power_off)
{
	struct kcore_cpu *cpu = kcore_this_cpu();

	if (!kcore_cpu_in_guest(cpu))
		return -KCORE_E_CPU_STATE;

	struct core_locked core = kcore_lock_core();
	struct vm_slot *s = kcore_vm_slot(core, cpu->vm, true);

	if (s->vcpu[cpu->vcpu] != VCPU_ACTIVE || s->vcpu_cpu[cpu->vcpu] != (int)arch_cpu_id())
		arch_panic("vcpu: CPU runs a vCPU its VM does not record");
	if (power_off)
		s->state = VM_POWERED_OFF;
	s->vcpu[cpu->vcpu] = VCPU_READY;
	s->vcpu_cpu[cpu->vcpu] = -1;
	kcore_cpu_enter_host(cpu);
	kcore_unlock_core(core);
	return 0;
}

int64_t kcore_op_power_off(void)
{
	return leave_guest(true);
}

int64_t kcore_op_guest_exit(void)
{
	return leave_guest(false);
}
