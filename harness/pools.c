/* The operand pools, derived from the machine layout.  PROGRAM.md lists
 * what each pool holds and why. */
#include "pools.h"

#include "hyp/addr.h"
#include "hyp/s2desc.h"

/* Guest images and the first RAM a VM gets sit at IPA 2 GiB: a 1 GiB
 * aligned gfn, so its neighbours below and above cross 2 MiB and 1 GiB
 * boundaries (new level-2 and level-3 tables). */
#define GUEST_GFN 0x80000ull
#define GFN_2M (1ull << 9)
#define GFN_1G (1ull << 18)

static void add(struct pool *pool, uint64_t v)
{
	if (pool->n < POOL_MAX)
		pool->v[pool->n++] = v;
}

static void add_range(struct pool *pool, uint64_t first, unsigned count)
{
	for (unsigned i = 0; i < count; i++)
		add(pool, first + i);
}

static void gfn_pool(struct pool *pool)
{
	add_range(pool, GUEST_GFN, 8);
	add(pool, GUEST_GFN + GFN_2M - 1);
	add(pool, GUEST_GFN + GFN_2M);
	add(pool, GUEST_GFN - 1);
	add(pool, GUEST_GFN + GFN_1G - 1);
	add(pool, GUEST_GFN + GFN_1G);
	add(pool, 0);
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

static void pfn_pool(struct pool *pool, const struct kcore_boot *b)
{
	uint64_t first = first_kserv_pfn(b);
	uint64_t next_2m = (first + 8 + GFN_2M - 1) & ~(GFN_2M - 1);
	uint64_t ram_end = b->ram_base_pfn + b->ram_pages;

	add_range(pool, first, 8);
	add(pool, next_2m - 1);
	add(pool, next_2m);
	add(pool, b->ram_base_pfn + b->ram_pages / 2);
	add(pool, ram_end - 1);
	add(pool, ram_end);
	add(pool, b->kcore_base_pfn);
	add(pool, b->kcore_base_pfn + b->kcore_pages - 1);
	add(pool, b->mmio_base_pfn);
	add(pool, 0);
}

static void shifted(struct pool *dst, const struct pool *src)
{
	for (unsigned i = 0; i < src->n; i++)
		add(dst, src->v[i] << PAGE_SHIFT);
}

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
}

void program_pools_init(struct program_pools *pools, const struct kcore_boot *b)
{
	static const uint64_t offs[] = { 0, 8, 0x10, 0x38, 0x40, 0x800, 0xff8, 0x4 };
	uint64_t kserv_pa = first_kserv_pfn(b) << PAGE_SHIFT;

	for (unsigned t = 0; t < ARG__COUNT; t++)
		pools->type[t].n = 0;

	add_range(&pools->type[ARG_VM], 0, KCORE_MAX_VMS + 2);
	add_range(&pools->type[ARG_VCPU], 0, KCORE_MAX_VCPUS + 1);
	add_range(&pools->type[ARG_COUNT], 0, 10);
	add_range(&pools->type[ARG_IMG], 0, 5);
	add_range(&pools->type[ARG_UNIT], 0, KCORE_SMMU_UNITS + 1);
	for (unsigned i = 0; i < sizeof(offs) / sizeof(offs[0]); i++)
		add(&pools->type[ARG_OFF], offs[i]);

	gfn_pool(&pools->type[ARG_GFN]);
	shifted(&pools->type[ARG_GPA], &pools->type[ARG_GFN]);
	add(&pools->type[ARG_GPA], (GUEST_GFN << PAGE_SHIFT) + 8);
	add(&pools->type[ARG_GPA], (GUEST_GFN << PAGE_SHIFT) + 0x800);

	pfn_pool(&pools->type[ARG_PFN], b);
	shifted(&pools->type[ARG_PA], &pools->type[ARG_PFN]);
	add(&pools->type[ARG_PA], kserv_pa + 8);
	add(&pools->type[ARG_PA], kserv_pa + 0x40);
	add(&pools->type[ARG_PA], kserv_pa + 0xff8);
	add(&pools->type[ARG_PA], kserv_pa + 1);
	add(&pools->type[ARG_PA], (b->mmio_base_pfn << PAGE_SHIFT) + 8);

	/* A CPU in a guest translates gfns, one in the host translates pfns
	 * (KServ's stage-2 is the identity). */
	shifted(&pools->type[ARG_IPA], &pools->type[ARG_GFN]);
	shifted(&pools->type[ARG_IPA], &pools->type[ARG_PFN]);

	iova_pool(&pools->type[ARG_IOVA]);
	val_pool(&pools->type[ARG_VAL], b);
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
