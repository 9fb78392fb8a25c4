/* The TLB oracle's table store: a record handed out again (after a reset,
 * or a table forgotten) reads as never written, whatever its last user
 * left in it, though only the entries that user touched are cleared. */
#include <string.h>

#include "check.h"
#include "hw/tlb/tlb_store.h"
#include "hyp/s2desc.h"

#define TABLE_A 0x40010000ull
#define TABLE_B 0x40777000ull

static struct tlb_store s;

static void expect_fresh(const struct tlb_table *t, uint64_t pa)
{
	static const struct tlb_entry zero;

	CHECK_EQ(t->pa, pa);
	CHECK(!t->known && !t->attached && !t->is_root);
	CHECK_EQ(t->level, 0);
	CHECK_EQ(t->npending, 0);
	CHECK_EQ(t->parent, TLB_NO_TABLE);
	for (unsigned w = 0; w < S2_ENTRIES / 64; w++)
		CHECK_EQ(t->valid[w], 0);
	for (unsigned i = 0; i < S2_ENTRIES; i++)
		if (memcmp(&t->e[i], &zero, sizeof(zero)) != 0)
			CHECK_FAIL_("entry %u of a fresh record is not zero", i);
}

/* Every way an entry gets a value: a descriptor, the pending list, the
 * state fields the oracle sets around them. */
static void scribble(struct tlb_table *t)
{
	t->known = t->attached = t->is_root = true;
	t->level = 3;
	t->parent = 7;
	for (unsigned i = 0; i < S2_ENTRIES; i += 3) {
		tlb_entry_set_desc(t, i, (0x41000000ull + i * 0x1000ull) | S2_VALID | S2_TYPE_TABLE);
		t->e[i].state = 1;
	}
	for (unsigned i = 1; i < S2_ENTRIES; i += 7) {
		CHECK(tlb_pending_add(&s, t, i));
		t->e[i].state = 3;
		t->e[i].writer = 2;
		t->e[i].since = 99;
		t->e[i].flags = 1;
		t->e[i].tlbi_cpus = 5;
	}
	tlb_entry_set_desc(t, S2_ENTRIES - 1, 0x1234ull << 12); /* invalid, but not zero */
}

TEST(records_handed_out_again_read_as_new)
{
	CHECK_EQ(tlb_store_init(&s), 0);
	struct tlb_table *t = tlb_table_get(&s, TABLE_A);
	CHECK(t != NULL);
	expect_fresh(t, TABLE_A);
	scribble(t);

	/* the same record for another table in the next run */
	tlb_store_reset(&s);
	struct tlb_table *u = tlb_table_get(&s, TABLE_B);
	CHECK(u == t);
	expect_fresh(u, TABLE_B);
	CHECK(tlb_table_find(&s, TABLE_A) == NULL);

	/* a table forgotten keeps its record, with nothing in it */
	scribble(u);
	tlb_table_forget(&s, u);
	CHECK_EQ(s.npending, 0);
	for (unsigned i = 0; i < S2_ENTRIES; i++)
		CHECK_EQ(u->e[i].desc | u->e[i].state | u->e[i].since, 0);
	CHECK_EQ(u->valid[0] | u->valid[7], 0);
	tlb_store_fini(&s);
}

static const struct test_case cases[] = {
	CASE(records_handed_out_again_read_as_new),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
