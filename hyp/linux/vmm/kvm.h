/* The KVM calls the VMM makes: VMs, memory slots, vCPUs, and running the
 * guest's command loop (guest.S) one command at a time. */
#ifndef LINUX_VMM_KVM_H
#define LINUX_VMM_KVM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vcpu {
	int fd;                 /* -1: not created */
	struct kvm_run *run;
	bool parked;            /* stopped at its read of the next command */
	bool off;               /* it asked for PSCI SYSTEM_OFF */
};

/* What one guest command did. */
struct guest_result {
	uint64_t value;         /* a read's value */
	bool fault;             /* the access reached no memory (an MMIO exit
				   elsewhere than the command page, or an
				   exception the guest took) */
	bool system_off;
	bool error;             /* KVM_RUN failed or exited unexpectedly */
};

/* /dev/kvm; 0, or -1 with a message on stderr. */
int kvm_init(void);
/* A VM with the guest's code (guest.S) in slot 0; its fd, or -1. */
int kvm_vm_create(void);
/* Slot `slot` maps [gpa, gpa + size) to host memory; size 0 deletes it.
 * 0, or -errno. */
int kvm_vm_slot(int vm, unsigned slot, uint64_t gpa, uint64_t size, void *host);
/* vCPU `id` with PSCI 0.2, starting at the guest's code.  0 or -errno. */
int kvm_vcpu_create(int vm, unsigned id, struct vcpu *v);
void kvm_vcpu_destroy(struct vcpu *v);
/* Run the vCPU until it waits for a command.  0, or -1. */
int kvm_vcpu_park(struct vcpu *v);
/* Hand a parked vCPU one command and run it until it waits again. */
void kvm_guest_command(struct vcpu *v, uint64_t op, uint64_t addr, uint64_t val, struct guest_result *r);

#endif
