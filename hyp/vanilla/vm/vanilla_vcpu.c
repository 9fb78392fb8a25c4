/* Entering and leaving guests: vcpu_run, and the guest's exit and
 * power_off. */
#include "hyp/arch.h"
#include "vanilla_ops.h"
#include "vanilla_state.h"

static int64_t vcpu_run(uint64_t vm, uint64_t vcpu)
{
	if (!vanilla_vm_valid(vm))
		return -KCORE_E_VM;

	int64_t err = hyp_vcpu_runnable(vanilla_vm_slot((unsigned)vm, false), vcpu);
	if (err)
		return err;

	struct hyp_cpu *cpu = hyp_percpu_this(&vanilla_percpu);
	if (hyp_cpu_in_guest(cpu))
		return -KCORE_E_CPU_STATE;

	hyp_vcpu_enter(vanilla_vm_slot((unsigned)vm, true), vm, vcpu, cpu);
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
	struct hyp_cpu *cpu = hyp_percpu_this(&vanilla_percpu);

	if (!hyp_cpu_in_guest(cpu))
		return -KCORE_E_CPU_STATE;

	vanilla_lock(KLOCK_CORE, 0);
	hyp_vcpu_leave(vanilla_vm_slot(cpu->vm, true), cpu, power_off,
		       "vanilla vcpu: CPU runs a vCPU its VM does not record");
	hyp_percpu_enter_host(&vanilla_percpu, cpu);
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
