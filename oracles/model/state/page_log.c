#include "model/state/page_log.h"

#include <stdlib.h>
#include <string.h>

/* A run of a fuzz input changes a few dozen pages; a log this long covers
 * any run the harness makes short of KCore's whole pool, and costs
 * 4 bytes per entry. */
#define PAGE_LOG_CAP 8192u

bool page_log_size(struct page_log *l, uint64_t npages)
{
	if (l->mark != NULL && l->npages == npages)
		return true;
	page_log_release(l);
	l->mark = calloc(npages ? npages : 1, 1);
	l->idx = malloc(PAGE_LOG_CAP * sizeof(*l->idx));
	if (l->mark == NULL || l->idx == NULL) {
		page_log_release(l);
		return false;
	}
	l->npages = npages;
	l->cap = PAGE_LOG_CAP;
	l->n = 0;
	l->all = true;
	return true;
}

void page_log_release(struct page_log *l)
{
	free(l->mark);
	free(l->idx);
	*l = (struct page_log){ .all = true };
}

void page_log_clear(struct page_log *l)
{
	if (l->all)
		memset(l->mark, 0, l->npages);
	else
		for (unsigned j = 0; j < l->n; j++)
			l->mark[l->idx[j]] = 0;
	l->n = 0;
	l->all = false;
}

void page_log_set_all(struct page_log *l)
{
	l->all = true;
}

void page_log_copy(struct page_log *dst, const struct page_log *src)
{
	page_log_clear(dst);
	if (src->all) {
		dst->all = true;
		return;
	}
	for (unsigned j = 0; j < src->n; j++)
		page_log_add(dst, src->idx[j]);
}
