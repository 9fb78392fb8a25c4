/* The per-page write log of the cache check (see checks_writes.h). */
#include "exec/checks/track/checks_writes.h"

#include <stddef.h>

static unsigned hash(uint64_t pfn)
{
	return (unsigned)(pfn * 0x9e3779b97f4a7c15ull >> 54) & (WRITES_SLOTS - 1);
}

struct page_writes *writes_find(struct writes_since *w, uint64_t pfn)
{
	unsigned h = hash(pfn);
	for (unsigned probe = 0; probe < WRITES_SLOTS; probe++, h = (h + 1) & (WRITES_SLOTS - 1)) {
		if (w->slot[h].pfn_plus_one == pfn + 1)
			return &w->slot[h];
		if (w->slot[h].pfn_plus_one == 0)
			return NULL;
	}
	return NULL;
}

struct page_writes *writes_slot(struct writes_since *w, uint64_t pfn)
{
	unsigned h = hash(pfn);
	for (unsigned probe = 0; probe < WRITES_SLOTS; probe++, h = (h + 1) & (WRITES_SLOTS - 1)) {
		struct page_writes *e = &w->slot[h];
		if (e->pfn_plus_one == pfn + 1)
			return e;
		if (e->pfn_plus_one == 0) {
			if (w->n >= WRITES_SLOTS / 2)
				break;
			e->pfn_plus_one = pfn + 1;
			w->used[w->n++] = (uint16_t)h;
			return e;
		}
	}
	w->overflow = true;
	return NULL;
}

void writes_clear(struct writes_since *w)
{
	for (unsigned i = 0; i < w->n; i++)
		w->slot[w->used[i]] = (struct page_writes){ 0 };
	w->n = 0;
	w->overflow = false;
}
