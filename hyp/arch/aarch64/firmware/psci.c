/* PSCI 0.2+ function calls through SMC (SMC Calling Convention: function
 * id in x0, arguments in x1-x3, result in x0). */
#include "psci.h"

#define PSCI_FN64_CPU_ON 0xc4000003ull
#define PSCI_FN64_AFFINITY_INFO 0xc4000004ull

static int64_t psci_smc(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	/* SMCCC 1.0 lets the callee clobber x4-x17. */
	__asm__ volatile("smc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
			 :
			 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
			   "x14", "x15", "x16", "x17", "memory");
	return (int64_t)x0;
}

int64_t psci_cpu_on(uint64_t mpidr, uint64_t entry, uint64_t context)
{
	return psci_smc(PSCI_FN64_CPU_ON, mpidr, entry, context);
}

int64_t psci_affinity_info(uint64_t mpidr)
{
	/* Lowest affinity level 0: the state of that one CPU. */
	return psci_smc(PSCI_FN64_AFFINITY_INFO, mpidr, 0, 0);
}
