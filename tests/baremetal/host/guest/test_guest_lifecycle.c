/* guest-lifecycle: a VM that really runs.  Its image is the guest program;
 * KCore verifies it, vcpu_run enters it at EL1 on a secondary CPU, and the
 * guest reads its own code, takes stage-2 and stage-1 faults and goes on,
 * exits and is run again elsewhere, runs two vCPUs at once, powers its VM
 * off from one while the other runs on, and is reclaimed.  A VM whose code
 * cannot be fetched comes back as a fault exit. */
#include "guest/guest_program.h"
#include "host.h"
#include "host_tests.h"
#include "lib/kstring.h"
#include "vm_setup.h"

#define GPA 0x80000000ull
#define UNMAPPED_IPA (GPA + 0x10000ull)
#define ESR_CLASS_IABT_LOW 0x20
#define ESR_CLASS_DABT_LOW 0x24

static uint64_t code_word(unsigned i)
{
	uint64_t w;

	memcpy(&w, guest_program + 8 * i, sizeof(w));
	return w;
}

/* The guest on cpu reads its first code words, cached and not. */
static void reads_own_code(unsigned cpu)
{
	struct guest_seen seen;

	HCHECK_EQ(host_guest_read(cpu, GPA, false, &seen), 0);
	HCHECK_EQ(seen.esr, 0);
	HCHECK_EQ(seen.value, code_word(0));
	HCHECK_EQ(host_guest_read(cpu, GPA + 8, true, &seen), 0);
	HCHECK_EQ(seen.esr, 0);
	HCHECK_EQ(seen.value, code_word(1));
}

static void faults_and_goes_on(unsigned cpu)
{
	struct guest_seen seen;

	/* Nothing at this gfn: a stage-2 abort, reported, value zero. */
	HCHECK_EQ(host_guest_read(cpu, UNMAPPED_IPA + 0x18, false, &seen), 0);
	HCHECK_EQ(esr_class(seen.esr), ESR_CLASS_DABT_LOW);
	HCHECK_EQ(seen.far, UNMAPPED_IPA + 0x18);
	HCHECK_EQ(seen.value, 0);
	HCHECK_EQ(host_guest_write(cpu, UNMAPPED_IPA, 1, true, &seen), 0);
	HCHECK_EQ(esr_class(seen.esr), ESR_CLASS_DABT_LOW);
	/* Beyond any physical address: the guest's own stage 1 refuses. */
	HCHECK_EQ(host_guest_read(cpu, 0xffff000000000000ull, false, &seen), 0);
	HCHECK_EQ(esr_class(seen.esr), ESR_CLASS_DABT_CUR);
	/* KCore's guest checks, made by the guest itself. */
	HCHECK_EQ(host_guest_call(cpu, GHVC_GRANT, UNMAPPED_IPA >> 12), -KCORE_E_UNMAPPED);
	HCHECK_EQ(host_guest_call(cpu, GHVC_GRANT, 1ull << 40), -KCORE_E_GFN);
	HCHECK_EQ(host_guest_call(cpu, GHVC__END, 0), -KCORE_E_OP);
	reads_own_code(cpu);
}

static void fault_exit(void)
{
	struct loaded_vm v;

	HCHECK(vm_load_guest_verified(&v, GPA));
	HCHECK_EQ(host_hvc(PLAT_VM_ENTRY, (uint64_t)v.vm, UNMAPPED_IPA, 0).x0, 0);
	for (unsigned round = 0; round < 2; round++) {
		HCHECK_EQ(host_vcpu_start(2, (uint64_t)v.vm, 0), 0);
		struct guest_exit e = host_vcpu_wait_exit(2);
		HCHECK_EQ(e.why, GUEST_EXIT_FAULT);
		HCHECK_EQ(esr_class(e.esr), ESR_CLASS_IABT_LOW);
		HCHECK_EQ(e.far, UNMAPPED_IPA);
	}
}

void test_guest_lifecycle(void)
{
	struct loaded_vm v;
	struct guest_exit e;

	HCHECK(host_args()->ncpus >= 4);
	while (host_secondaries_up() != host_args()->ncpus - 1)
		__asm__ volatile("wfe");

	HCHECK(vm_load_guest(&v, GPA));
	HCHECK_EQ(kcore_call(HVC_REGISTER_VCPU, (uint64_t)v.vm, 1, 0), 0);
	HCHECK_EQ(kcore_call(HVC_VCPU_RUN, (uint64_t)v.vm, 0, 0), -KCORE_E_VM_STATE);
	HCHECK_EQ(kcore_call(HVC_VERIFY_VM_IMAGE, (uint64_t)v.vm, 0, 0), 0);

	HCHECK_EQ(host_vcpu_start(1, (uint64_t)v.vm, 0), 0);
	reads_own_code(1);
	/* One vCPU, one CPU; no reclaim of a running VM; the host is not in
	 * a guest, and KCore says so to a guest call from it. */
	HCHECK_EQ(kcore_call(HVC_VCPU_RUN, (uint64_t)v.vm, 0, 0), -KCORE_E_VCPU_STATE);
	HCHECK_EQ(kcore_call(HVC_CLEAR_VM, (uint64_t)v.vm, 0, 0), -KCORE_E_VM_STATE);
	HCHECK_EQ(host_hvc(PLAT_GUEST_OP, GHVC_GRANT, GPA >> 12, 0).x0, -KCORE_E_CPU_STATE);
	faults_and_goes_on(1);

	/* Exit, then run again on another CPU: the vCPU picks up where it
	 * left off. */
	HCHECK_EQ(host_guest_call(1, GHVC_EXIT, 0), 0);
	e = host_vcpu_wait_exit(1);
	HCHECK_EQ(e.why, GUEST_EXIT_CALL);
	HCHECK_EQ(host_vcpu_start(2, (uint64_t)v.vm, 0), 0);
	reads_own_code(2);

	/* A second vCPU at the same time; powering off from the first leaves
	 * it running, and the VM is reclaimed once it exits too. */
	HCHECK_EQ(host_vcpu_start(3, (uint64_t)v.vm, 1), 0);
	reads_own_code(3);
	HCHECK_EQ(host_guest_power_off(2), 0);
	e = host_vcpu_wait_exit(2);
	HCHECK_EQ(e.why, GUEST_EXIT_POWER_OFF);
	HCHECK_EQ(kcore_call(HVC_VCPU_RUN, (uint64_t)v.vm, 0, 0), -KCORE_E_VM_STATE);
	HCHECK_EQ(kcore_call(HVC_CLEAR_VM, (uint64_t)v.vm, 0, 0), -KCORE_E_VCPU_STATE);
	faults_and_goes_on(3);
	HCHECK_EQ(host_guest_call(3, GHVC_EXIT, 0), 0);
	e = host_vcpu_wait_exit(3);
	HCHECK_EQ(e.why, GUEST_EXIT_CALL);
	HCHECK_EQ(kcore_call(HVC_CLEAR_VM, (uint64_t)v.vm, 0, 0), 0);
	HCHECK_EQ(page_nonzero_words(v.page[0], 0), 0);

	fault_exit();
	kprintf("isofuzz-host: the guest ran on three CPUs and two vCPUs\n");
}
