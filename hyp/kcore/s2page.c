#include "s2page.h"

#include "bugs.h"
#include "hyp/arch.h"
#include "hyp/kcore.h"
#include "hyp/kcore_locks.h"
#include "layout.h"

static struct s2page pages[KCORE_MAX_RAM_PAGES];

void kcore_s2page_reset(void)
{
	const struct kcore_boot *boot = kcore_layout();

	for (uint64_t i = 0; i < boot->ram_pages; i++) {
		uint64_t pfn = boot->ram_base_pfn + i;
		bool in_kcore = pfn >= boot->kcore_base_pfn &&
				pfn - boot->kcore_base_pfn < boot->kcore_pages;
#if KCORE_BUG(KCORE_RANGE_OFF_BY_ONE)
		/* Planted: the region's last pfn taken as its exclusive end. */
		in_kcore = pfn >= boot->kcore_base_pfn &&
			   pfn < boot->kcore_base_pfn + boot->kcore_pages - 1;
#endif

		pages[i].gfn = S2PAGE_NO_GFN;
		pages[i].dma = 0;
		pages[i].owner = in_kcore ? KCORE_OWNER_KCORE : KCORE_OWNER_KSERV;
		pages[i].share = 0;
	}
}

static uint32_t page_obj(uint64_t index)
{
	return KID(KOBJ_S2PAGE, index & 0xffffu);
}

struct s2page kcore_s2page_get(struct s2page_locked l, uint64_t pfn)
{
	uint64_t i = kcore_ram_index(pfn);

	(void)l;
	arch_note_access(page_obj(i), false);
	return pages[i];
}

void kcore_s2page_put(struct s2page_locked l, uint64_t pfn, struct s2page page)
{
	uint64_t i = kcore_ram_index(pfn);

	(void)l;
	arch_note_access(page_obj(i), true);
	pages[i] = page;
}

bool kcore_s2page_peek(uint64_t pfn, struct s2page *out)
{
	if (!kcore_is_ram_pfn(pfn))
		return false;
	*out = pages[kcore_ram_index(pfn)];
	return true;
}
