/* The table frames the kept trees read, each as its valid descriptors
 * (s2tree_nodes.h). */
#include "model/s2/s2tree_nodes.h"

#include <stdlib.h>
#include <string.h>

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

#define LINE_ENTRIES (S2_ENTRIES / S2_FRAME_LINES)
#define WHOLE_PAGE_LINES 16 /* more lines changed than this: one page read is cheaper */

/* The valid descriptors of line l of desc, appended to idx/out from n;
 * the new count.  Tables are mostly empty: a line with no valid bit is
 * passed over at once, and within one the copy does not branch. */
static unsigned keep_valid_line(const uint64_t *desc, unsigned l, uint16_t *idx, uint64_t *out, unsigned n)
{
	const uint64_t *w = desc + l * LINE_ENTRIES;
	uint64_t any = 0;
	for (unsigned k = 0; k < LINE_ENTRIES; k++)
		any |= w[k];
	if (!s2_is_valid(any))
		return n;
	for (unsigned k = 0; k < LINE_ENTRIES; k++) {
		idx[n] = (uint16_t)(l * LINE_ENTRIES + k);
		out[n] = w[k];
		n += s2_is_valid(w[k]) ? 1 : 0;
	}
	return n;
}

/* Whether two runs of n entries are the same. */
static bool same_run(const uint16_t *ia, const uint64_t *da, const uint16_t *ib, const uint64_t *db, unsigned n)
{
	uint64_t diff = 0;
	for (unsigned k = 0; k < n; k++)
		diff |= (uint64_t)(ia[k] ^ ib[k]) | (da[k] ^ db[k]);
	return diff == 0;
}

unsigned s2_node_keep_run(struct s2_node *nd, unsigned i, const struct s2_frame_rec *r, unsigned j,
			  struct node_entry *out, uint32_t *pos)
{
	const struct node_entry *old = nd->e + i;
	unsigned k = 0, most = nd->n - i < r->n - j ? nd->n - i : r->n - j;
	uint32_t leaves = 0;
	while (k < most && old[k].idx == r->idx[j + k] && old[k].desc == r->desc[j + k] && old[k].kind != E_TABLE)
		leaves += old[k++].kind == E_LEAF;
	memcpy(out, old, k * sizeof(*out));
	nd->nleaves += leaves;
	nd->own += leaves;
	*pos += leaves;
	return k;
}

/* Entries [*o, first entry at index >= end) of r appended to idx/desc at
 * *n; both positions advance. */
static void keep_old(const struct s2_frame_rec *r, unsigned end, uint16_t *idx, uint64_t *desc, unsigned *o,
		     unsigned *n)
{
	unsigned from = *o;
	while (*o < r->n && r->idx[*o] < end)
		(*o)++;
	memcpy(&idx[*n], &r->idx[from], (*o - from) * sizeof(*idx));
	memcpy(&desc[*n], &r->desc[from], (*o - from) * sizeof(*desc));
	*n += *o - from;
}

/* r brought to generation gen: the lines in lines read again, the rest
 * of its entries kept, and r marked changed at gen if the valid
 * descriptors of a line differ from what r held (always, on a first read). */
static void reread_lines(struct s2_frame_rec *r, uint64_t pa, uint64_t lines, uint64_t gen)
{
	uint64_t page[S2_ENTRIES];
	uint16_t idx[S2_ENTRIES];
	uint64_t desc[S2_ENTRIES];
	bool first = r->gen == NOT_READ, whole = __builtin_popcountll(lines) > WHOLE_PAGE_LINES;
	unsigned n = 0, o = 0;

	if (whole)
		sim_coherent_read_page(pa, page);
	for (uint64_t left = lines; left; left &= left - 1) {
		unsigned l = (unsigned)__builtin_ctzll(left), lo = l * LINE_ENTRIES;
		if (o < r->n && r->idx[o] < lo) /* the unchanged lines before l */
			keep_old(r, lo, idx, desc, &o, &n);
		unsigned from = n, old_from = o;
		while (o < r->n && r->idx[o] < lo + LINE_ENTRIES)
			o++;
		if (!whole)
			sim_coherent_read_line(pa + (uint64_t)l * CACHE_LINE_SIZE, &page[lo]);
		n = keep_valid_line(page, l, idx, desc, n);
		if (first || n - from != o - old_from ||
		    !same_run(&idx[from], &desc[from], &r->idx[old_from], &r->desc[old_from], n - from))
			r->changed = gen;
	}
	keep_old(r, S2_ENTRIES, idx, desc, &o, &n);
	memcpy(r->idx, idx, n * sizeof(*idx));
	memcpy(r->desc, desc, n * sizeof(*desc));
	r->n = n;
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
		r->n = 0;
	}
	if (r->gen != gen) {
		uint64_t lines = sim_frame_take_changes(pa, r->gen);
		if (r->gen == NOT_READ)
			lines = ~0ull;
		if (lines) {
			reread_lines(r, pa, lines, gen);
			ts->frames_read++;
		}
		r->gen = gen;
	}
	return r;
}
