/* KVM ioctls for the VMM. */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "guest_abi.h"
#include "kvm.h"

static int kvm_fd = -1;
static size_t run_size;
/* The guest's code, copied to whole pages (a memory slot starts on one). */
static void *code;
static size_t code_size;

extern const char guest_start[], guest_end[];

/* A guest command that does not come back within this many seconds of
 * the guest kernel's time is broken (the VMM would wait for ever). */
#define RUN_LIMIT_S 5

static volatile sig_atomic_t run_expired;

static void on_alarm(int sig)
{
	(void)sig;
	run_expired = 1;
}

int kvm_init(void)
{
	struct sigaction sa = { .sa_handler = on_alarm }; /* no SA_RESTART: KVM_RUN returns EINTR */

	sigaction(SIGALRM, &sa, NULL);
	kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm_fd < 0) {
		perror("vmm: /dev/kvm");
		return -1;
	}
	int n = ioctl(kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (n <= 0) {
		perror("vmm: KVM_GET_VCPU_MMAP_SIZE");
		return -1;
	}
	run_size = (size_t)n;
	code_size = ((size_t)(guest_end - guest_start) + 4095) & ~(size_t)4095;
	code = mmap(NULL, code_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (code == MAP_FAILED) {
		perror("vmm: guest code");
		return -1;
	}
	memcpy(code, guest_start, (size_t)(guest_end - guest_start));
	return 0;
}

int kvm_vm_slot(int vm, unsigned slot, uint64_t gpa, uint64_t size, void *host)
{
	struct kvm_userspace_memory_region r = {
		.slot = slot, .guest_phys_addr = gpa, .memory_size = size,
		.userspace_addr = (uint64_t)(uintptr_t)host,
	};

	return ioctl(vm, KVM_SET_USER_MEMORY_REGION, &r) == 0 ? 0 : -errno;
}

int kvm_vm_create(void)
{
	int vm = ioctl(kvm_fd, KVM_CREATE_VM, 0);

	if (vm < 0)
		return -1;
	if (kvm_vm_slot(vm, 0, GUEST_CODE_IPA, code_size, code) != 0) {
		close(vm);
		return -1;
	}
	return vm;
}

static int set_pc(int fd, uint64_t pc)
{
	struct kvm_one_reg reg = {
		.id = KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE |
		      (offsetof(struct kvm_regs, regs.pc) / sizeof(uint32_t)),
		.addr = (uint64_t)(uintptr_t)&pc,
	};

	return ioctl(fd, KVM_SET_ONE_REG, &reg);
}

int kvm_vcpu_create(int vm, unsigned id, struct vcpu *v)
{
	struct kvm_vcpu_init init;

	*v = (struct vcpu){ .fd = ioctl(vm, KVM_CREATE_VCPU, id) };
	if (v->fd < 0)
		return -errno;
	int err = 0;
	if (ioctl(vm, KVM_ARM_PREFERRED_TARGET, &init) != 0)
		err = -errno;
	init.features[0] |= 1u << KVM_ARM_VCPU_PSCI_0_2;
	if (!err && ioctl(v->fd, KVM_ARM_VCPU_INIT, &init) != 0)
		err = -errno;
	if (!err && set_pc(v->fd, GUEST_CODE_IPA) != 0)
		err = -errno;
	if (!err) {
		v->run = mmap(NULL, run_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
		if (v->run == MAP_FAILED)
			err = -errno;
	}
	if (err) {
		close(v->fd);
		*v = (struct vcpu){ .fd = -1 };
	}
	return err;
}

void kvm_vcpu_destroy(struct vcpu *v)
{
	if (v->fd < 0)
		return;
	munmap(v->run, run_size);
	close(v->fd);
	*v = (struct vcpu){ .fd = -1 };
}

/* One exit of interest. */
enum exit_kind { X_CMD_READ, X_CMD_WRITE, X_OTHER_MMIO, X_SYSTEM_OFF, X_ERROR };

static enum exit_kind run_once(struct vcpu *v, uint64_t *offset)
{
	for (;;) {
		run_expired = 0;
		alarm(RUN_LIMIT_S);
		int rc = ioctl(v->fd, KVM_RUN, 0);
		alarm(0);
		if (rc != 0) {
			if (errno == EINTR && !run_expired)
				continue;
			return X_ERROR;
		}
		struct kvm_run *r = v->run;
		if (r->exit_reason == KVM_EXIT_SYSTEM_EVENT)
			return r->system_event.type == KVM_SYSTEM_EVENT_SHUTDOWN ? X_SYSTEM_OFF : X_ERROR;
		if (r->exit_reason != KVM_EXIT_MMIO)
			return X_ERROR;
		uint64_t a = r->mmio.phys_addr;
		if (a >= GUEST_CMD_IPA && a < GUEST_CMD_IPA + 4096) {
			*offset = a - GUEST_CMD_IPA;
			return r->mmio.is_write ? X_CMD_WRITE : X_CMD_READ;
		}
		*offset = a;
		return X_OTHER_MMIO;
	}
}

static void answer(struct vcpu *v, uint64_t value)
{
	memcpy(v->run->mmio.data, &value, sizeof(value));
}

static uint64_t written(const struct vcpu *v)
{
	uint64_t value = 0;

	memcpy(&value, v->run->mmio.data, v->run->mmio.len <= 8 ? v->run->mmio.len : 8);
	return value;
}

int kvm_vcpu_park(struct vcpu *v)
{
	uint64_t off;

	if (v->parked)
		return 0;
	enum exit_kind k = run_once(v, &off);
	if (k != X_CMD_READ || off != GUEST_CMD_OP)
		return -1;
	v->parked = true;
	return 0;
}

void kvm_guest_command(struct vcpu *v, uint64_t op, uint64_t addr, uint64_t val, struct guest_result *res)
{
	const uint64_t args[3] = { op, addr, val };
	uint64_t off;

	*res = (struct guest_result){ 0 };
	v->parked = false;
	for (unsigned i = 0; i < 3; i++) {
		answer(v, args[i]);
		if (i < 2 && (run_once(v, &off) != X_CMD_READ || off != 8 * (i + 1))) {
			res->error = true;
			return;
		}
	}
	for (;;) {
		switch (run_once(v, &off)) {
		case X_CMD_READ:
			if (off == GUEST_CMD_OP) {
				v->parked = true;
				return;
			}
			answer(v, 0); /* the MMIO probe of the cost operation */
			break;
		case X_CMD_WRITE:
			if (off == GUEST_CMD_RESULT)
				res->value = written(v);
			else if (off == GUEST_CMD_EXCEPTION)
				res->fault = true;
			break;
		case X_OTHER_MMIO:
			res->fault = true;
			answer(v, 0);
			break;
		case X_SYSTEM_OFF:
			res->system_off = true;
			v->off = true;
			return;
		case X_ERROR:
			res->error = true;
			return;
		}
	}
}
