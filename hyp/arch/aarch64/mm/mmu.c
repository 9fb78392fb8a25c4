/* EL2 stage-1 identity map.
 *
 * VA == PA everywhere, so KCore reaches any physical page (its tables, the
 * pages it scrubs and hashes) at its own address.  A 4 GiB input range
 * (T0SZ = 32) starts the walk at level 1: the low GiB of devices is one
 * Device-nGnRE block, RAM is mapped with 2 MiB Normal write-back blocks
 * up to the end of RAM, and nothing else is mapped, so a stray pointer
 * faults instead of touching memory that does not exist.
 */
#include "mmu.h"

#include <stdint.h>

#include "boot/layout.h"
#include "sysreg.h"

#define PT_ENTRIES 512
#define L1_SHIFT 30
#define L2_SHIFT 21

/* Block and table descriptors (Arm ARM D8.3). */
#define PTE_VALID (1ull << 0)
#define PTE_TABLE (1ull << 1)
#define PTE_ATTRIDX(n) ((uint64_t)(n) << 2)
#define PTE_SH_INNER (3ull << 8)
#define PTE_AF (1ull << 10)
#define PTE_XN (1ull << 54)

/* MAIR_EL2 attribute indexes. */
#define MT_DEVICE_nGnRE 0
#define MT_NORMAL_WB 1
#define MT_NORMAL_NC 2
#define MAIR_VALUE (0x04ull << (8 * MT_DEVICE_nGnRE) | 0xffull << (8 * MT_NORMAL_WB) | \
		    0x44ull << (8 * MT_NORMAL_NC))

/* TCR_EL2: T0SZ 32, walks inner/outer write-back cacheable and inner
 * shareable, 4 KiB granule, 40-bit physical addresses; bits 31 and 23 are
 * RES1. */
#define TCR_VALUE (32ull | 1ull << 8 | 1ull << 10 | 3ull << 12 | 0ull << 14 | \
		   2ull << 16 | 1ull << 23 | 1ull << 31)

/* SCTLR_EL2: MMU, alignment check of SP, data and instruction caches, on
 * top of the ARMv8.0 RES1 bits. */
#define SCTLR_RES1 0x30c50830ull
#define SCTLR_M (1ull << 0)
#define SCTLR_C (1ull << 2)
#define SCTLR_SA (1ull << 3)
#define SCTLR_I (1ull << 12)

static uint64_t el2_l1[PT_ENTRIES] __attribute__((aligned(4096)));
static uint64_t el2_l2_ram[PT_ENTRIES] __attribute__((aligned(4096)));

_Static_assert(RAM_BASE % (1ull << L1_SHIFT) == 0, "RAM starts on a level-1 boundary");
_Static_assert(RAM_SIZE <= (1ull << L1_SHIFT), "RAM fits one level-2 table");
_Static_assert(RAM_SIZE % (1ull << L2_SHIFT) == 0, "RAM is whole 2 MiB blocks");

void mmu_build_tables(void)
{
	/* Runs with the MMU off: .bss is already zero, and every store here
	 * is an aligned 64-bit one (device memory allows nothing else). */
	el2_l1[DEVICE_BASE >> L1_SHIFT] = DEVICE_BASE | PTE_VALID | PTE_ATTRIDX(MT_DEVICE_nGnRE) |
					  PTE_AF | PTE_XN;
	el2_l1[RAM_BASE >> L1_SHIFT] = (uint64_t)(uintptr_t)el2_l2_ram | PTE_VALID | PTE_TABLE;
	for (uint64_t i = 0; i < RAM_SIZE >> L2_SHIFT; i++)
		el2_l2_ram[i] = (RAM_BASE + (i << L2_SHIFT)) | PTE_VALID |
				PTE_ATTRIDX(MT_NORMAL_WB) | PTE_SH_INNER | PTE_AF;

	/* The tables were written past the caches; drop any stale line so the
	 * cacheable walks that follow read what is in memory. */
	for (uintptr_t p = (uintptr_t)el2_l1; p < (uintptr_t)el2_l1 + sizeof(el2_l1); p += 64)
		__asm__ volatile("dc ivac, %0" : : "r"(p) : "memory");
	for (uintptr_t p = (uintptr_t)el2_l2_ram; p < (uintptr_t)el2_l2_ram + sizeof(el2_l2_ram); p += 64)
		__asm__ volatile("dc ivac, %0" : : "r"(p) : "memory");
	dsb_sy();
}

void mmu_enable(void)
{
	write_sysreg(MAIR_VALUE, mair_el2);
	write_sysreg(TCR_VALUE, tcr_el2);
	write_sysreg((uint64_t)(uintptr_t)el2_l1, ttbr0_el2);
	isb();
	__asm__ volatile("tlbi alle2" : : : "memory");
	dsb_sy();
	isb();
	uint64_t sctlr = SCTLR_RES1 | SCTLR_M | SCTLR_C | SCTLR_SA | SCTLR_I;
	write_sysreg(sctlr, sctlr_el2);
	isb();
}
