#include "mm/pgtable.h"

#include "base/bugs.h"
#include "hyp/arch.h"
#include "hyp/s2desc.h"

struct pgt_walk;

/* Called for each level-3 entry in the range; nonzero stops the walk. */
typedef int (*walk_leaf_fn)(struct pgt_walk *w, paddr_t table, unsigned idx,
			    uint64_t gfn, uint64_t desc);

struct pgt_walk {
	struct pgt *pgt;
	uint64_t start, end;    /* gfns [start, end) */
	bool alloc;             /* create missing tables from the pool */
	bool valid_only;        /* leaf acts on valid entries only */
	walk_leaf_fn leaf;
	/* out: level of the first missing table entry (0: none) */
	unsigned missing_level;
	/* callback data */
	uint64_t desc;
	pgt_leaf_fn before, after;
	void *user_arg;
};

static uint64_t gfns_per_entry(unsigned level)
{
	return 1ull << (9 * (S2_LAST_LEVEL - level));
}

static paddr_t new_table(struct pgt_walk *w, paddr_t table, unsigned idx)
{
	paddr_t page;

	if (!hyp_pool_alloc(w->pgt->pool, &page))
		arch_panic("pgtable: pool exhausted after a capacity check");
	/* The zeroed page must be visible before a walker can reach it. */
	arch_dsb_ish();
	arch_pte_write(table, idx, pa_addr(page) | S2_VALID | S2_TYPE_TABLE);
	return page;
}

/* The entry at or after idx (up to last) the walk acts on: the next one,
 * or, when it acts on valid entries only, the next valid one, read in one
 * call.  Returns last + 1 when there is none. */
static unsigned next_entry(struct pgt_walk *w, paddr_t table, unsigned level,
			   unsigned idx, unsigned last, uint64_t *desc)
{
	if (!w->valid_only) {
		*desc = arch_pte_read(table, idx);
		return idx;
	}
	unsigned found = arch_pte_next_valid(table, idx, last, desc);

	/* as if the invalid entries passed over had been visited */
	if (found > idx && level < S2_LAST_LEVEL && !w->missing_level)
		w->missing_level = level;
	return found;
}

static int walk_table(struct pgt_walk *w, paddr_t table, unsigned level, uint64_t base)
{
	uint64_t span = gfns_per_entry(level);
	uint64_t first = w->start > base ? (w->start - base) / span : 0;
	uint64_t last = (w->end - 1 - base) / span;

	if (last >= S2_ENTRIES)
		last = S2_ENTRIES - 1;
	for (uint64_t i = first; i <= last; i++) {
		uint64_t desc;
		unsigned idx = next_entry(w, table, level, (unsigned)i, (unsigned)last, &desc);

		if (idx > last)
			break;
		i = idx;
		uint64_t gfn = base + i * span;
		paddr_t next;
		int ret;

		if (level == S2_LAST_LEVEL) {
			ret = w->leaf(w, table, idx, gfn, desc);
		} else {
			if (s2_is_table(desc, level)) {
				next = pa_init(s2_oa(desc));
			} else if (s2_is_valid(desc)) {
				arch_panic("pgtable: block entry in a KCore table");
			} else if (w->alloc) {
				next = new_table(w, table, idx);
			} else {
				if (!w->missing_level)
					w->missing_level = level;
				continue;
			}
			ret = walk_table(w, next, level + 1, gfn);
		}
		if (ret)
			return ret;
	}
	return 0;
}

static int walk(struct pgt_walk *w, bool writes)
{
	if (w->start >= w->end || w->end - 1 > S2_MAX_GFN)
		arch_panic("pgtable: walk outside the IPA space");
	arch_note_access(w->pgt->obj, writes);
	return walk_table(w, w->pgt->root, S2_START_LEVEL, 0);
}

static void flush_entry(const struct pgt *pgt, uint64_t gfn)
{
#if KCORE_BUG(SMMU_UNMAP_NO_TLBI)
	/* Planted: the unit's IOTLB is left for smmu_free to flush, but
	 * smmu_unmap never gets there. */
	if (pgt->flush == PGT_FLUSH_SMMU)
		return;
#endif
#if KCORE_BUG(KSERV_UNMAP_NO_TLBI)
	/* Planted: tag 0 read as "no VMID yet, nothing cached", but VMID 0
	 * is KServ's. */
	if (pgt->flush == PGT_FLUSH_VMID && pgt->tag == 0)
		return;
#endif
	if (pgt->flush == PGT_FLUSH_SMMU)
		arch_smmu_tlbi(pgt->tag);
	else
		arch_tlbi_ipa(pgt->tag, ipa_from_gfn(gfn));
}

/* Break: no walker may see the old entry once this returns. */
static void break_entry(const struct pgt *pgt, paddr_t table, unsigned idx, uint64_t gfn)
{
	arch_pte_write(table, idx, 0);
#if !KCORE_BUG(TLBI_BEFORE_DSB)
	arch_dsb_ish();
#endif
	flush_entry(pgt, gfn);
#if !KCORE_BUG(NO_FINAL_DSB)
	arch_dsb_ish();
#endif
}

/* Make: the new valid entry, visible to walkers once the DSB completes. */
static void make_entry(paddr_t table, unsigned idx, uint64_t desc)
{
	arch_pte_write(table, idx, desc);
	arch_dsb_ish();
}

void kcore_pgt_init(struct pgt_locked t, struct hyp_pool *pool, uint32_t obj,
		    enum pgt_flush flush, uint16_t tag)
{
	struct pgt *pgt = t.pgt;

	pgt->pool = pool;
	pgt->obj = obj;
	pgt->flush = flush;
	pgt->tag = tag;
	arch_note_access(obj, true);
	if (!hyp_pool_alloc(pool, &pgt->root))
		arch_panic("pgtable: no page for a root table");
}

static int lookup_leaf(struct pgt_walk *w, paddr_t table, unsigned idx, uint64_t gfn, uint64_t desc)
{
	(void)table, (void)idx, (void)gfn;
	w->desc = s2_is_valid(desc) ? desc : 0;
	return 0;
}

uint64_t kcore_pgt_lookup(struct pgt_locked t, uint64_t gfn)
{
	struct pgt_walk w = { .pgt = t.pgt, .start = gfn, .end = gfn + 1, .leaf = lookup_leaf };

	walk(&w, false);
	return w.desc;
}

bool kcore_pgt_can_map(struct pgt_locked t, uint64_t gfn)
{
	struct pgt_walk w = { .pgt = t.pgt, .start = gfn, .end = gfn + 1, .leaf = lookup_leaf };
	uint32_t needed;

	walk(&w, false);
	/* A missing level-L entry means tables for levels L+1..3 are missing. */
	needed = w.missing_level ? S2_LAST_LEVEL - w.missing_level : 0;
	return hyp_pool_left(t.pgt->pool) >= needed;
}

static int map_leaf(struct pgt_walk *w, paddr_t table, unsigned idx, uint64_t gfn, uint64_t desc)
{
	(void)gfn;
#if KCORE_BUG(REMAP_WITHOUT_BBM)
	(void)desc; /* Planted: a valid entry is overwritten in place. */
#else
	if (s2_is_valid(desc))
		arch_panic("pgtable: map over a valid entry");
#endif
	make_entry(table, idx, w->desc);
	return 0;
}

void kcore_pgt_map(struct pgt_locked t, uint64_t gfn, uint64_t desc)
{
	struct pgt_walk w = { .pgt = t.pgt, .start = gfn, .end = gfn + 1,
			      .alloc = true, .leaf = map_leaf, .desc = desc };

	walk(&w, true);
}

static int unmap_leaf(struct pgt_walk *w, paddr_t table, unsigned idx, uint64_t gfn, uint64_t desc)
{
	if (!s2_is_valid(desc))
		return 0;
	if (w->before)
		w->before(w->user_arg, gfn, desc);
	break_entry(w->pgt, table, idx, gfn);
	if (w->after)
		w->after(w->user_arg, gfn, desc);
	w->desc = desc;
	return 0;
}

uint64_t kcore_pgt_unmap(struct pgt_locked t, uint64_t gfn)
{
	struct pgt_walk w = { .pgt = t.pgt, .start = gfn, .end = gfn + 1,
			      .valid_only = true, .leaf = unmap_leaf };

	walk(&w, true);
	return w.desc;
}

void kcore_pgt_unmap_all(struct pgt_locked t, pgt_leaf_fn before, pgt_leaf_fn after, void *arg)
{
	struct pgt_walk w = { .pgt = t.pgt, .start = 0, .end = S2_MAX_GFN + 1,
			      .valid_only = true, .leaf = unmap_leaf,
			      .before = before, .after = after, .user_arg = arg };

	walk(&w, true);
}
