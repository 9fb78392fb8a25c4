/* Per-page counters.  The baseline has no page ownership; it keeps only
 * what its interface reports: the grant count a guest asked for on a page
 * (so grant and revoke return what they return on KCore) and the number of
 * SMMU mappings of the page. */
#include "hyp/arch.h"
#include "vanilla_state.h"

static struct vanilla_page pages[KCORE_MAX_RAM_PAGES];

void vanilla_pages_reset(void)
{
	const struct kcore_boot *boot = vanilla_layout();

	for (uint64_t i = 0; i < boot->ram_pages; i++)
		pages[i] = (struct vanilla_page){ 0 };
}

static uint64_t ram_index(uint64_t pfn)
{
	if (!vanilla_is_ram_pfn(pfn))
		arch_panic("vanilla pages: pfn outside RAM");
	return pfn - vanilla_layout()->ram_base_pfn;
}

struct vanilla_page vanilla_page_get(uint64_t pfn)
{
	uint64_t i = ram_index(pfn);

	vanilla_assert_held(KLOCK_S2PAGE, 0);
	arch_note_access(KID(KOBJ_S2PAGE, i & 0xffffu), false);
	return pages[i];
}

void vanilla_page_put(uint64_t pfn, struct vanilla_page page)
{
	uint64_t i = ram_index(pfn);

	vanilla_assert_held(KLOCK_S2PAGE, 0);
	arch_note_access(KID(KOBJ_S2PAGE, i & 0xffffu), true);
	pages[i] = page;
}

bool vanilla_page_peek(uint64_t pfn, struct vanilla_page *out)
{
	if (!vanilla_is_ram_pfn(pfn))
		return false;
	*out = pages[pfn - vanilla_layout()->ram_base_pfn];
	return true;
}
