/* Entering and leaving guests: vcpu_run, and the guest's exit and
 * power_off. */
#include "hyp/arch.h"
#include "vanilla_ops.h"
#include "vanilla_state.h"

static int64_t vcpu_run(uint64_t vm, uint64_t vcpu)
{
	if (!vanilla_vm_valid(vm))
		return -KCORE_E_VM;

	struct vanilla_vm *s = vanilla_vm_slot((unsigned)vm, false);
	if (s->state != VM_VERIFIED)
		return -KCORE_E_VM_STATE;
	if (vcpu >= KCORE_MAX_VCPUS)
		return -KCORE_E_VCPU;
	if (s->vcpu[vcpu] != VCPU_READY)
		return -KCORE_E_VCPU_STATE;

	struct vanilla_cpu *cpu = vanilla_this_cpu();
	if (cpu->vm != 0)
		return -KCORE_E_CPU_STATE;

	s = vanilla_vm_slot((unsigned)vm, true);
	s->vcpu[vcpu] = VCPU_ACTIVE;
	s->vcpu_cpu[vcpu] = (int)arch_cpu_id();
	cpu->vm = (unsigned)vm;
	cpu->vcpu = (unsigned)vcpu;
	arch_set_stage2(s->vmid, s->npt_root);
	arch_isb();
	return 0;
}

int64_t vanilla_op_vcpu_run(uint64_t vm, uint64_t vcpu)
{
	vanilla_lock(KLOCK_CORE, 0);
	int64_t ret = vcpu_run(vm, vcpu);

	vanilla_unlock(KLOCK_CORE, 0);
	return ret;
}

/* The running vCPU traps back to the host, after turning its VM off for
 * power_off; other vCPUs of the VM run on until they exit. */
static int64_t leave_guest(bool power_off)
{
	struct vanilla_cpu *cpu = vanilla_this_cpu();

	if (cpu->vm == 0)
		return -KCORE_E_CPU_STATE;

	vanilla_lock(KLOCK_CORE, 0);
	struct vanilla_vm *s = vanilla_vm_slot(cpu->vm, true);

	if (s->vcpu[cpu->vcpu] != VCPU_ACTIVE || s->vcpu_cpu[cpu->vcpu] != (int)arch_cpu_id())
		arch_panic("vanilla vcpu: CPU runs a vCPU its VM does not record");
	if (power_off)
		s->state = VM_POWERED_OFF;
	s->vcpu[cpu->vcpu] = VCPU_READY;
	s->vcpu_cpu[cpu->vcpu] = -1;
	vanilla_cpu_enter_host(cpu);
	vanilla_unlock(KLOCK_CORE, 0);
	return 0;
}

int64_t vanilla_op_power_off(void)
{
	return leave_guest(true);
}

int64_t vanilla_op_guest_exit(void)
{
	return leave_guest(false);
}
