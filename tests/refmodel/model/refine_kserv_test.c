/* The incremental KServ refinement check (refine_check_kserv_since) gives
 * the verdict of the whole check (refine_check_kserv_map) at every step:
 * on random histories of model pages and KServ maps, and on the cases
 * where re-checking too little would hide a violation. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "model/refine/refinement.h"
#include "model/state/ref_attr.h"
#include "model_fixture.h"

#define PAGES 48u

struct world {
	struct ref_state m, k;
	struct refine_kserv_memo memo;
	uint64_t version;
};

static void world_init(struct world *w)
{
	struct kcore_boot b;
	memset(w, 0, sizeof(*w));
	fx_boot(&b);
	CHECK(ref_state_reset(&w->m, &b));
	CHECK(ref_state_reset(&w->k, &b));
	w->k.kserv = calloc(1, sizeof(*w->k.kserv));
	CHECK(w->k.kserv != NULL);
}

static void world_release(struct world *w)
{
	refine_kserv_memo_release(&w->memo);
	ref_state_release(&w->m);
	ref_state_release(&w->k);
}

/* The entry a correct KServ table has for page i, as it is now. */
static struct ref_map_entry good_entry(const struct world *w, unsigned i)
{
	enum ref_map_kind kind = REF_MAP_KSERV_RAM;
	uint64_t pfn = FX_KSERV_PFN(i);
	ref_kserv_kind(&w->m, pfn, &kind);
	struct ref_attr a = ref_attr_of(kind);
	return (struct ref_map_entry){ .key = pfn, .pa = pfn << 12, .pages = 1, .perm = a.perm, .mem = a.mem };
}

static void map_put(struct world *w, struct ref_map_entry e)
{
	struct ref_kserv_map *k = w->k.kserv;
	ref_map_remove(k->e, &k->n, e.key);
	CHECK(ref_map_insert(k->e, &k->n, REF_KSERV_MAP_CAP, e));
	k->from_tree = ++w->version;
}

static void map_drop(struct world *w, unsigned i)
{
	struct ref_kserv_map *k = w->k.kserv;
	ref_map_remove(k->e, &k->n, FX_KSERV_PFN(i));
	k->from_tree = ++w->version;
}

static void set_owner(struct world *w, unsigned i, uint32_t owner, uint32_t share)
{
	struct ref_page *p = ref_page_of(&w->m, FX_KSERV_PFN(i));
	p->owner = owner;
	p->share = share;
}

/* Both checks now; they must agree, and the verdict is returned. */
static bool both(struct world *w)
{
	struct violation whole, since;
	unsigned n;
	const uint32_t *moved = ref_state_take_unchecked(&w->m, &n);
	bool a = refine_check_kserv_map(&w->m, &w->k, &whole);
	bool b = refine_check_kserv_since(&w->memo, &w->m, &w->k, moved, n, &since);
	CHECK_EQ(a, b);
	if (a && b) {
		CHECK_EQ(whole.page, since.page);
		CHECK_STR_EQ(whole.detail, since.detail);
	}
	return b;
}

/* A page the model does not let KServ have: its wrong entry waits, and
 * is reported once the page comes back to KServ. */
TEST(waiting_entry_reported_when_page_returns)
{
	struct world w;
	world_init(&w);
	for (unsigned i = 0; i < 8; i++)
		map_put(&w, good_entry(&w, i));
	CHECK(!both(&w));
	struct ref_map_entry e = good_entry(&w, 3);
	e.perm ^= REF_PERM_W;   /* wrong for KServ's own page */
	set_owner(&w, 3, 1, 0); /* VM 1's now */
	map_put(&w, e);
	CHECK(!both(&w));       /* not KServ's: isolation's to report */
	CHECK(!both(&w));       /* nothing moved */
	set_owner(&w, 3, KCORE_OWNER_KSERV, 0);
	CHECK(both(&w));
	world_release(&w);
}

/* An entry that moved to another page's address is caught even though
 * the map's version did not tell (from_tree 0: no version known). */
TEST(changed_entry_without_version_caught)
{
	struct world w;
	world_init(&w);
	for (unsigned i = 0; i < 8; i++)
		map_put(&w, good_entry(&w, i));
	CHECK(!both(&w));
	w.k.kserv->e[5].pa += 4096;
	w.k.kserv->from_tree = 0;
	CHECK(both(&w));
	world_release(&w);
}

/* Near miss: a page granted away and back with its entry kept right
 * stays silent. */
TEST(page_shared_and_back_near_miss)
{
	struct world w;
	world_init(&w);
	for (unsigned i = 0; i < 8; i++)
		map_put(&w, good_entry(&w, i));
	CHECK(!both(&w));
	set_owner(&w, 2, 1, 1); /* a VM's page granted to KServ */
	map_put(&w, good_entry(&w, 2));
	CHECK(!both(&w));
	set_owner(&w, 2, KCORE_OWNER_KSERV, 0);
	map_put(&w, good_entry(&w, 2));
	CHECK(!both(&w));
	world_release(&w);
}

/* Random histories: pages change owner, entries come, go and go wrong;
 * after a violation the map is repaired and the run goes on. */
static void random_history(unsigned seed)
{
	struct world w;
	world_init(&w);
	srand(seed);
	for (unsigned step = 0; step < 3000; step++) {
		unsigned i = (unsigned)rand() % PAGES, r = (unsigned)rand() % 100;
		if (r < 25)
			set_owner(&w, i, r < 10 ? 1 : KCORE_OWNER_KSERV, r < 5);
		else if (r < 65)
			map_put(&w, good_entry(&w, i));
		else if (r < 80)
			map_drop(&w, i);
		else if (r < 83) {
			struct ref_map_entry e = good_entry(&w, i);
			if (r == 80)
				e.pa += 4096;
			else if (r == 81)
				e.pages = 2;
			else
				e.mem = REF_MEM_DEVICE;
			map_put(&w, e);
		}
		if (both(&w))
			map_put(&w, good_entry(&w, i)); /* may not be the bad one: the next steps say */
	}
	world_release(&w);
}

TEST(random_histories_agree)
{
	for (unsigned seed = 1; seed <= 20; seed++)
		random_history(seed);
}

static const struct test_case cases[] = {
	CASE(waiting_entry_reported_when_page_returns),
	CASE(changed_entry_without_version_caught),
	CASE(page_shared_and_back_near_miss),
	CASE(random_histories_agree),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
