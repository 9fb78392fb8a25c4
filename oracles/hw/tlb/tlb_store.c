#include "hw/tlb/tlb_store.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "hyp/addr.h"

_Static_assert(TLB_MAX_TABLES < TLB_NO_TABLE, "table indexes must fit below TLB_NO_TABLE");
_Static_assert((TLB_MAX_TABLES << 9) <= UINT32_MAX, "pending encoding");
_Static_assert((TLB_TABLE_SLOTS & (TLB_TABLE_SLOTS - 1)) == 0, "slots must be a power of two");
_Static_assert(offsetof(struct tlb_table, valid) < offsetof(struct tlb_table, touched) &&
		       offsetof(struct tlb_table, touched) < offsetof(struct tlb_table, e),
	       "a fresh record: the fields before valid zeroed at once, the rest by clear_entries");
_Static_assert(TLB_TABLE_SLOTS >= 2 * TLB_MAX_TABLES, "keep the index at most half full");

int tlb_store_init(struct tlb_store *s)
{
	memset(s, 0, sizeof(*s));
	s->tables = calloc(TLB_MAX_TABLES, sizeof(*s->tables));
	if (!s->tables)
		return -1;
	s->gen = 1;
	return 0;
}

void tlb_store_fini(struct tlb_store *s)
{
	free(s->tables);
	s->tables = NULL;
}

void tlb_store_reset(struct tlb_store *s)
{
	/* Slots of older generations read as empty; only on wrap-around must
	 * the index really be cleared. */
	if (++s->gen == 0) {
		memset(s->slot_gen, 0, sizeof(s->slot_gen));
		s->gen = 1;
	}
	s->ntables = 0;
	s->npending = 0;
	s->overflow = false;
}

static unsigned slot_of(uint64_t pfn)
{
	/* Fibonacci hashing: table pages are consecutive pfns, and this
	 * spreads them over the whole index. */
	return (unsigned)((pfn * 0x9e3779b97f4a7c15ull) >> 54) & (TLB_TABLE_SLOTS - 1);
}

struct tlb_table *tlb_table_find(const struct tlb_store *s, uint64_t pa)
{
	uint64_t page = pa & ~PAGE_MASK;

	for (unsigned i = slot_of(page >> PAGE_SHIFT), n = 0; n < TLB_TABLE_SLOTS;
	     i = (i + 1) & (TLB_TABLE_SLOTS - 1), n++) {
		if (s->slot_gen[i] != s->gen)
			return NULL;
		struct tlb_table *t = &s->tables[s->slot_table[i]];
		if (t->pa == page)
			return t;
	}
	return NULL;
}

/* Zero every entry of t that may be nonzero. */
static void clear_entries(struct tlb_table *t)
{
	for (unsigned w = 0; w < S2_ENTRIES / 64; w++) {
		for (uint64_t left = t->touched[w]; left; left &= left - 1)
			t->e[w * 64 + (unsigned)__builtin_ctzll(left)] = (struct tlb_entry){ 0 };
		t->touched[w] = 0;
		t->valid[w] = 0;
	}
}

struct tlb_table *tlb_table_get(struct tlb_store *s, uint64_t pa)
{
	uint64_t page = pa & ~PAGE_MASK;
	struct tlb_table *t = tlb_table_find(s, page);
	unsigned i;

	if (t)
		return t;
	if (s->ntables == TLB_MAX_TABLES) {
		s->overflow = true;
		return NULL;
	}
	for (i = slot_of(page >> PAGE_SHIFT); s->slot_gen[i] == s->gen; i = (i + 1) & (TLB_TABLE_SLOTS - 1))
		;
	t = &s->tables[s->ntables];
	clear_entries(t);
	memset(t, 0, offsetof(struct tlb_table, valid));
	t->pa = page;
	t->parent = TLB_NO_TABLE;
	t->root = (uint16_t)s->ntables;
	s->slot_gen[i] = s->gen;
	s->slot_table[i] = (uint16_t)s->ntables;
	s->ntables++;
	return t;
}

void tlb_table_forget(struct tlb_store *s, struct tlb_table *t)
{
	for (unsigned idx = 0; idx < S2_ENTRIES && t->npending; idx++)
		if (tlb_state_pending(t->e[idx].state))
			tlb_pending_remove(s, t, idx);
	clear_entries(t);
	t->known = false;
	t->attached = false;
	t->is_root = false;
	t->level = 0;
	t->parent = TLB_NO_TABLE;
	t->root = tlb_table_index(s, t);
}

void tlb_entry_set_desc(struct tlb_table *t, unsigned idx, uint64_t desc)
{
	uint64_t bit = 1ull << (idx % 64);

	t->e[idx].desc = desc;
	t->touched[idx / 64] |= bit;
	if (s2_is_valid(desc))
		t->valid[idx / 64] |= bit;
	else
		t->valid[idx / 64] &= ~bit;
}

bool tlb_pending_add(struct tlb_store *s, struct tlb_table *t, unsigned idx)
{
	if (s->npending == TLB_MAX_PENDING) {
		s->overflow = true;
		return false;
	}
	t->touched[idx / 64] |= 1ull << (idx % 64);
	t->e[idx].pending_pos = s->npending;
	s->pending[s->npending++] = (uint32_t)tlb_table_index(s, t) << 9 | idx;
	t->npending++;
	return true;
}

void tlb_pending_remove(struct tlb_store *s, struct tlb_table *t, unsigned idx)
{
	unsigned pos = t->e[idx].pending_pos;
	uint32_t last = s->pending[--s->npending];

	s->pending[pos] = last;
	s->tables[last >> 9].e[last & (S2_ENTRIES - 1)].pending_pos = pos;
	t->npending--;
}
