/* Per-CPU state and the moves of a vCPU in and out of its CPU. */
#include "hyp_guest.h"

void hyp_percpu_reset(struct hyp_percpu *t)
{
	for (unsigned i = 0; i < ARCH_MAX_CPUS; i++) {
		t->cpu[i].vm = 0;
		t->cpu[i].vcpu = 0;
	}
}

struct hyp_cpu *hyp_percpu_this(struct hyp_percpu *t)
{
	unsigned cpu = arch_cpu_id();

	if (cpu >= t->layout()->ncpus)
		arch_panic(t->not_booted);
	return &t->cpu[cpu];
}

const struct hyp_cpu *hyp_percpu_peek(const struct hyp_percpu *t, unsigned cpu)
{
	return cpu < t->layout()->ncpus ? &t->cpu[cpu] : 0;
}

void hyp_percpu_enter_host(const struct hyp_percpu *t, struct hyp_cpu *c)
{
	c->vm = 0;
	c->vcpu = 0;
	arch_set_stage2(t->host_vmid, t->host_root());
	arch_isb();
}

int64_t hyp_vcpu_runnable(const struct hyp_vm_slot *s, uint64_t vcpu)
{
	if (s->state != VM_VERIFIED)
		return -KCORE_E_VM_STATE;
	if (vcpu >= KCORE_MAX_VCPUS)
		return -KCORE_E_VCPU;
	if (s->vcpu[vcpu] != VCPU_READY)
		return -KCORE_E_VCPU_STATE;
	return 0;
}

void hyp_vcpu_enter(struct hyp_vm_slot *s, uint64_t vm, uint64_t vcpu, struct hyp_cpu *cpu)
{
	s->vcpu[vcpu] = VCPU_ACTIVE;
	s->vcpu_cpu[vcpu] = (int)arch_cpu_id();
	cpu->vm = (unsigned)vm;
	cpu->vcpu = (unsigned)vcpu;
	arch_set_stage2(s->vmid, s->npt_root);
	arch_isb();
}

void hyp_vcpu_leave(struct hyp_vm_slot *s, const struct hyp_cpu *cpu, bool power_off,
		    const char *why_not)
{
	if (s->vcpu[cpu->vcpu] != VCPU_ACTIVE || s->vcpu_cpu[cpu->vcpu] != (int)arch_cpu_id())
		arch_panic(why_not);
	if (power_off)
		s->state = VM_POWERED_OFF;
	s->vcpu[cpu->vcpu] = VCPU_READY;
	s->vcpu_cpu[cpu->vcpu] = -1;
}
