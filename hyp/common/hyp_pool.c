#include "hyp_pool.h"

#include "hyp/arch.h"

static void setup(struct hyp_pool *p, const struct kcore_boot *boot, uint64_t offset,
		  uint32_t pages)
{
	p->base_pfn = boot->kcore_base_pfn + offset;
	p->pages = pages;
	p->used = 0;
}

void hyp_pool_setup_host(struct hyp_pool *p, const struct kcore_boot *boot)
{
	setup(p, boot, KCORE_REGION_KSERV_POOL,
	      kcore_cap(boot->caps.kserv_pool_pages, KCORE_KSERV_POOL_PAGES));
}

void hyp_pool_setup_vm(struct hyp_pool *p, const struct kcore_boot *boot, unsigned vm)
{
	if (vm < 1 || vm > KCORE_MAX_VMS)
		arch_panic("pool: VM slot out of range");
	setup(p, boot, KCORE_REGION_VM_POOL((uint64_t)vm),
	      kcore_cap(boot->caps.vm_pool_pages, KCORE_VM_POOL_PAGES));
}

void hyp_pool_setup_smmu(struct hyp_pool *p, const struct kcore_boot *boot, unsigned unit)
{
	if (unit >= KCORE_SMMU_UNITS)
		arch_panic("pool: SMMU unit out of range");
	setup(p, boot, KCORE_REGION_SMMU_POOL((uint64_t)unit),
	      kcore_cap(boot->caps.smmu_pool_pages, KCORE_SMMU_POOL_PAGES));
}

uint32_t hyp_pool_left(const struct hyp_pool *p)
{
	return p->pages - p->used;
}

/* Pages are zeroed when handed out, not when released: a fresh table must
 * start all-invalid whatever the page held before, and pages released but
 * never reused cost nothing. */
bool hyp_pool_alloc(struct hyp_pool *p, paddr_t *page)
{
	if (p->used >= p->pages)
		return false;
	*page = pa_from_pfn(p->base_pfn + p->used);
	p->used++;
	arch_page_zero(*page);
	return true;
}

void hyp_pool_release(struct hyp_pool *p)
{
	p->used = 0;
}
