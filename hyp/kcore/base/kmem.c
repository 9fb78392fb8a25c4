#include "base/kmem.h"

#include "base/bugs.h"
#include "hyp/arch.h"

/* The volatile stores keep compilers from turning these loops back into
 * calls to the libc memset/memcpy they are written to replace. */
void kcore_memset(void *dst, int c, size_t n)
{
	volatile unsigned char *d = dst;

	for (size_t i = 0; i < n; i++)
		d[i] = (unsigned char)c;
}

void kcore_memcpy(void *dst, const void *src, size_t n)
{
	volatile unsigned char *d = dst;
	const unsigned char *s = src;

	for (size_t i = 0; i < n; i++)
		d[i] = s[i];
}

void kcore_page_clean_to_poc(uint64_t pfn)
{
	paddr_t page = pa_from_pfn(pfn);

	for (uint64_t off = 0; off < PAGE_SIZE; off += CACHE_LINE_SIZE)
		arch_dc_civac(pa_add(page, off));
}

void kcore_page_scrub(uint64_t pfn)
{
	arch_page_zero(pa_from_pfn(pfn));
#if !KCORE_BUG(SCRUB_NO_CLEAN)
	/* (Planted bug: left out, as if zeroing stores reached memory.) */
	kcore_page_clean_to_poc(pfn);
#endif
}
