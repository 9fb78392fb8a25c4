/* Small memory helpers for KCore, which links no libc. */
#ifndef KCORE_KMEM_H
#define KCORE_KMEM_H

#include <stddef.h>

#include "hyp/addr.h"

void kcore_memset(void *dst, int c, size_t n);
void kcore_memcpy(void *dst, const void *src, size_t n);

/* Clean and invalidate every line of a page to the point of coherency, so
 * no cached copy (dirty or stale) outlives a change of the page's owner. */
void kcore_page_clean_to_poc(uint64_t pfn);

/* Scrub a page: zero it with cacheable stores, then push the zeros to the
 * point of coherency so non-cacheable readers see them too. */
void kcore_page_scrub(uint64_t pfn);

#endif
