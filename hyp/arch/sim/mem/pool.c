/* Page-sized host buffers for memory frames, checkpoint copies and cache
 * blocks of the model, recycled through a free list: once a fuzzing run has
 * warmed up, restoring and re-dirtying frames allocates nothing. */
#include <stdlib.h>
#include <string.h>

#include "hyp/addr.h"
#include "sim_private.h"

struct free_page {
	struct free_page *next;
};

static struct free_page *free_list;

void *sim_pool_page(void)
{
	struct free_page *p = free_list;

	if (p) {
		free_list = p->next;
		return p;
	}
	p = malloc(PAGE_SIZE);
	if (!p)
		sim_fatal("machine model: out of host memory");
	return p;
}

void *sim_pool_page_zeroed(void)
{
	void *p = sim_pool_page();

	memset(p, 0, PAGE_SIZE);
	return p;
}

void sim_pool_page_free(void *page)
{
	struct free_page *p = page;

	if (!p)
		return;
	p->next = free_list;
	free_list = p;
}

void sim_pool_fini(void)
{
	while (free_list) {
		struct free_page *p = free_list;
		free_list = p->next;
		free(p);
	}
}
