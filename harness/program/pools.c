/* The operand pools, derived from the machine layout.  PROGRAM.md lists
 * what each pool holds and why. */
#include "program/pools.h"

#include "hyp/addr.h"
#include "hyp/s2desc.h"

/* Guest images and the first RAM a VM gets sit at IPA 2 GiB: a 1 GiB
 * aligned gfn, so its neighbours below and above cross 2 MiB and 1 GiB
 * boundaries (new level-2 and level-3 tables). */
#define GUEST_GFN 0x80000ull
#define GFN_2M (1ull << 9)
#define GFN_1G (1ull << 18)
#define HOT_PAGES 8
/* The last aligned word and the last byte below an address. */
#define WORD 8ull

/* Values already present are not added again, so overlapping boundaries
 * (the last page of one pool is the page below the next) take one place. */
static void add(struct pool *pool, uint64_t v)
{
	for (unsigned i = 0; i < pool->n; i++)
		if (pool->v[i] == v)
			return;
	if (pool->n < POOL_MAX)
		pool->v[pool->n++] = v;
}

static void add_range(struct pool *pool, uint64_t first, unsigned count)
{
	for (unsigned i = 0; i < count; i++)
		add(pool, first + i);
}

/* Both sides of both ends of the page range [first, first + pages). */
static void add_edges(struct pool *pool, uint64_t first, uint64_t pages)
{
	if (pages == 0)
		return;
	add(pool, first - 1);
	add(pool, first);
	add(pool, first + pages - 1);
	add(pool, first + pages);
}

/* The same range's ends at byte granularity: the last word and byte below
 * it, its first word, its last word and byte. */
static void add_byte_edges(struct pool *pool, uint64_t first, uint64_t pages)
{
	uint64_t lo = first << PAGE_SHIFT, hi = (first + pages) << PAGE_SHIFT;

	if (pages == 0)
		return;
	add(pool, lo - WORD);
	add(pool, lo - 1);
	add(pool, lo + WORD);
	add(pool, hi - WORD);
	add(pool, hi - 1);
}

static void gfn_pool(struct pool *pool)
{
	add_range(pool, GUEST_GFN, HOT_PAGES);
	pool->hot = pool->n;
	/* Image ranges: up to KCORE_MAX_IMAGE_PAGES from GUEST_GFN, so the
	 * page past the longest image, and the page below every image. */
	add(pool, GUEST_GFN + KCORE_MAX_IMAGE_PAGES);
	add(pool, GUEST_GFN - 1);
	add(pool, GUEST_GFN + GFN_2M - 1);
	add(pool, GUEST_GFN + GFN_2M);
	add(pool, GUEST_GFN + GFN_1G - 1);
	add(pool, GUEST_GFN + GFN_1G);
	/* The IPA space. */
	add(pool, 0);
	add(pool, 1);
	add(pool, S2_MAX_GFN);
	add(pool, S2_MAX_GFN + 1);
	add(pool, UINT64_MAX >> PAGE_SHIFT);
}

/* The first page KServ owns at boot: just past KCore's region, or the
 * start of RAM when KCore sits at its end. */
static uint64_t first_kserv_pfn(const struct kcore_boot *b)
{
	uint64_t kcore_end = b->kcore_base_pfn + b->kcore_pages;
	uint64_t ram_end = b->ram_base_pfn + b->ram_pages;

	return kcore_end + 16 <= ram_end ? kcore_end : b->ram_base_pfn;
}

/* Every page range of the layout: RAM, MMIO, KCore's region and each of
 * its page-table pools.  fn is called with each range's first page and
 * length. */
static void each_region(const struct kcore_boot *b, struct pool *pool,
			void (*fn)(struct pool *, uint64_t, uint64_t))
{
	uint64_t k = b->kcore_base_pfn;

	fn(pool, b->ram_base_pfn, b->ram_pages);
	fn(pool, b->mmio_base_pfn, b->mmio_pages);
	fn(pool, k, b->kcore_pages);
	fn(pool, k + KCORE_REGION_KSERV_POOL, KCORE_KSERV_POOL_PAGES);
	for (uint64_t vm = 1; vm <= KCORE_MAX_VMS; vm++)
		fn(pool, k + KCORE_REGION_VM_POOL(vm), KCORE_VM_POOL_PAGES);
	for (uint64_t u = 0; u < KCORE_SMMU_UNITS; u++)
		fn(pool, k + KCORE_REGION_SMMU_POOL(u), KCORE_SMMU_POOL_PAGES);
}

static void pfn_pool(struct pool *pool, const struct kcore_boot *b)
{
	uint64_t first = first_kserv_pfn(b);
	uint64_t next_2m = (first + HOT_PAGES + GFN_2M - 1) & ~(GFN_2M - 1);

	add_range(pool, first, HOT_PAGES);
	pool->hot = pool->n;
	add(pool, next_2m - 1);
	add(pool, next_2m);
	add(pool, b->ram_base_pfn + b->ram_pages / 2);
	each_region(b, pool, add_edges);
	add(pool, 0);
	add(pool, S2_MAX_GFN);
	add(pool, S2_MAX_GFN + 1);
}

static void shifted(struct pool *dst, const struct pool *src)
{
	for (unsigned i = 0; i < src->n; i++)
		add(dst, src->v[i] << PAGE_SHIFT);
}

/* Every unit's IOVA space is the 39-bit space stage-2 tables cover. */
static void iova_pool(struct pool *pool)
{
	static const uint64_t v[] = {
		0, 0x1000, 0x2000, 0x3000, 0x1ff000, 0x200000, 0x40000000,
		GUEST_GFN << PAGE_SHIFT,
		0x8, 0x1008, 0xfff, /* unaligned */
		S2_MAX_GFN << PAGE_SHIFT, (S2_MAX_GFN + 1) << PAGE_SHIFT,
		UINT64_MAX & ~PAGE_MASK,
	};
	for (unsigned i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		add(pool, v[i]);
	pool->hot = 4;
	add(pool, 0x3fffffff);
	add(pool, 0x40000000 - WORD);
	add_byte_edges(pool, 0, S2_MAX_GFN + 1);
}

/* Data values: bit patterns spread over 64 bits, plus what an attacker
 * would write into a page-table page it should not reach (forged page and
 * table descriptors pointing at KServ and KCore memory). */
static void val_pool(struct pool *pool, const struct kcore_boot *b)
{
	static const uint64_t v[] = {
		0, 1, 0xff, 0x8000, 0xdeadbeef, 0x1122334455667788,
		0x0101010101010101, 0x7fffffffffffffff, 0x8000000000000000, UINT64_MAX,
	};
	uint64_t kserv_pa = first_kserv_pfn(b) << PAGE_SHIFT;

	for (unsigned i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		add(pool, v[i]);
	add(pool, kserv_pa);
	add(pool, kserv_pa | S2_PAGE_NORMAL_RW);
	add(pool, kserv_pa | S2_VALID | S2_TYPE_TABLE);
	add(pool, (b->kcore_base_pfn << PAGE_SHIFT) | S2_PAGE_NORMAL_RW);
	pool->hot = pool->n;
}

static void pa_pool(struct pool *pa, const struct pool *pfn, const struct kcore_boot *b)
{
	uint64_t kserv_pa = first_kserv_pfn(b) << PAGE_SHIFT;

	shifted(pa, pfn);
	pa->hot = pfn->hot;
	add(pa, kserv_pa + 8);
	add(pa, kserv_pa + 0x40);
	add(pa, kserv_pa + 0xff8);
	add(pa, kserv_pa + 1);
	add(pa, (b->mmio_base_pfn << PAGE_SHIFT) + 8);
	each_region(b, pa, add_byte_edges);
}

static void gpa_pool(struct pool *gpa, const struct pool *gfn)
{
	shifted(gpa, gfn);
	gpa->hot = gfn->hot;
	add(gpa, (GUEST_GFN << PAGE_SHIFT) + 8);
	add(gpa, (GUEST_GFN << PAGE_SHIFT) + 0x800);
	add_byte_edges(gpa, 0, S2_MAX_GFN + 1);
}

static void index_pool(struct pool *pool, unsigned count)
{
	add_range(pool, 0, count);
	pool->hot = pool->n;
}

void program_pools_init(struct program_pools *pools, const struct kcore_boot *b)
{
	static const uint64_t offs[] = { 0, 8, 0x10, 0x38, 0x40, 0x800, 0xff8, 0x4, 0xff0, 0xfff };
	struct pool *t = pools->type;

	for (unsigned i = 0; i < ARG__COUNT; i++)
		t[i].n = t[i].hot = 0;
	pools->mmio_pfn = b->mmio_base_pfn;

	index_pool(&t[ARG_VM], KCORE_MAX_VMS + 2);
	index_pool(&t[ARG_VCPU], KCORE_MAX_VCPUS + 1);
	index_pool(&t[ARG_COUNT], 10);
	index_pool(&t[ARG_IMG], 5);
	index_pool(&t[ARG_UNIT], KCORE_SMMU_UNITS + 1);
	for (unsigned i = 0; i < sizeof(offs) / sizeof(offs[0]); i++)
		add(&t[ARG_OFF], offs[i]);
	t[ARG_OFF].hot = t[ARG_OFF].n;

	gfn_pool(&t[ARG_GFN]);
	gpa_pool(&t[ARG_GPA], &t[ARG_GFN]);
	pfn_pool(&t[ARG_PFN], b);
	pa_pool(&t[ARG_PA], &t[ARG_PFN], b);

	/* A CPU in a guest translates gfns, one in the host translates pfns
	 * (KServ's stage-2 is the identity). */
	shifted(&t[ARG_IPA], &t[ARG_GFN]);
	t[ARG_IPA].hot = t[ARG_GFN].hot;
	shifted(&t[ARG_IPA], &t[ARG_PFN]);

	iova_pool(&t[ARG_IOVA]);
	val_pool(&t[ARG_VAL], b);
}

int pool_find(const struct program_pools *pools, enum arg_type t, uint64_t v)
{
	const struct pool *pool;

	if ((unsigned)t >= ARG__COUNT)
		return -1;
	pool = &pools->type[t];
	for (unsigned i = 0; i < pool->n; i++)
		if (pool->v[i] == v)
			return (int)i;
	return -1;
}
