/* The host's stage-1 map (EL1&0 regime).
 *
 * Both halves of the address space have a 39-bit range (T0SZ = T1SZ = 25)
 * walked from level 1 with 1 GiB blocks, which covers the whole 39-bit
 * IPA space the host's stage-2 translates:
 *   TTBR0: VA == IPA, the low GiB of devices Device-nGnRE, every other GiB
 *          Normal write-back;
 *   TTBR1: HOST_NC_ALIAS + IPA, every GiB Normal non-cacheable.
 * So the host can touch any address KServ may ask about, cached or not,
 * and what is not there, or not the host's, is refused by the stage-2
 * below, never by the host's own tables.  Addresses past 39 bits have no
 * mapping here at all.
 */
#include <stdint.h>

#include "boot/layout.h"
#include "host.h"

#define PTE_VALID (1ull << 0)
#define PTE_ATTRIDX(n) ((uint64_t)(n) << 2)
#define PTE_SH_INNER (3ull << 8)
#define PTE_AF (1ull << 10)
#define PTE_PXN (1ull << 53)
#define PTE_UXN (1ull << 54)
#define L1_SHIFT 30
#define L1_ENTRIES 512

#define MT_DEVICE_nGnRE 0
#define MT_NORMAL_WB 1
#define MT_NORMAL_NC 2
#define MAIR_VALUE (0x04ull << (8 * MT_DEVICE_nGnRE) | 0xffull << (8 * MT_NORMAL_WB) | \
		    0x44ull << (8 * MT_NORMAL_NC))

/* TCR_EL1: T0SZ and T1SZ 25; both walks write-back and inner shareable;
 * 4 KiB granules (TG0 0, TG1 2); 40-bit intermediate physical addresses. */
#define TCR_T0 (25ull | 1ull << 8 | 1ull << 10 | 3ull << 12 | 0ull << 14)
#define TCR_T1 (25ull << 16 | 1ull << 24 | 1ull << 26 | 3ull << 28 | 2ull << 30)
#define TCR_VALUE (TCR_T0 | TCR_T1 | 2ull << 32)

#define SCTLR_EL1_RES1 0x30d00800ull
#define SCTLR_M (1ull << 0)
#define SCTLR_C (1ull << 2)
#define SCTLR_SA (1ull << 3)
#define SCTLR_I (1ull << 12)

static uint64_t host_l1[L1_ENTRIES] __attribute__((aligned(4096)));
static uint64_t host_l1_nc[L1_ENTRIES] __attribute__((aligned(4096)));

_Static_assert(HOST_NC_ALIAS == ~0ull << 39, "the alias is the base of the TTBR1 range");
_Static_assert(DEVICE_BASE == 0 && DEVICE_SIZE == 1ull << L1_SHIFT, "devices are the low GiB");

void host_mmu_build(void);
void host_mmu_enable(void);

void host_mmu_build(void)
{
	/* MMU off: aligned 64-bit stores only. */
	for (uint64_t i = 0; i < L1_ENTRIES; i++) {
		uint64_t pa = i << L1_SHIFT;
		host_l1[i] = i == 0 ? pa | PTE_VALID | PTE_ATTRIDX(MT_DEVICE_nGnRE) | PTE_AF | PTE_PXN | PTE_UXN
				    : pa | PTE_VALID | PTE_ATTRIDX(MT_NORMAL_WB) | PTE_SH_INNER | PTE_AF;
		host_l1_nc[i] = pa | PTE_VALID | PTE_ATTRIDX(MT_NORMAL_NC) | PTE_SH_INNER | PTE_AF |
				PTE_PXN | PTE_UXN;
	}
	for (uintptr_t p = (uintptr_t)host_l1; p < (uintptr_t)host_l1 + sizeof(host_l1); p += 64)
		__asm__ volatile("dc ivac, %0" : : "r"(p) : "memory");
	for (uintptr_t p = (uintptr_t)host_l1_nc; p < (uintptr_t)host_l1_nc + sizeof(host_l1_nc); p += 64)
		__asm__ volatile("dc ivac, %0" : : "r"(p) : "memory");
	__asm__ volatile("dsb sy" : : : "memory");
}

void host_mmu_enable(void)
{
	__asm__ volatile("msr mair_el1, %0" : : "r"(MAIR_VALUE));
	__asm__ volatile("msr tcr_el1, %0" : : "r"(TCR_VALUE));
	__asm__ volatile("msr ttbr0_el1, %0" : : "r"((uint64_t)(uintptr_t)host_l1));
	__asm__ volatile("msr ttbr1_el1, %0" : : "r"((uint64_t)(uintptr_t)host_l1_nc));
	__asm__ volatile("isb; tlbi vmalle1; dsb nsh; isb" : : : "memory");
	__asm__ volatile("msr sctlr_el1, %0; isb"
			 :
			 : "r"(SCTLR_EL1_RES1 | SCTLR_M | SCTLR_C | SCTLR_SA | SCTLR_I)
			 : "memory");
}
