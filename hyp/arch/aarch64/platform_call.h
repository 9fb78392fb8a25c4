/* Hypercalls the platform (not KCore) answers: the software DMA engine that
 * stands in for devices behind the SMMU, and the test verdict.
 *
 * Their numbers follow the SMC Calling Convention's vendor-specific
 * hypervisor service range (fast call, SMC64, owning entity 6), far from
 * KCore's small operation numbers, so the trap handler tells them apart
 * without KCore knowing they exist.  Every other number goes to KCore.
 */
#ifndef ARCH_AARCH64_PLATFORM_CALL_H
#define ARCH_AARCH64_PLATFORM_CALL_H

#define PLAT_CALL_BASE 0xc6000000ull
#define PLAT_CALL_LIMIT 0xc6000100ull

/* dma_read(unit, iova): x0 = 0 or -fault (enum dma_fault), x1 = the
 * 64-bit value read at iova (8-byte aligned). */
#define PLAT_DMA_READ (PLAT_CALL_BASE + 1)
/* dma_write(unit, iova, value): x0 = 0 or -fault. */
#define PLAT_DMA_WRITE (PLAT_CALL_BASE + 2)
/* exit(status): the run ends with this status (0 = pass). */
#define PLAT_EXIT (PLAT_CALL_BASE + 3)
/* An unknown platform call returns this. */
#define PLAT_E_UNKNOWN (-1ll)

/* Why a DMA access failed: the translation the SMMU would report. */
enum dma_fault {
	DMA_OK = 0,
	DMA_FAULT_UNIT,        /* unit index out of range */
	DMA_FAULT_DETACHED,    /* unit has no table: all DMA blocked */
	DMA_FAULT_ADDRESS,     /* iova beyond the 39-bit input range or unaligned */
	DMA_FAULT_TRANSLATION, /* invalid descriptor on the walk */
	DMA_FAULT_ACCESS_FLAG, /* leaf without AF */
	DMA_FAULT_PERMISSION,  /* S2AP forbids the access */
	DMA_FAULT_EXTERNAL,    /* output address is not RAM */
};

#endif
