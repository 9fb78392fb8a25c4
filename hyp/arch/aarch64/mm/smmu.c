/* SMMU units as KCore drives them, and the DMA they let through.
 *
 * A unit's state is one 64-bit word (its root, 0 when detached): KCore
 * changes it under its SMMU lock while a DMA on another CPU may be reading
 * it, and a single atomic word needs no lock on the device side.  There is
 * no IOTLB: every access walks the table, so a unit TLBI only has to order
 * KCore's earlier table writes before later DMA.
 */
#include "dma.h"

#include "arch_aarch64.h"
#include "hyp/arch.h"
#include "hyp/s2desc.h"

static uint64_t unit_root[DMA_UNITS];

uint64_t dma_unit_root(unsigned unit)
{
	return unit < DMA_UNITS ? __atomic_load_n(&unit_root[unit], __ATOMIC_ACQUIRE) : 0;
}

void arch_smmu_attach(unsigned unit, paddr_t root)
{
	uint64_t r = pa_addr(root);

	if (unit >= DMA_UNITS)
		arch_panic("SMMU unit out of range");
	if (r == 0 || (r & PAGE_MASK) != 0 || !arch_is_ram(r, PAGE_SIZE))
		arch_panic("SMMU root outside RAM");
	__atomic_store_n(&unit_root[unit], r, __ATOMIC_RELEASE);
}

void arch_smmu_detach(unsigned unit)
{
	if (unit >= DMA_UNITS)
		arch_panic("SMMU unit out of range");
	__atomic_store_n(&unit_root[unit], 0, __ATOMIC_RELEASE);
}

void arch_smmu_tlbi(unsigned unit)
{
	if (unit >= DMA_UNITS)
		arch_panic("SMMU unit out of range");
	arch_dsb_ish();
}

static uint64_t read_desc(uint64_t table, unsigned idx)
{
	return __atomic_load_n((const uint64_t *)(uintptr_t)(table + 8ull * idx), __ATOMIC_ACQUIRE);
}

/* Walk from root for iova; on success *pa is the output address. */
static enum dma_fault walk(uint64_t root, uint64_t iova, bool write, uint64_t *pa)
{
	uint64_t table = root;

	for (unsigned level = S2_START_LEVEL; level <= S2_LAST_LEVEL; level++) {
		/* A table address comes from memory anyone could have
		 * corrupted; never follow one out of RAM. */
		if (!arch_is_ram(table, PAGE_SIZE))
			return DMA_FAULT_EXTERNAL;
		uint64_t d = read_desc(table, s2_index(iova, level));
		if (!s2_is_valid(d))
			return DMA_FAULT_TRANSLATION;
		if (s2_is_table(d, level)) {
			table = s2_oa(d);
			continue;
		}
		/* Level 3 needs the page encoding; at levels 1-2 this is a
		 * block.  Level 3 with bit 1 clear is reserved: invalid. */
		if (level == S2_LAST_LEVEL && (d & S2_TYPE_TABLE) == 0)
			return DMA_FAULT_TRANSLATION;
		if ((d & S2_AF) == 0)
			return DMA_FAULT_ACCESS_FLAG;
		if ((d & (write ? S2_S2AP_W : S2_S2AP_R)) == 0)
			return DMA_FAULT_PERMISSION;
		uint64_t size_mask = (1ull << s2_level_shift(level)) - 1;
		*pa = (s2_oa(d) & ~size_mask) | (iova & size_mask);
		return DMA_OK;
	}
	return DMA_FAULT_TRANSLATION;
}

enum dma_fault dma_access(unsigned unit, uint64_t iova, bool write, uint64_t *val)
{
	if (unit >= DMA_UNITS)
		return DMA_FAULT_UNIT;
	uint64_t root = dma_unit_root(unit);
	if (root == 0)
		return DMA_FAULT_DETACHED;
	if ((iova & 7) != 0 || (iova >> S2_IPA_BITS) != 0)
		return DMA_FAULT_ADDRESS;

	uint64_t pa;
	enum dma_fault f = walk(root, iova, write, &pa);
	if (f != DMA_OK)
		return f;
	/* Device memory is not a DMA target here: only RAM is. */
	if (!arch_is_ram(pa, 8))
		return DMA_FAULT_EXTERNAL;

	/* Coherent DMA: through the cacheable identity map, one 64-bit
	 * single-copy-atomic access. */
	uint64_t *p = (uint64_t *)(uintptr_t)pa;
	if (write)
		__atomic_store_n(p, *val, __ATOMIC_RELAXED);
	else
		*val = __atomic_load_n(p, __ATOMIC_RELAXED);
	return DMA_OK;
}
