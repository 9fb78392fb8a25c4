/* Lines written since the last state check, by page: by KServ (its CPU
 * accesses and its devices) and by VMs.  A page that changed owner in the
 * window may legitimately hold what its new owner wrote since; the cache
 * oracle passes over those lines.  A small open-addressing table: a window
 * writes few pages. */
#ifndef HARNESS_CHECKS_WRITES_H
#define HARNESS_CHECKS_WRITES_H

#include <stdbool.h>
#include <stdint.h>

#define WRITES_SLOTS 1024u

struct page_writes {
	uint64_t pfn_plus_one;   /* 0: slot free */
	uint64_t kserv_lines, vm_lines;
};

struct writes_since {
	struct page_writes slot[WRITES_SLOTS];
	uint16_t used[WRITES_SLOTS];
	unsigned n;
	bool overflow;           /* too many pages: no cache check this window */
};

/* pfn's entry, or NULL. */
struct page_writes *writes_find(struct writes_since *w, uint64_t pfn);
/* pfn's entry, made if need be; NULL (and overflow) when the table is full. */
struct page_writes *writes_slot(struct writes_since *w, uint64_t pfn);
void writes_clear(struct writes_since *w);

#endif
