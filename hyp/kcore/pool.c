#include "pool.h"

#include "hyp/arch.h"
#include "hyp/kcore.h"
#include "layout.h"

uint64_t kcore_region_pages_needed(void)
{
	return KCORE_REGION_PAGES;
}

static void setup(struct pool *p, uint64_t offset, uint32_t pages)
{
	p->base_pfn = kcore_layout()->kcore_base_pfn + offset;
	p->pages = pages;
	p->used = 0;
}

void kcore_pool_setup_kserv(struct pool *p)
{
	setup(p, KCORE_REGION_KSERV_POOL, kcore_caps()->kserv_pool_pages);
}

void kcore_pool_setup_vm(struct pool *p, unsigned vm)
{
	if (vm < 1 || vm > KCORE_MAX_VMS)
		arch_panic("pool: VM slot out of range");
	setup(p, KCORE_REGION_VM_POOL((uint64_t)vm), kcore_caps()->vm_pool_pages);
}

void kcore_pool_setup_smmu(struct pool *p, unsigned unit)
{
	if (unit >= KCORE_SMMU_UNITS)
		arch_panic("pool: SMMU unit out of range");
	setup(p, KCORE_REGION_SMMU_POOL((uint64_t)unit), kcore_caps()->smmu_pool_pages);
}

uint32_t kcore_pool_left(const struct pool *p)
{
	return p->pages - p->used;
}

/* Pages are zeroed when handed out, not when released: a fresh table must
 * start all-invalid whatever the page held before, and pages released but
 * never reused cost nothing. */
bool kcore_pool_alloc(struct pool *p, paddr_t *page)
{
	if (p->used >= p->pages)
		return false;
	*page = pa_from_pfn(p->base_pfn + p->used);
	p->used++;
	arch_page_zero(*page);
	return true;
}

void kcore_pool_release(struct pool *p)
{
	p->used = 0;
}
