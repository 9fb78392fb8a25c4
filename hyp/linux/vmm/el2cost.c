/* EL2 cost runs.  Each measured event is bracketed by HINT #0x7a/#0x7b,
 * which the plugin's el2 mode takes as a window: the guest brackets its
 * own hypercall, first touch of a page and MMIO access (guest.S); the
 * VMM brackets its ioctls for the operations the host starts.  Every
 * window is named on the output in the order it runs, so the i-th
 * window the plugin logs is the i-th name here. */
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "guest_abi.h"
#include "vmm.h"

#define COST_IPA 0x30000000ull /* fresh pages, outside every program IPA */

static inline void window_start(void)
{
	__asm__ volatile("hint #0x7a" ::: "memory");
}

static inline void window_end(void)
{
	__asm__ volatile("hint #0x7b" ::: "memory");
}

static int guest_cost(struct vcpu *vc, uint64_t op, uint64_t addr)
{
	struct guest_result r;

	kvm_guest_command(vc, op, addr, 0, &r);
	return r.error || r.system_off ? -1 : 0;
}

/* One round: create a VM, map pages, run, and tear down. */
static int cost_round(uint8_t *pages)
{
	struct vcpu vc;

	window_start();
	int vm = kvm_vm_create();
	window_end();
	vmm_record("window vm_create");
	if (vm < 0 || kvm_vcpu_create(vm, 0, &vc) != 0)
		return -1;
	window_start();
	int err = kvm_vm_slot(vm, 1, COST_IPA, 2 * VMM_PAGE, pages);
	window_end();
	vmm_record("window map_page");
	if (err || kvm_vcpu_park(&vc) != 0)
		return -1;
	static const struct { uint64_t op; uint64_t addr; const char *name; } ops[] = {
		{ GUEST_OP_COST_HVC, 0, "hvc" },
		{ GUEST_OP_COST_TOUCH, COST_IPA, "stage2_fault" },
		{ GUEST_OP_COST_MMIO, 0, "mmio_exit" },
	};
	for (unsigned i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		if (guest_cost(&vc, ops[i].op, ops[i].addr) != 0)
			return -1;
		vmm_record("window %s", ops[i].name);
	}
	window_start();
	err = kvm_vm_slot(vm, 1, COST_IPA, 0, pages);
	window_end();
	vmm_record("window unmap_page");
	kvm_vcpu_destroy(&vc);
	window_start();
	close(vm);
	window_end();
	vmm_record("window vm_destroy");
	return err;
}

int vmm_cost(struct vmm *m, unsigned rounds)
{
	(void)m;
	uint8_t *pages = mmap(NULL, 2 * VMM_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (pages == MAP_FAILED)
		return -1;
	for (unsigned i = 0; i < rounds; i++) {
		memset(pages, 0x5a, 2 * VMM_PAGE); /* resident on the host: only the stage-2 fault is new */
		if (cost_round(pages) != 0) {
			vmm_record("cost failed in round %u", i);
			return -1;
		}
	}
	munmap(pages, 2 * VMM_PAGE);
	return 0;
}
