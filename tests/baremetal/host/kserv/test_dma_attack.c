/* dma-attack-fails: the host programs a device behind an SMMU unit it owns
 * and tries to reach a VM's page with it.  KCore refuses to map the page;
 * DMA to anything unmapped faults; what the host owns stays reachable
 * until it is unmapped. */
#include "host.h"
#include "host_tests.h"
#include "vm_setup.h"

#define GPA 0x100000ull
#define GFN_DATA 0x300ull
#define UNIT 0
#define IOVA_VM 0x10000ull
#define IOVA_MINE 0x20000ull

void test_dma_attack_fails(void)
{
	struct loaded_vm v;
	uint64_t got;

	HCHECK(vm_load_verified(&v, "tiny", GPA));
	uint64_t vm_page = host_alloc_page();
	page_fill(vm_page, 3);
	HCHECK_EQ(kcore_call(HVC_MAP_VM_PAGE, (uint64_t)v.vm, GFN_DATA, vm_page >> 12), 0);

	HCHECK_EQ(host_dma_read(UNIT, IOVA_MINE, &got), -DMA_FAULT_DETACHED);
	HCHECK_EQ(kcore_call(HVC_SMMU_ALLOC, UNIT, 0, 0), 0);
	/* The attack: the VM's page and the VM's image behind the host's unit. */
	HCHECK_EQ(kcore_call(HVC_SMMU_MAP, UNIT, IOVA_VM, vm_page >> 12), -KCORE_E_OWNER);
	HCHECK_EQ(kcore_call(HVC_SMMU_MAP, UNIT, IOVA_VM, v.page[0] >> 12), -KCORE_E_OWNER);
	HCHECK_EQ(host_dma_read(UNIT, IOVA_VM, &got), -DMA_FAULT_TRANSLATION);
	HCHECK_EQ(host_dma_write(UNIT, IOVA_VM, 0), -DMA_FAULT_TRANSLATION);

	/* The host's own page works both ways through the unit. */
	uint64_t mine = host_alloc_page();
	page_fill(mine, 4);
	HCHECK_EQ(kcore_call(HVC_SMMU_MAP, UNIT, IOVA_MINE, mine >> 12), 0);
	HCHECK_EQ(kcore_call(HVC_SMMU_IOVA_TO_PHYS, UNIT, IOVA_MINE + 0x18, 0), mine + 0x18);
	HCHECK_EQ(host_dma_read(UNIT, IOVA_MINE + 8, &got), 0);
	HCHECK_EQ(got, 4 * 0x9e3779b97f4a7c15ull + 2);
	HCHECK_EQ(host_dma_write(UNIT, IOVA_MINE + 16, 0xd3a0d3a0ull), 0);
	HCHECK_EQ(*(volatile uint64_t *)(uintptr_t)(mine + 16), 0xd3a0d3a0ull);
	/* A page a device can reach is never given to a VM. */
	HCHECK_EQ(kcore_call(HVC_MAP_VM_PAGE, (uint64_t)v.vm, GFN_DATA + 1, mine >> 12), -KCORE_E_DMA);
	/* Another unit, never allocated, blocks everything. */
	HCHECK_EQ(host_dma_read(UNIT + 1, IOVA_MINE, &got), -DMA_FAULT_DETACHED);

	HCHECK_EQ(kcore_call(HVC_SMMU_UNMAP, UNIT, IOVA_MINE, 0), 0);
	HCHECK_EQ(host_dma_read(UNIT, IOVA_MINE, &got), -DMA_FAULT_TRANSLATION);
	HCHECK_EQ(kcore_call(HVC_SMMU_FREE, UNIT, 0, 0), 0);
	HCHECK_EQ(host_dma_read(UNIT, IOVA_MINE, &got), -DMA_FAULT_DETACHED);
	/* Unmapped from the unit, the page may now go to the VM. */
	HCHECK_EQ(kcore_call(HVC_MAP_VM_PAGE, (uint64_t)v.vm, GFN_DATA + 1, mine >> 12), 0);
}
