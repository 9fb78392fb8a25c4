/* The VMM's view of a program run: VM slots numbered as the program's
 * handles, the program's CPUs, and the host memory that stands for the
 * program's RAM pages (the pool: page pfn is pool + (pfn - base) * 4096). */
#ifndef LINUX_VMM_VMM_H
#define LINUX_VMM_VMM_H

#include <stdbool.h>
#include <stdint.h>

#include "kvm.h"

#define VMM_MAX_VMS 8
#define VMM_MAX_VCPUS 4
#define VMM_MAX_CPUS 8
#define VMM_MAX_IMAGE 8
#define VMM_PAGE 4096u

enum vm_state { VM_UNUSED, VM_READY, VM_RUNNABLE, VM_OFF };

struct vm {
	enum vm_state state;
	int fd;
	bool boot_set;
	uint64_t boot_gfn;
	unsigned boot_npages, image_filled;
	uint64_t image_pfn[VMM_MAX_IMAGE];
	unsigned next_slot;
	struct vcpu vcpu[VMM_MAX_VCPUS];
	int vcpu_cpu[VMM_MAX_VCPUS];   /* the CPU running it, or -1 */
};

struct vmm {
	uint64_t base_pfn, npages;
	uint8_t *pool;
	struct vm vm[VMM_MAX_VMS + 1]; /* [0] unused: handles start at 1 */
	struct { unsigned vm, vcpu; } cpu[VMM_MAX_CPUS]; /* vm 0: in the host */
};

/* What a step observed, as written to the output. */
enum { OBS_DONE = 'd', OBS_NOT_HOST = 'h', OBS_NOT_GUEST = 'g', OBS_STOPPED = 's', OBS_BROKEN = 'x' };
struct obs {
	char status;
	int64_t ret;            /* >= 0 success, < 0 refused (-errno from KVM, -1 VMM policy) */
	uint64_t val;
	bool fault;
};

/* Run one step by its program name; page is the data of kserv_load. */
void vmm_step(struct vmm *m, unsigned cpu, const char *kind, const uint64_t *a, const uint8_t *page,
	      struct obs *o);
/* Destroy every VM and zero the pool: the next program starts afresh. */
void vmm_reset(struct vmm *m);
/* The EL2 cost runs (el2cost.c): each operation `rounds` times, each in
 * its own plugin window, named in order by a record. */
int vmm_cost(struct vmm *m, unsigned rounds);
/* Residue after teardown (residue.c): a VM fills npages, is destroyed and
 * its memory freed; then all RAM is searched for what it wrote. */
int vmm_residue(unsigned npages);
/* One record line on the console. */
void vmm_record(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
