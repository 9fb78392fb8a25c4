/* Entering and leaving guests: vcpu_run, and the guest's exit and
 * power_off. */
#include "base/locks.h"
#include "base/ops.h"
#include "hyp/arch.h"
#include "hyp/kcore.h"
#include "vm/percpu.h"
#include "vm/vm.h"

static int64_t vcpu_run(struct core_locked core, uint64_t vm, uint64_t vcpu)
{
	if (!kcore_vm_valid(core, vm))
		return -KCORE_E_VM;

	int64_t err = hyp_vcpu_runnable(kcore_vm_slot(core, (unsigned)vm, false), vcpu);
	if (err)
		return err;

	struct hyp_cpu *cpu = hyp_percpu_this(&kcore_percpu);
	if (hyp_cpu_in_guest(cpu))
		return -KCORE_E_CPU_STATE;

	hyp_vcpu_enter(kcore_vm_slot(core, (unsigned)vm, true), vm, vcpu, cpu);
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
	struct hyp_cpu *cpu = hyp_percpu_this(&kcore_percpu);

	if (!hyp_cpu_in_guest(cpu))
		return -KCORE_E_CPU_STATE;

	struct core_locked core = kcore_lock_core();

	hyp_vcpu_leave(kcore_vm_slot(core, cpu->vm, true), cpu, power_off,
		       "vcpu: CPU runs a vCPU its VM does not record");
	hyp_percpu_enter_host(&kcore_percpu, cpu);
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
