/* trap-surface: everything the host can throw at EL2 besides KCore's own
 * operations gets an answer and leaves the host running: firmware calls,
 * unknown hypercall numbers, bad DMA and guest-channel requests, device
 * memory outside the range KCore lets it map, resets with capacities
 * KCore would refuse, and a vcpu_run whose guest
 * cannot fetch its first instruction (a fault exit, right back to the
 * calling CPU). */
#include "boot/layout.h"
#include "host.h"
#include "host_tests.h"
#include "vm_setup.h"

#define PSCI_FN64_CPU_ON 0xc4000003ull
#define PSCI_NOT_SUPPORTED (-1)
#define GICD_BASE 0x08000000ull
#define UART_FR 0x18

static int64_t smc(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	__asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
	return (int64_t)x0;
}

void test_trap_surface(void)
{
	uint64_t got;

	/* The firmware is the hypervisor's: the host cannot start CPUs. */
	HCHECK_EQ(smc(PSCI_FN64_CPU_ON, 1, HOST_BASE, 0), PSCI_NOT_SUPPORTED);

	HCHECK_EQ(kcore_call(0, 0, 0, 0), -KCORE_E_OP);
	HCHECK_EQ(kcore_call(HVC__END, 0, 0, 0), -KCORE_E_OP);
	HCHECK_EQ(kcore_call(~0ull, 0, 0, 0), -KCORE_E_OP);
	HCHECK_EQ(host_hvc(PLAT_CALL_BASE, 0, 0, 0).x0, PLAT_E_UNKNOWN);
	HCHECK_EQ(host_hvc(PLAT_CALL_LIMIT - 1, 0, 0, 0).x0, PLAT_E_UNKNOWN);
	HCHECK_EQ(host_dma_read(KCORE_SMMU_UNITS * 2, 0, &got), -DMA_FAULT_UNIT);
	HCHECK_EQ(host_dma_read(~0u, 0, &got), -DMA_FAULT_UNIT);
	HCHECK_EQ(host_dma_write(0, 0x1000, 1), -DMA_FAULT_DETACHED);

	/* The UART page is in the MMIO range; the GIC is not. */
	HCHECK_EQ(host_probe_read64(UART_BASE + UART_FR, &got), 0);
	HCHECK(host_read_faults(GICD_BASE));

	HCHECK_EQ(host_hvc(PLAT_GUEST_CMD, 1 | (uint64_t)GUEST_CMD_READ << 8, 0, 0).x0, PLAT_E_NO_GUEST);
	HCHECK_EQ(host_hvc(PLAT_GUEST_CMD, 0 | (uint64_t)GUEST_CMD_LEAVE << 8, 0, 0).x0, PLAT_E_ARG);
	HCHECK_EQ(host_hvc(PLAT_GUEST_CMD, 99 | (uint64_t)GUEST_CMD_READ << 8, 0, 0).x0, PLAT_E_ARG);
	HCHECK_EQ(host_hvc(PLAT_VM_ENTRY, KCORE_MAX_VMS + 1, 0, 0).x0, PLAT_E_ARG);
	HCHECK_EQ(host_hvc(PLAT_INPUT_SIZE, 0, 0, 0).x0, PLAT_E_NO_INPUT);
	/* A reset with capacities KCore would refuse is refused before any
	 * CPU is asked to park: a VMID count below the VM slots, a pool past
	 * its maximum, a share bound of 5, bytes past the five capacities. */
	HCHECK_EQ(host_hvc(PLAT_RESET, KCORE_MIN_VMIDS - 1, 0, 0).x0, PLAT_E_ARG);
	HCHECK_EQ(host_hvc(PLAT_RESET, (uint64_t)(KCORE_VM_POOL_PAGES + 1) << 8, 0, 0).x0, PLAT_E_ARG);
	HCHECK_EQ(host_hvc(PLAT_RESET, (uint64_t)(KCORE_MAX_SHARE + 1) << 32, 0, 0).x0, PLAT_E_ARG);
	HCHECK_EQ(host_hvc(PLAT_RESET, 1ull << 40, 0, 0).x0, PLAT_E_ARG);

	struct loaded_vm v;
	HCHECK(vm_load_verified(&v, "tiny", 0x100000));
	HCHECK_EQ(host_hvc(PLAT_VM_ENTRY, (uint64_t)v.vm, 0x7000000, 0).x0, 0);
	struct hvc_ret run = host_hvc(HVC_VCPU_RUN, (uint64_t)v.vm, 0, 0);
	HCHECK_EQ(run.x0, 0);
	HCHECK_EQ(run.x1, GUEST_EXIT_FAULT);
	HCHECK_EQ(run.x3, 0x7000000);
	/* KCore's view of a fault and a page, asked for directly: the
	 * image's pages are not the host's to map or to scrub; a refused
	 * access leaves its stage-2 fault for the host to ask about. */
	HCHECK_EQ(host_hvc(PLAT_KSERV_FAULT, v.page[0], 0, 0).x0, -KCORE_E_OWNER);
	HCHECK_EQ(host_hvc(PLAT_KSERV_FAULT, host_args()->kcore_base, 0, 0).x0, -KCORE_E_OWNER);
	HCHECK_EQ(host_hvc(PLAT_KSERV_FAULT, 0x1000, 0, 0).x0, -KCORE_E_PFN);
	HCHECK_EQ(host_hvc(PLAT_SCRUB, v.page[0] >> 12, 0, 0).x0, PLAT_E_ARG);
	HCHECK_EQ(host_hvc(PLAT_SCRUB, ~0ull, 0, 0).x0, PLAT_E_ARG);
	host_hvc(PLAT_LAST_FAULT, 0, 0, 0);
	HCHECK_EQ(host_hvc(PLAT_LAST_FAULT, 0, 0, 0).x0, PLAT_E_NONE);
	HCHECK(host_read_faults(v.page[0]));
	struct hvc_ret last = host_hvc(PLAT_LAST_FAULT, 0, 0, 0);
	HCHECK_EQ(last.x0, 0);
	HCHECK_EQ((last.x1 >> 26) & 0x3f, 0x24);
	HCHECK_EQ((last.x1 & 0x3c), 0x04);
	HCHECK_EQ(last.x2, v.page[0]);
	uint64_t scrubbed = host_alloc_page();
	page_fill(scrubbed, 6);
	HCHECK_EQ(host_hvc(PLAT_SCRUB, scrubbed >> 12, 0, 0).x0, 0);
	HCHECK_EQ(page_nonzero_words(scrubbed, 0), 0);
	HCHECK_EQ(page_nonzero_words(scrubbed, HOST_NC_ALIAS), 0);

	/* Still the host, on its own stage-2. */
	uint64_t mine = host_alloc_page();
	page_fill(mine, 5);
	HCHECK_EQ(host_probe_read64(mine, &got), 0);
	HCHECK_EQ(got, 5 * 0x9e3779b97f4a7c15ull + 1);
	HCHECK(host_read_faults(v.page[0]));
}
