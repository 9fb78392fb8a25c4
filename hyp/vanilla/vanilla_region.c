/* Where the baseline's tables live: the boot layout's region, in pages
 * from its base: the host's pool, then one pool per VM slot, then one per
 * SMMU unit.  KVM takes its table pages from the host kernel's allocator;
 * fixed pools of KCore's sizes keep "out of table memory" at the same step
 * on both targets, and give the oracles one place where every table page
 * is. */
#include "hyp/arch.h"
#include "vanilla.h"
#include "vanilla_state.h"

#define KSERV_POOL_OFFSET 0
#define VM_POOLS_OFFSET (KSERV_POOL_OFFSET + KCORE_KSERV_POOL_PAGES)
#define SMMU_POOLS_OFFSET (VM_POOLS_OFFSET + KCORE_MAX_VMS * KCORE_VM_POOL_PAGES)
#define REGION_PAGES (SMMU_POOLS_OFFSET + KCORE_SMMU_UNITS * KCORE_SMMU_POOL_PAGES)

uint64_t vanilla_region_pages_needed(void)
{
	return REGION_PAGES;
}

static void setup(struct pool *p, uint64_t offset, uint32_t pages)
{
	p->base_pfn = vanilla_layout()->kcore_base_pfn + offset;
	p->pages = pages;
	p->used = 0;
}

void vanilla_pool_setup_kserv(struct pool *p)
{
	setup(p, KSERV_POOL_OFFSET, kcore_cap(vanilla_layout()->caps.kserv_pool_pages, KCORE_KSERV_POOL_PAGES));
}

void vanilla_pool_setup_vm(struct pool *p, unsigned vm)
{
	if (vm < 1 || vm > KCORE_MAX_VMS)
		arch_panic("vanilla pool: VM slot out of range");
	setup(p, VM_POOLS_OFFSET + (uint64_t)(vm - 1) * KCORE_VM_POOL_PAGES,
	      kcore_cap(vanilla_layout()->caps.vm_pool_pages, KCORE_VM_POOL_PAGES));
}

void vanilla_pool_setup_smmu(struct pool *p, unsigned unit)
{
	if (unit >= KCORE_SMMU_UNITS)
		arch_panic("vanilla pool: SMMU unit out of range");
	setup(p, SMMU_POOLS_OFFSET + (uint64_t)unit * KCORE_SMMU_POOL_PAGES,
	      kcore_cap(vanilla_layout()->caps.smmu_pool_pages, KCORE_SMMU_POOL_PAGES));
}
