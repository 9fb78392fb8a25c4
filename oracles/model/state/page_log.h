/* The pages of a page-indexed array that may differ from their value
 * after boot, so that resets and copies between fuzz inputs touch only
 * what the last run changed, not one entry per RAM page.  Past its
 * capacity (or for an array in an unknown state) the log says "all". */
#ifndef ORACLES_MODEL_PAGE_LOG_H
#define ORACLES_MODEL_PAGE_LOG_H

#include <stdbool.h>
#include <stdint.h>

struct page_log {
	uint32_t *idx;  /* logged page indices, n of them */
	uint8_t *mark;  /* per page: logged */
	uint64_t npages;
	unsigned n, cap;
	bool all;       /* any page may differ: the array must be walked whole */
};

/* Size the log for npages (allocating only when the size changes; a new
 * log says "all").  false if memory ran out. */
bool page_log_size(struct page_log *l, uint64_t npages);
void page_log_release(struct page_log *l);

/* Page i may differ from now on. */
static inline void page_log_add(struct page_log *l, uint64_t i)
{
	if (l->all || l->mark[i])
		return;
	if (l->n == l->cap) {
		l->all = true;
		return;
	}
	l->mark[i] = 1;
	l->idx[l->n++] = (uint32_t)i;
}

/* Nothing differs (the array was just reset or walked whole). */
void page_log_clear(struct page_log *l);
/* Any page may differ. */
void page_log_set_all(struct page_log *l);
/* dst logs what src logs (the same size). */
void page_log_copy(struct page_log *dst, const struct page_log *src);

#endif
