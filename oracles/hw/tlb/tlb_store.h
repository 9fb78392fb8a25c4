/* What the TLB discipline oracle remembers about translation tables: every
 * table page it knows (which tree it belongs to, its level, the IPA range
 * it translates, whether a walker can reach it) and, for each of its 512
 * entries, the last descriptor written and where that entry stands in its
 * invalidation.  Entries whose invalidation is under way are also on one
 * pending list, so barriers and TLBIs look only at them.
 *
 * Everything is allocated once; a reset costs what the last run used.
 */
#ifndef ORACLES_HW_TLB_STORE_H
#define ORACLES_HW_TLB_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "hyp/s2desc.h"

/* The model's pools hold 64 + 8 * 16 + 4 * 8 = 224 table pages; the rest
 * is room for roots and pages reused as tables in a long program. */
#define TLB_MAX_TABLES 512u
#define TLB_TABLE_SLOTS 1024u  /* hash index over table pa, a power of two */
#define TLB_MAX_PENDING 16384u /* entries awaiting invalidation at once */
#define TLB_NO_TABLE UINT16_MAX

/* Where an entry stands.  A change that needs invalidating (valid to
 * invalid, a permission taken away, a table unlinked above it) moves it
 * from VALID through the three middle states; the DSB completing its TLBI
 * ends it in INVALID_CLEAN (or back in VALID when it still maps). */
enum tlb_entry_state {
	TLB_INVALID_CLEAN = 0,   /* no TLB can hold anything of it */
	TLB_VALID,               /* valid, in a table a walker can reach */
	TLB_INVALID_UNPUBLISHED, /* written, no DSB by the writing CPU yet */
	TLB_INVALID_PUBLISHED,   /* DSB done, awaiting a TLBI */
	TLB_TLBI_ISSUED,         /* TLBI issued, awaiting a DSB on the issuing CPU */
	TLB_STATE__COUNT
};

#define TLB_F_EARLY_TLBI 1u /* the writer issued a TLBI for it before its DSB */

struct tlb_entry {
	uint64_t desc;        /* last descriptor written; 0 when never seen */
	uint64_t since;       /* oracle clock when its invalidation started */
	uint32_t pending_pos; /* index in the pending list while pending */
	uint8_t state;        /* enum tlb_entry_state */
	uint8_t writer;       /* CPU whose write started the invalidation */
	uint8_t tlbi_cpus;    /* CPUs whose TLBI covers it, not yet completed */
	uint8_t flags;        /* TLB_F_* */
};

enum tlb_regime_kind { TLB_REGIME_S2 = 1, TLB_REGIME_SMMU = 2 };

struct tlb_table {
	uint64_t pa;
	uint64_t base;        /* first IPA (or IOVA) it translates */
	bool known;           /* a table of some tree; false once forgotten */
	bool attached;        /* reachable from its root through valid tables */
	bool is_root;
	uint8_t level;        /* S2_START_LEVEL..S2_LAST_LEVEL */
	/* Roots only: the regime the tree belongs to. */
	uint8_t kind;         /* enum tlb_regime_kind */
	uint16_t id;          /* VMID or SMMU unit */
	int vm;               /* VM handle violations name, 0 for KServ */
	uint16_t root;        /* table index of its tree's root */
	uint16_t parent;      /* table holding the descriptor that linked it */
	uint16_t parent_idx;
	uint32_t npending;    /* its entries on the pending list */
	uint64_t valid[S2_ENTRIES / 64]; /* entries whose desc is valid */
	/* Entries that may be nonzero: every other one is all zero.  A
	 * record is cleared entry by entry from it, so a fresh table costs
	 * what the last one in its place used, not 12 KiB. */
	uint64_t touched[S2_ENTRIES / 64];
	struct tlb_entry e[S2_ENTRIES];
};

struct tlb_store {
	uint32_t gen;                        /* slot_gen == gen: slot in use */
	uint32_t slot_gen[TLB_TABLE_SLOTS];
	uint16_t slot_table[TLB_TABLE_SLOTS];
	unsigned ntables;
	struct tlb_table *tables;            /* TLB_MAX_TABLES of them */
	unsigned npending;
	uint32_t pending[TLB_MAX_PENDING];   /* table index << 9 | entry index */
	bool overflow;                       /* something did not fit */
};

/* 0, or -1 when out of memory. */
int tlb_store_init(struct tlb_store *s);
void tlb_store_fini(struct tlb_store *s);
void tlb_store_reset(struct tlb_store *s);

/* The record for the table page holding pa, or NULL.  A forgotten table
 * keeps its record (known == false). */
struct tlb_table *tlb_table_find(const struct tlb_store *s, uint64_t pa);
/* Find, or make a fresh unknown record; NULL (and overflow) when full. */
struct tlb_table *tlb_table_get(struct tlb_store *s, uint64_t pa);
static inline uint16_t tlb_table_index(const struct tlb_store *s, const struct tlb_table *t)
{
	return (uint16_t)(t - s->tables);
}

/* Drop all knowledge of a table's entries; the page is no table any more. */
void tlb_table_forget(struct tlb_store *s, struct tlb_table *t);

/* Record desc as entry idx's descriptor, keeping the valid bitmap right.
 * Only this and tlb_pending_add make an entry nonzero (tlb_table.touched):
 * every other change is to an entry they have touched, or writes zeros. */
void tlb_entry_set_desc(struct tlb_table *t, unsigned idx, uint64_t desc);

static inline uint64_t tlb_entry_size(const struct tlb_table *t)
{
	return 1ull << s2_level_shift(t->level);
}
static inline uint64_t tlb_entry_ipa(const struct tlb_table *t, unsigned idx)
{
	return t->base + (uint64_t)idx * tlb_entry_size(t);
}

static inline bool tlb_state_pending(unsigned state)
{
	return state >= TLB_INVALID_UNPUBLISHED && state <= TLB_TLBI_ISSUED;
}

/* Put an entry on the pending list.  False (and overflow) when full. */
bool tlb_pending_add(struct tlb_store *s, struct tlb_table *t, unsigned idx);
/* Take it off; the last entry of the list moves into its place. */
void tlb_pending_remove(struct tlb_store *s, struct tlb_table *t, unsigned idx);
static inline struct tlb_table *tlb_pending_table(const struct tlb_store *s, unsigned i)
{
	return &s->tables[s->pending[i] >> 9];
}
static inline unsigned tlb_pending_idx(const struct tlb_store *s, unsigned i)
{
	return s->pending[i] & (S2_ENTRIES - 1);
}

#endif
