/* The kept trees (oracles/model/s2/s2tree.h) against a fresh scan: after
 * every change of the tables, the tree a splice keeps has the leaves a
 * fresh s2_scan finds (same order, same budget result), its PA index
 * holds exactly its leaves in PA order, fresh[] names exactly the leaves
 * the previous version lacked, and the version moves exactly when the
 * leaves changed.  Tables are built by hand in the machine's memory. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "hyp/addr.h"
#include "hyp/arch.h"
#include "model/s2/s2scan.h"
#include "model/s2/s2tree.h"
#include "sim_fixture.h"

#define MAX_LEAVES 8192
#define PAGE_RW (S2_PAGE_NORMAL_RW)
#define BLOCK_RW ((S2_PAGE_NORMAL_RW) & ~S2_TYPE_TABLE)

static struct s2_trees trees;

/* A root's leaves as last seen, to tell what is new. */
struct seen {
	struct s2_leaf leaf[MAX_LEAVES];
	unsigned n;
	uint64_t version;
};

static struct s2_leaf scanned[MAX_LEAVES];
static unsigned nscanned;
/* With more roots than slots a root may have been evicted: rebuilt, it
 * moves its version with everything new (prev_version 0) though its
 * leaves stayed. */
static bool may_evict;

static bool on_leaf(void *ctx, const struct s2_leaf *l)
{
	(void)ctx;
	CHECK(nscanned < MAX_LEAVES);
	scanned[nscanned++] = *l;
	return true;
}

static bool same(const struct s2_leaf *a, const struct s2_leaf *b)
{
	return a->ipa == b->ipa && a->pa == b->pa && a->size == b->size && a->desc == b->desc && a->level == b->level;
}

static bool held(const struct seen *s, const struct s2_leaf *l)
{
	for (unsigned i = 0; i < s->n; i++)
		if (same(&s->leaf[i], l))
			return true;
	return false;
}

/* The tree at root equals a fresh scan, and against what s saw before. */
static void check_root(uint64_t root, struct seen *s)
{
	nscanned = 0;
	enum s2_scan_result res = s2_scan(root, S2_SCAN_TABLES_DEFAULT, on_leaf, NULL);
	const struct s2_tree *t = s2_trees_get(&trees, root);
	CHECK_EQ(t->result, res);
	CHECK_EQ(t->nleaves, nscanned);
	for (unsigned i = 0; i < nscanned; i++)
		CHECK(same(&t->leaf[i], &scanned[i]));
	/* the PA index: every leaf once, in (pa, ipa) order */
	for (unsigned i = 0; i < t->nleaves; i++) {
		CHECK(i == 0 || t->by_pa[i - 1].pa < t->by_pa[i].pa ||
		      (t->by_pa[i - 1].pa == t->by_pa[i].pa && t->by_pa[i - 1].ipa < t->by_pa[i].ipa));
		unsigned at = s2_tree_leaf_index(t, t->by_pa[i].ipa);
		CHECK(at < t->nleaves);
		CHECK_EQ(t->leaf[at].ipa, t->by_pa[i].ipa);
		CHECK_EQ(t->leaf[at].pa, t->by_pa[i].pa);
		CHECK_EQ(t->leaf[at].size, t->by_pa[i].size);
	}
	uint64_t max = 0;
	for (unsigned i = 0; i < t->nleaves; i++)
		max = t->leaf[i].size > max ? t->leaf[i].size : max;
	CHECK_EQ(t->max_size, max);
	/* fresh: exactly the leaves s did not hold; the version moves iff the leaves changed */
	bool changed = t->nleaves != s->n;
	for (unsigned i = 0, f = 0; i < t->nleaves; i++) {
		bool is_new = !held(s, &t->leaf[i]);
		changed |= is_new;
		if (t->version == s->version)
			continue;
		if (t->prev_version != s->version)
			continue; /* everything counts as new */
		bool listed = f < t->nfresh && t->fresh[f] == i;
		CHECK_EQ(listed, is_new);
		f += listed;
		CHECK(i + 1 < t->nleaves || f == t->nfresh);
	}
	if (!(may_evict && t->version != s->version && t->prev_version == 0))
		CHECK_EQ(t->version != s->version, changed || s->version == 0);
	memcpy(s->leaf, t->leaf, t->nleaves * sizeof(*t->leaf));
	s->n = t->nleaves;
	s->version = t->version;
}

static uint64_t l3_slot(uint64_t root, uint64_t ipa)
{
	uint64_t l2 = s2_oa(sim_mem_read64(root + 8ull * s2_index(ipa, 1)));
	return l2 + 8ull * s2_index(ipa, 2);
}

static void up(void)
{
	fx_up();
	CHECK(s2_trees_init(&trees, FX_RAM, 64ull << 20));
}

static void down(void)
{
	s2_trees_release(&trees);
}

/* A VM-like tree: pages in two 2 MiB regions, one block. */
static uint64_t sample_root(void)
{
	uint64_t root = fx_table();
	for (unsigned i = 0; i < 6; i++)
		fx_map(root, 0x80000000ull + i * 0x1000, 3, (FX_DATA + i * 0x1000) | PAGE_RW);
	for (unsigned i = 0; i < 3; i++)
		fx_map(root, 0x80400000ull + i * 0x3000, 3, (FX_DATA + 0x10000 + i * 0x1000) | PAGE_RW);
	fx_map(root, 0x80a00000ull, 2, (FX_RAM + 0x200000ull) | BLOCK_RW);
	return root;
}

TEST(leaf_added_changed_removed)
{
	static struct seen s;
	up();
	uint64_t root = sample_root();
	check_root(root, &s);
	fx_map(root, 0x80003000ull + 0x1000 * 3, 3, (FX_DATA + 0x20000) | PAGE_RW);  /* added in the middle */
	check_root(root, &s);
	fx_map(root, 0x80000000ull, 3, (FX_DATA + 0x21000) | (PAGE_RW & ~S2_S2AP_W)); /* changed */
	check_root(root, &s);
	fx_map(root, 0x80001000ull, 3, 0);                                          /* removed */
	fx_map(root, 0x80404000ull, 3, 0);
	check_root(root, &s);
	uint64_t v = s.version;
	sim_mem_write64(l3_slot(root, 0x80000000ull) - 8 * 1, 0); /* a write that changes no leaf */
	check_root(root, &s);
	CHECK_EQ(s.version, v);
	CHECK(trees.trees_spliced >= 3);
	down();
}

TEST(table_frame_replaced)
{
	static struct seen s;
	up();
	uint64_t root = sample_root();
	check_root(root, &s);
	uint64_t fresh_l3 = fx_table();
	for (unsigned i = 0; i < 4; i++)
		sim_mem_write64(fresh_l3 + 8ull * (i * 7), (FX_DATA + 0x30000 + i * 0x1000) | PAGE_RW);
	sim_mem_write64(l3_slot(root, 0x80000000ull), FX_TABLE_DESC(fresh_l3));
	check_root(root, &s);
	/* and the new frame changes afterwards: its node is the one kept */
	sim_mem_write64(fresh_l3 + 8ull * 100, (FX_DATA + 0x40000) | PAGE_RW);
	check_root(root, &s);
	down();
}

TEST(table_unlinked_and_relinked_elsewhere)
{
	static struct seen s;
	up();
	uint64_t root = sample_root();
	check_root(root, &s);
	uint64_t slot = l3_slot(root, 0x80000000ull), d = sim_mem_read64(slot);
	sim_mem_write64(slot, 0);
	check_root(root, &s);
	sim_mem_write64(l3_slot(root, 0x80000000ull) + 8 * 7, d); /* the same table, 14 MiB up */
	check_root(root, &s);
	/* back, and in both places at once */
	sim_mem_write64(slot, d);
	check_root(root, &s);
	sim_mem_write64(s2_oa(d) + 8 * 300, (FX_DATA + 0x50000) | PAGE_RW);
	check_root(root, &s);
	down();
}

TEST(block_split_into_table)
{
	static struct seen s;
	up();
	uint64_t root = sample_root();
	check_root(root, &s);
	uint64_t l3 = fx_table();
	for (unsigned i = 0; i < S2_ENTRIES; i++)
		sim_mem_write64(l3 + 8ull * i, (FX_RAM + 0x200000ull + i * 0x1000ull) | PAGE_RW);
	sim_mem_write64(l3_slot(root, 0x80a00000ull), FX_TABLE_DESC(l3));
	check_root(root, &s);
	/* and merged back into the block */
	sim_mem_write64(l3_slot(root, 0x80a00000ull), (FX_RAM + 0x200000ull) | BLOCK_RW);
	check_root(root, &s);
	down();
}

TEST(table_freed_and_frame_reused_as_data)
{
	static struct seen s;
	up();
	uint64_t root = sample_root();
	check_root(root, &s);
	uint64_t slot = l3_slot(root, 0x80400000ull), l3 = s2_oa(sim_mem_read64(slot));
	sim_mem_write64(slot, 0);
	check_root(root, &s);
	/* data that looks like descriptors: no longer part of the tree */
	for (unsigned i = 0; i < S2_ENTRIES; i++)
		sim_mem_write64(l3 + 8ull * i, (FX_DATA + i * 0x1000ull) | PAGE_RW);
	check_root(root, &s);
	/* linked again: all of it is read */
	sim_mem_write64(slot, FX_TABLE_DESC(l3));
	check_root(root, &s);
	down();
}

TEST(frame_shared_by_two_trees)
{
	static struct seen a, b;
	up();
	uint64_t ra = sample_root(), rb = fx_table();
	uint64_t shared = s2_oa(sim_mem_read64(l3_slot(ra, 0x80000000ull)));
	fx_map(rb, 0x40000000ull, 3, (FX_DATA + 0x60000) | PAGE_RW);
	sim_mem_write64(l3_slot(rb, 0x40000000ull) + 8, FX_TABLE_DESC(shared));
	check_root(ra, &a);
	check_root(rb, &b);
	sim_mem_write64(shared + 8 * 200, (FX_DATA + 0x61000) | PAGE_RW);
	check_root(ra, &a);
	check_root(rb, &b);
	sim_mem_write64(shared, 0);
	check_root(rb, &b); /* the other order: the frame is read once, for both */
	check_root(ra, &a);
	down();
}

TEST(root_and_upper_levels_change)
{
	static struct seen s;
	up();
	uint64_t root = sample_root();
	check_root(root, &s);
	fx_map(root, 0x1000ull, 3, (FX_DATA + 0x70000) | PAGE_RW);          /* a new level-2 table */
	fx_map(root, 0xc0000000ull, 1, (FX_RAM & ~0x3fffffffull) | BLOCK_RW); /* a 1 GiB block */
	check_root(root, &s);
	sim_mem_write64(root + 8 * s2_index(0x80000000ull, 1), 0);           /* a whole region gone */
	check_root(root, &s);
	sim_mem_write64(root, FX_TABLE_DESC(0x08000000ull));                 /* a table outside RAM */
	check_root(root, &s);
	down();
}

/* A frame and a table under one of its unchanged entries move before
 * the same look: both are merged. */
TEST(moves_at_two_levels_at_once)
{
	static struct seen s;
	up();
	uint64_t root = sample_root();
	check_root(root, &s);
	fx_map(root, 0x80402000ull, 3, (FX_DATA + 0x71000) | PAGE_RW);   /* under an unchanged level-2 entry */
	fx_map(root, 0x80600000ull, 2, (FX_RAM + 0x400000ull) | BLOCK_RW); /* in the level-2 table itself */
	fx_map(root, 0x1000ull, 3, (FX_DATA + 0x72000) | PAGE_RW);        /* in the root */
	check_root(root, &s);
	down();
}

/* A table linked into itself: past the budget, kept flat, and back to
 * nodes once the loop is cut. */
TEST(loop_past_the_budget_and_back)
{
	static struct seen s;
	up();
	uint64_t root = sample_root();
	check_root(root, &s);
	uint64_t l2 = s2_oa(sim_mem_read64(root + 8 * s2_index(0x80000000ull, 1)));
	sim_mem_write64(root + 8 * 5, FX_TABLE_DESC(root)); /* level 1 -> itself, read as level 2 */
	sim_mem_write64(root + 8 * 6, FX_TABLE_DESC(l2));
	check_root(root, &s);
	sim_mem_write64(l2 + 8 * 9, FX_TABLE_DESC(l2));
	check_root(root, &s);
	sim_mem_write64(root + 8 * 5, 0);
	check_root(root, &s);
	sim_mem_write64(root + 8 * 6, 0);
	sim_mem_write64(l2 + 8 * 9, 0);
	check_root(root, &s);
	fx_map(root, 0x80002000ull, 3, 0);
	check_root(root, &s);
	down();
}

/* Random edits of a few tables: after each batch the tree is the scan's. */
TEST(random_edits_agree_with_the_scan)
{
	static struct seen s[2];
	up();
	uint64_t roots[2] = { sample_root(), sample_root() };
	uint64_t tables[12];
	for (unsigned i = 0; i < 12; i++)
		tables[i] = fx_table();
	uint64_t x = 0x9e3779b97f4a7c15ull;
	for (unsigned round = 0; round < 400; round++) {
		for (unsigned k = 0, edits = 1 + round % 5; k < edits; k++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			uint64_t frame = x % 3 == 0 ? roots[x / 3 % 2] : tables[x / 7 % 12];
			unsigned idx = (unsigned)(x >> 20) % 24, what = (unsigned)(x >> 40) % 5;
			uint64_t d = what == 0 ? 0 : what == 1 ? FX_TABLE_DESC(tables[x >> 50 & 7])
				   : what == 2 ? (FX_DATA + ((x >> 30) % 64) * 0x1000) | PAGE_RW
				   : what == 3 ? (FX_RAM + 0x200000ull * (x >> 33 & 3)) | BLOCK_RW
				   : (FX_DATA + 0x1000 * (x >> 45 & 15)) | (PAGE_RW & ~S2_S2AP_W);
			sim_mem_write64(frame + 8ull * idx, d);
		}
		check_root(roots[round % 2], &s[round % 2]);
		if (round % 3 == 0)
			check_root(roots[1 - round % 2], &s[1 - round % 2]);
	}
	down();
}

/* More roots than slots, asked for hot and cold in turn: each is found in
 * its own slot or rebuilt in the least recently used one, never mistaken
 * for another root (the hints only shorten the search), and stays the
 * scan's while its tables change. */
TEST(more_roots_than_slots)
{
	enum { ROOTS = S2_TREE_SLOTS + 8 };
	struct seen *s = calloc(ROOTS, sizeof(*s));
	CHECK(s != NULL);
	up();
	may_evict = true;
	uint64_t roots[ROOTS];
	for (unsigned r = 0; r < ROOTS; r++) {
		roots[r] = fx_table();
		fx_map(roots[r], 0x80000000ull + r * 0x1000, 3, (FX_DATA + r * 0x1000) | PAGE_RW);
	}
	for (unsigned round = 0; round < 6; round++)
		for (unsigned r = 0; r < ROOTS; r++) {
			check_root(roots[r], &s[r]);
			check_root(roots[r % 4], &s[r % 4]); /* a few hot roots stay in their slots */
			if (r % 7 == round)
				sim_mem_write64(l3_slot(roots[r], 0x80000000ull + r * 0x1000) + 8,
						(FX_DATA + (r + round) * 0x1000) | PAGE_RW);
		}
	may_evict = false;
	down();
	free(s);
}

/* A frame rewritten with what it held moves its generation, not its
 * entries, while a node under it changes in the same round; a frame two
 * trees share changes for one of them and back, read by one, the other
 * or neither in between: each tree stays the scan's. */
TEST(frame_moved_with_same_contents)
{
	static struct seen a, b;
	up();
	uint64_t ra = sample_root(), rb = fx_table();
	uint64_t l3 = s2_oa(sim_mem_read64(l3_slot(ra, 0x80000000ull)));
	uint64_t l2 = s2_oa(sim_mem_read64(ra + 8ull * s2_index(0x80000000ull, 1)));
	sim_mem_write64(rb, FX_TABLE_DESC(l2)); /* rb shares ra's level-2 table */
	check_root(ra, &a);
	check_root(rb, &b);
	for (unsigned round = 0; round < 3; round++) {
		sim_mem_write64(ra, sim_mem_read64(ra));
		sim_mem_write64(l2, sim_mem_read64(l2));
		sim_mem_write64(l3 + 8 * (100 + round), (FX_DATA + (0x70 + round) * 0x1000ull) | PAGE_RW);
		check_root(ra, &a);
	}
	uint64_t kept = sim_mem_read64(l2 + 8 * 300);
	sim_mem_write64(l2 + 8 * 300, (FX_RAM + 0x400000ull) | BLOCK_RW);
	check_root(rb, &b); /* reads l2 with the block */
	sim_mem_write64(l2 + 8 * 300, kept);
	check_root(ra, &a); /* l2 as ra last held it, but the record saw the block since */
	check_root(rb, &b);
	sim_mem_write64(l2 + 8 * 300, (FX_RAM + 0x600000ull) | BLOCK_RW);
	sim_mem_write64(l2 + 8 * 300, kept); /* changed and back, read by neither */
	check_root(ra, &a);
	check_root(rb, &b);
	down();
}

/* The leaves of root in ts are the scan's (a second observer's trees). */
static void check_other(struct s2_trees *ts, uint64_t root)
{
	nscanned = 0;
	enum s2_scan_result res = s2_scan(root, S2_SCAN_TABLES_DEFAULT, on_leaf, NULL);
	const struct s2_tree *t = s2_trees_get(ts, root);
	CHECK_EQ(t->result, res);
	CHECK_EQ(t->nleaves, nscanned);
	for (unsigned i = 0; i < nscanned; i++)
		CHECK(same(&t->leaf[i], &scanned[i]));
}

/* One change of entry idx of frame, by one of the paths that move a
 * frame's coherent view or only its generation. */
static void change(uint64_t frame, unsigned idx, uint64_t d, unsigned how)
{
	uint64_t pa = frame + 8ull * idx;
	switch (how) {
	case 0: arch_pte_write(pa_init(frame), idx, d); break; /* cached, delayed for other CPUs */
	case 1: sim_mem_write64(pa, d); break;                 /* memory, below any line */
	case 2: sim_coherent_write64(pa, d); break;            /* snooping */
	case 3: arch_dc_cvac(pa_init(pa)); break;
	case 4: arch_dc_civac(pa_init(pa)); break;
	case 5: sim_cache_evict(pa); break;
	case 6: sim_relaxed_publish(0); break;
	case 7: arch_dsb_ish(); break;
	default: sim_mem_write64(pa, sim_mem_read64(pa)); break; /* the same value again */
	}
}

/* Random histories through every path (cached, non-cacheable and
 * snooping writes, cleans, clean-and-invalidates, evictions, published
 * delayed writes, page zeroing, restores), the frames re-read only where
 * the machine says lines changed: after every change each tree is the
 * scan's.  A round works on two lines of one frame (low, middle or last
 * of the table), so a line is written, cleaned, written below and dropped
 * in turn.  A second set of trees reads the same frames now and then, so
 * both take the changed lines after the other (and then read whole
 * frames). */
TEST(line_masked_rereads_agree_with_the_scan)
{
	static struct seen s[2];
	static struct s2_trees other;
	static const unsigned line_base[4] = { 0, 16, 248, 496 };
	up();
	CHECK(s2_trees_init(&other, FX_RAM, 64ull << 20));
	uint64_t roots[2] = { sample_root(), sample_root() };
	uint64_t tables[10];
	for (unsigned i = 0; i < 10; i++)
		tables[i] = fx_table();
	sim_checkpoint();
	uint64_t x = 0x2545f4914f6cdd1dull;
	for (unsigned round = 0; round < 1200; round++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		uint64_t frame = x % 3 == 0 ? roots[x / 3 % 2] : tables[x / 7 % 10];
		unsigned base = line_base[(x >> 8) % 4];
		for (unsigned k = 0, edits = 1 + round % 7; k < edits; k++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			unsigned idx = base + (unsigned)(x >> 20) % 16, what = (unsigned)(x >> 40) % 5;
			uint64_t d = what == 0 ? 0 : what == 1 ? FX_TABLE_DESC(tables[x >> 50 & 7])
				   : what == 2 ? (FX_DATA + ((x >> 30) % 64) * 0x1000) | PAGE_RW
				   : what == 3 ? (FX_RAM + 0x200000ull * (x >> 33 & 3)) | BLOCK_RW
				   : (FX_DATA + 0x1000 * (x >> 45 & 15)) | (PAGE_RW & ~S2_S2AP_W);
			change(frame, idx, d, (unsigned)(x >> 56) % 9);
			check_root(roots[(round + k) % 2], &s[(round + k) % 2]);
		}
		if (round % 97 == 50)
			arch_page_zero(pa_init(tables[round % 10]));
		if (round % 61 == 60 || round % 23 == 12)
			sim_restore(); /* at 12: dropping the lines of one round's writes, often cached only */
		if (round % 23 == 11)
			sim_checkpoint();
		check_root(roots[round % 2], &s[round % 2]);
		if (round % 5 == 0)
			check_other(&other, roots[(round / 5) % 2]);
	}
	s2_trees_release(&other);
	down();
}

static const struct test_case cases[] = {
	CASE(leaf_added_changed_removed),
	CASE(table_frame_replaced),
	CASE(table_unlinked_and_relinked_elsewhere),
	CASE(block_split_into_table),
	CASE(table_freed_and_frame_reused_as_data),
	CASE(frame_shared_by_two_trees),
	CASE(root_and_upper_levels_change),
	CASE(moves_at_two_levels_at_once),
	CASE(loop_past_the_budget_and_back),
	CASE(random_edits_agree_with_the_scan),
	CASE(more_roots_than_slots),
	CASE(frame_moved_with_same_contents),
	CASE(line_masked_rereads_agree_with_the_scan),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
