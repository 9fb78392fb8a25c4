#include "mm/s2page.h"

#include "base/bugs.h"
#include "base/layout.h"
#include "hyp/arch.h"
#include "hyp/kcore.h"
#include "hyp/kcore_locks.h"

static struct s2page pages[KCORE_MAX_RAM_PAGES];

/* Entries put since the last reset.  A reset for the layout of the last
 * one (between fuzz inputs, say) restores only these, so it costs what the
 * last run changed, not one entry per RAM page; past the log's end, or for
 * a new layout, it walks the whole array. */
#define S2PAGE_LOG_MAX 4096u

static uint32_t logged[S2PAGE_LOG_MAX];
static uint64_t logged_bits[KCORE_MAX_RAM_PAGES / 64];
static unsigned nlogged;
static bool log_overflow = true;
static uint64_t reset_ram_base, reset_ram_pages, reset_kcore_base, reset_kcore_pages;

static void log_put(uint64_t i)
{
	uint64_t bit = 1ull << (i % 64);

	if (log_overflow || (logged_bits[i / 64] & bit))
		return;
	if (nlogged == S2PAGE_LOG_MAX) {
		log_overflow = true;
		return;
	}
	logged_bits[i / 64] |= bit;
	logged[nlogged++] = (uint32_t)i;
}

static struct s2page boot_entry(const struct kcore_boot *boot, uint64_t i)
{
	uint64_t pfn = boot->ram_base_pfn + i;
	bool in_kcore = pfn >= boot->kcore_base_pfn && pfn - boot->kcore_base_pfn < boot->kcore_pages;
#if KCORE_BUG(KCORE_RANGE_OFF_BY_ONE)
	/* Planted: the region's last pfn taken as its exclusive end. */
	in_kcore = pfn >= boot->kcore_base_pfn && pfn < boot->kcore_base_pfn + boot->kcore_pages - 1;
#endif

	return (struct s2page){
		.gfn = S2PAGE_NO_GFN,
		.dma = 0,
		.owner = in_kcore ? KCORE_OWNER_KCORE : KCORE_OWNER_KSERV,
		.share = 0,
	};
}

static bool same_layout_as_last_reset(const struct kcore_boot *boot)
{
	return boot->ram_base_pfn == reset_ram_base && boot->ram_pages == reset_ram_pages &&
	       boot->kcore_base_pfn == reset_kcore_base && boot->kcore_pages == reset_kcore_pages;
}

void kcore_s2page_reset(void)
{
	const struct kcore_boot *boot = kcore_layout();

	if (log_overflow || !same_layout_as_last_reset(boot)) {
		for (uint64_t i = 0; i < boot->ram_pages; i++)
			pages[i] = boot_entry(boot, i);
		for (uint64_t w = 0; w < KCORE_MAX_RAM_PAGES / 64; w++)
			logged_bits[w] = 0;
	} else {
		for (unsigned j = 0; j < nlogged; j++) {
			pages[logged[j]] = boot_entry(boot, logged[j]);
			logged_bits[logged[j] / 64] = 0;
		}
	}
	nlogged = 0;
	log_overflow = false;
	reset_ram_base = boot->ram_base_pfn;
	reset_ram_pages = boot->ram_pages;
	reset_kcore_base = boot->kcore_base_pfn;
	reset_kcore_pages = boot->kcore_pages;
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
	log_put(i);
	pages[i] = page;
}

bool kcore_s2page_peek(uint64_t pfn, struct s2page *out)
{
	if (!kcore_is_ram_pfn(pfn))
		return false;
	*out = pages[kcore_ram_index(pfn)];
	return true;
}
