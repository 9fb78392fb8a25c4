/* Per-page counters.  The baseline has no page ownership; it keeps only
 * what its interface reports: the grant count a guest asked for on a page
 * (so grant and revoke return what they return on KCore) and the number of
 * SMMU mappings of the page. */
#include "hyp/arch.h"
#include "vanilla_state.h"

static struct vanilla_page pages[KCORE_MAX_RAM_PAGES];

/* Which blocks of pages[] a put has written since the last reset: every
 * entry outside them is still zero, so a reset clears only those (a
 * block is one 4 KiB page of the array, the unit a forked process copies
 * on its first write). */
#define PAGES_PER_BLOCK (4096u / sizeof(struct vanilla_page))
#define BLOCKS ((KCORE_MAX_RAM_PAGES + PAGES_PER_BLOCK - 1) / PAGES_PER_BLOCK)
static uint64_t written[(BLOCKS + 63) / 64];

static void clear_block(uint64_t b)
{
	uint64_t end = (b + 1) * PAGES_PER_BLOCK < KCORE_MAX_RAM_PAGES ? (b + 1) * PAGES_PER_BLOCK : KCORE_MAX_RAM_PAGES;

	for (uint64_t i = b * PAGES_PER_BLOCK; i < end; i++)
		pages[i] = (struct vanilla_page){ 0 };
}

void vanilla_pages_reset(void)
{
	for (uint64_t w = 0; w < sizeof(written) / sizeof(written[0]); w++) {
		for (uint64_t bits = written[w]; bits; bits &= bits - 1)
			clear_block(w * 64 + (uint64_t)__builtin_ctzll(bits));
		written[w] = 0;
	}
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
	written[i / PAGES_PER_BLOCK / 64] |= 1ull << (i / PAGES_PER_BLOCK % 64);
	pages[i] = page;
}

bool vanilla_page_peek(uint64_t pfn, struct vanilla_page *out)
{
	if (!vanilla_is_ram_pfn(pfn))
		return false;
	*out = pages[pfn - vanilla_layout()->ram_base_pfn];
	return true;
}
