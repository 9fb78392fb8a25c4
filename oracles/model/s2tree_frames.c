/* The table frames the kept trees read, each as its valid descriptors
 * (s2tree_nodes.h). */
#include "s2tree_nodes.h"

#include <stdlib.h>

#include "hyp/addr.h"
#include "hyp/s2desc.h"
#include "sim/machine.h"

#define NOT_READ UINT64_MAX

void s2_frames_release(struct s2_trees *ts)
{
	for (uint64_t i = 0; ts->rec && i < ts->ram_pages; i++)
		free(ts->rec[i]);
	free(ts->rec);
	ts->rec = NULL;
}

/* The valid descriptors of a table, by index; their count.  Tables are
 * mostly empty: a group of 8 entries with no valid bit among them is
 * passed over at once, and within a group the copy does not branch. */
static unsigned keep_valid(const uint64_t desc[S2_ENTRIES], uint16_t idx[S2_ENTRIES], uint64_t out[S2_ENTRIES])
{
	unsigned n = 0;

	for (unsigned g = 0; g < S2_ENTRIES; g += 8) {
		uint64_t any = 0;
		for (unsigned k = g; k < g + 8; k++)
			any |= desc[k];
		if (!s2_is_valid(any))
			continue;
		for (unsigned k = g; k < g + 8; k++) {
			idx[n] = (uint16_t)k;
			out[n] = desc[k];
			n += s2_is_valid(desc[k]) ? 1 : 0;
		}
	}
	return n;
}

/* The table frame at pa (RAM) as it is now; NULL if memory ran out.  A
 * frame two trees share is read once. */
const struct s2_frame_rec *s2_frame_now(struct s2_trees *ts, uint64_t pa, uint64_t gen)
{
	uint64_t i = (pa - ts->ram_base) >> PAGE_SHIFT;
	struct s2_frame_rec *r = ts->rec[i];

	sim_frame_watch(pa); /* a tree keeps it from now on: s2_trees_get's fast path */

	if (r == NULL) {
		r = ts->rec[i] = malloc(sizeof(*r));
		if (r == NULL)
			return NULL;
		r->gen = NOT_READ;
	}
	if (r->gen != gen) {
		uint64_t desc[S2_ENTRIES];
		sim_coherent_read_page(pa, desc);
		r->n = keep_valid(desc, r->idx, r->desc);
		r->gen = gen;
		ts->frames_read++;
	}
	return r;
}
