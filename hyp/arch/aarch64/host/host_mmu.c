/* The host's stage-1 map (EL1&0 regime, TTBR0_EL1 only).
 *
 * A 39-bit input range (T0SZ 25) walked from level 1 with 1 GiB blocks:
 * the low GiB of devices (Device-nGnRE), the GiB holding RAM at its own
 * address (Normal write-back) and again at HOST_NC_ALIAS (Normal
 * non-cacheable).  The blocks cover more than the board's RAM; what is not
 * there, or not the host's, is refused by the stage-2 below.
 */
#include <stdint.h>

#include "host.h"
#include "layout.h"

#define PTE_VALID (1ull << 0)
#define PTE_TABLE (1ull << 1)
#define PTE_ATTRIDX(n) ((uint64_t)(n) << 2)
#define PTE_SH_INNER (3ull << 8)
#define PTE_AF (1ull << 10)
#define PTE_PXN (1ull << 53)
#define PTE_UXN (1ull << 54)
#define L1_SHIFT 30

#define MT_DEVICE_nGnRE 0
#define MT_NORMAL_WB 1
#define MT_NORMAL_NC 2
#define MAIR_VALUE (0x04ull << (8 * MT_DEVICE_nGnRE) | 0xffull << (8 * MT_NORMAL_WB) | \
		    0x44ull << (8 * MT_NORMAL_NC))

/* TCR_EL1: T0SZ 25, walks write-back inner shareable, 4 KiB granule, no
 * TTBR1 walks (EPD1), 40-bit intermediate physical addresses. */
#define TCR_VALUE (25ull | 1ull << 8 | 1ull << 10 | 3ull << 12 | 0ull << 14 | 1ull << 23 | \
		   2ull << 32)

#define SCTLR_EL1_RES1 0x30d00800ull
#define SCTLR_M (1ull << 0)
#define SCTLR_C (1ull << 2)
#define SCTLR_SA (1ull << 3)
#define SCTLR_I (1ull << 12)

static uint64_t host_l1[512] __attribute__((aligned(4096)));

_Static_assert(RAM_BASE % (1ull << L1_SHIFT) == 0 && RAM_SIZE <= (1ull << L1_SHIFT),
	       "RAM is inside one level-1 block");
_Static_assert(HOST_NC_ALIAS % (1ull << L1_SHIFT) == 0 && HOST_NC_ALIAS + RAM_END <= (1ull << 39),
	       "the alias fits the 39-bit input range");

void host_mmu_build(void);
void host_mmu_enable(void);

void host_mmu_build(void)
{
	/* MMU off: aligned 64-bit stores only. */
	host_l1[DEVICE_BASE >> L1_SHIFT] = DEVICE_BASE | PTE_VALID | PTE_ATTRIDX(MT_DEVICE_nGnRE) |
					   PTE_AF | PTE_PXN | PTE_UXN;
	host_l1[RAM_BASE >> L1_SHIFT] = RAM_BASE | PTE_VALID | PTE_ATTRIDX(MT_NORMAL_WB) |
					PTE_SH_INNER | PTE_AF;
	host_l1[(HOST_NC_ALIAS + RAM_BASE) >> L1_SHIFT] = RAM_BASE | PTE_VALID |
		PTE_ATTRIDX(MT_NORMAL_NC) | PTE_SH_INNER | PTE_AF | PTE_PXN | PTE_UXN;
	for (uintptr_t p = (uintptr_t)host_l1; p < (uintptr_t)host_l1 + sizeof(host_l1); p += 64)
		__asm__ volatile("dc ivac, %0" : : "r"(p) : "memory");
	__asm__ volatile("dsb sy" : : : "memory");
}

void host_mmu_enable(void)
{
	__asm__ volatile("msr mair_el1, %0" : : "r"(MAIR_VALUE));
	__asm__ volatile("msr tcr_el1, %0" : : "r"(TCR_VALUE));
	__asm__ volatile("msr ttbr0_el1, %0" : : "r"((uint64_t)(uintptr_t)host_l1));
	__asm__ volatile("isb; tlbi vmalle1; dsb nsh; isb" : : : "memory");
	__asm__ volatile("msr sctlr_el1, %0; isb"
			 :
			 : "r"(SCTLR_EL1_RES1 | SCTLR_M | SCTLR_C | SCTLR_SA | SCTLR_I)
			 : "memory");
}
