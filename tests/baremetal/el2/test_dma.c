/* arch-dma: the software DMA engine walks a stage-2 table built by hand
 * and lets through exactly what it maps, with the rights it grants. */
#include "boot/layout.h"
#include "el2_check.h"
#include "el2_tests.h"
#include "hyp/arch.h"
#include "hyp/s2desc.h"
#include "mm/dma.h"

/* 0: level-1 root, 1: level 2, 2: level 3, 3-5: data pages. */
static uint8_t pages[6][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
/* A 2 MiB block target: the top of RAM, which nothing uses during an EL2
 * test (the host never runs). */
#define BLOCK_PA (RAM_END - (2ull << 20))

#define UNIT 1
#define IOVA_RW 0x1000ull
#define IOVA_RO 0x2000ull
#define IOVA_NOAF 0x3000ull
#define IOVA_MMIO 0x4000ull
#define IOVA_BAD_L3 0x6000ull
#define IOVA_BLOCK 0x200000ull

static paddr_t page_pa(unsigned i)
{
	return pa_init((uint64_t)(uintptr_t)pages[i]);
}

static void build_tables(void)
{
	uint64_t table = S2_VALID | S2_TYPE_TABLE;

	arch_pte_write(page_pa(0), 0, pa_addr(page_pa(1)) | table);
	arch_pte_write(page_pa(1), 0, pa_addr(page_pa(2)) | table);
	arch_pte_write(page_pa(2), 1, pa_addr(page_pa(3)) | S2_PAGE_NORMAL_RW);
	arch_pte_write(page_pa(2), 2, pa_addr(page_pa(4)) | (S2_PAGE_NORMAL_RW & ~S2_S2AP_W));
	arch_pte_write(page_pa(2), 3, pa_addr(page_pa(5)) | (S2_PAGE_NORMAL_RW & ~S2_AF));
	arch_pte_write(page_pa(2), 4, UART_BASE | S2_PAGE_DEVICE_RW);
	/* Valid but without the page bit: reserved at level 3. */
	arch_pte_write(page_pa(2), 6, pa_addr(page_pa(3)) | (S2_PAGE_NORMAL_RW & ~S2_TYPE_TABLE));
	/* Level-2 block: bit 1 clear. */
	arch_pte_write(page_pa(1), 1, BLOCK_PA | (S2_PAGE_NORMAL_RW & ~S2_TYPE_TABLE));
	arch_dsb_ish();
}

static unsigned check_mapped(void)
{
	uint64_t v = 0;
	volatile uint64_t *data = (volatile uint64_t *)pages[3];

	data[5] = 0x1122334455667788ull;
	ECHECK_EQ(dma_access(UNIT, IOVA_RW + 40, false, &v), DMA_OK);
	ECHECK_EQ(v, 0x1122334455667788ull);
	v = 0xfeedfacecafebeefull;
	ECHECK_EQ(dma_access(UNIT, IOVA_RW + 8, true, &v), DMA_OK);
	ECHECK_EQ(data[1], 0xfeedfacecafebeefull);

	volatile uint64_t *block = (volatile uint64_t *)(uintptr_t)(BLOCK_PA + 0x1238);
	*block = 0xb10cb10cb10cb10cull;
	ECHECK_EQ(dma_access(UNIT, IOVA_BLOCK + 0x1238, false, &v), DMA_OK);
	ECHECK_EQ(v, 0xb10cb10cb10cb10cull);
	return HYP_EXIT_PASS;
}

static unsigned check_refused(void)
{
	uint64_t v = 0x5555;
	volatile uint64_t *ro = (volatile uint64_t *)pages[4];

	ro[0] = 42;
	ECHECK_EQ(dma_access(UNIT, IOVA_RO, false, &v), DMA_OK);
	ECHECK_EQ(v, 42);
	ECHECK_EQ(dma_access(UNIT, IOVA_RO, true, &v), DMA_FAULT_PERMISSION);
	ECHECK_EQ(ro[0], 42);
	ECHECK_EQ(dma_access(UNIT, IOVA_NOAF, false, &v), DMA_FAULT_ACCESS_FLAG);
	ECHECK_EQ(dma_access(UNIT, IOVA_MMIO, false, &v), DMA_FAULT_EXTERNAL);
	ECHECK_EQ(dma_access(UNIT, IOVA_BAD_L3, false, &v), DMA_FAULT_TRANSLATION);
	ECHECK_EQ(dma_access(UNIT, 0x5000, false, &v), DMA_FAULT_TRANSLATION);
	ECHECK_EQ(dma_access(UNIT, 1ull << 30, false, &v), DMA_FAULT_TRANSLATION);
	ECHECK_EQ(dma_access(UNIT, IOVA_RW + 4, false, &v), DMA_FAULT_ADDRESS);
	ECHECK_EQ(dma_access(UNIT, 1ull << S2_IPA_BITS, false, &v), DMA_FAULT_ADDRESS);
	ECHECK_EQ(dma_access(UNIT + 1, IOVA_RW, false, &v), DMA_FAULT_DETACHED);
	ECHECK_EQ(dma_access(DMA_UNITS, IOVA_RW, false, &v), DMA_FAULT_UNIT);
	return HYP_EXIT_PASS;
}

unsigned el2_test_dma(void)
{
	uint64_t v;

	build_tables();
	ECHECK_EQ(dma_access(UNIT, IOVA_RW, false, &v), DMA_FAULT_DETACHED);
	arch_smmu_attach(UNIT, page_pa(0));
	ECHECK_EQ(dma_unit_root(UNIT), pa_addr(page_pa(0)));
	ERUN(check_mapped());
	ERUN(check_refused());

	/* Unmapping takes effect for the very next DMA: no IOTLB. */
	arch_pte_write(page_pa(2), 1, 0);
	arch_smmu_tlbi(UNIT);
	ECHECK_EQ(dma_access(UNIT, IOVA_RW, false, &v), DMA_FAULT_TRANSLATION);

	arch_smmu_detach(UNIT);
	ECHECK_EQ(dma_access(UNIT, IOVA_BLOCK, false, &v), DMA_FAULT_DETACHED);
	return HYP_EXIT_PASS;
}
