/* Events for people: every kind prints its fields by name, never the raw
 * a..d, and lock, object, page and fault names come out as words. */
#include <string.h>

#include "check.h"
#include "event_text.h"
#include "hyp/kcore_locks.h"
#include "sim/machine.h"

static char text[256];

static const char *fmt(unsigned kind, uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
	struct sim_event ev = { .seq = 7, .kind = (uint16_t)kind, .cpu = 1, .a = a, .b = b, .c = c, .d = d };

	CHECK(event_text(text, sizeof(text), &ev) > 0);
	return text;
}

TEST(locks_by_name)
{
	CHECK_STR_EQ(fmt(EV_LOCK_ACQUIRE, KID(KLOCK_VM_NPT, 3), 0, 0, 0), "lock-acquire lock=vm-npt vm=3");
	CHECK_STR_EQ(fmt(EV_LOCK_RELEASE, KID(KLOCK_S2PAGE, 0), 0, 0, 0), "lock-release lock=s2page");
	CHECK_STR_EQ(fmt(EV_LOCK_ACQUIRE, KID(KLOCK_CORE, 0), 0, 0, 0), "lock-acquire lock=core");
	CHECK_STR_EQ(fmt(EV_SHARED_ACCESS, KID(KOBJ_VM_NPT, 2), 1, 0, 0), "shared-access write vm-npt vm=2");
	CHECK_STR_EQ(fmt(EV_SHARED_ACCESS, KID(KOBJ_VMID, 0), 0, 0, 0), "shared-access read vmid");
}

TEST(tlb_and_tables_by_name)
{
	CHECK_STR_EQ(fmt(EV_TLBI_IPA, 1, 0x80000000, 0, 0), "tlbi-ipa vmid=1 ipa=0x80000000");
	CHECK_STR_EQ(fmt(EV_TLBI_VMID, 4, 0, 0, 0), "tlbi-vmid vmid=4");
	CHECK_STR_EQ(fmt(EV_PTE_WRITE, 0x40401000, 5, 0, 0x400e0747),
		     "pte-write table=0x40401000 index=5 old=0 new=0x400e0747");
	CHECK_STR_EQ(fmt(EV_PAGE_ZERO, 0x400e0000, 0, 0, 0), "page-zero pfn=0x400e0");
	CHECK_STR_EQ(fmt(EV_TLB_FILL, 2, 0x80001000, 0x400e1000, 0x400e1747),
		     "tlb-fill vmid=2 ipa=0x80001000 pfn=0x400e1 desc=0x400e1747");
	CHECK_STR_EQ(fmt(EV_CACHE_EVICT, 0x400e1040, 1, 0, 0), "cache-evict pa=0x400e1040 pfn=0x400e1 dirty");
}

TEST(accesses_with_faults)
{
	CHECK_STR_EQ(fmt(EV_CPU_ACCESS, 0, 0x400e1008, 0x400e1008, SIM_ACC_WRITE),
		     "cpu-access vmid=0 write ipa=0x400e1008 pa=0x400e1008 (pfn 0x400e1)");
	CHECK_STR_EQ(fmt(EV_DMA_ACCESS, 1, 0x2000, UINT64_MAX, SIM_ACC_NONCACHEABLE | SIM_FAULT_PERMISSION << 8),
		     "dma-access unit=1 read iova=0x2000 pa=none non-cacheable fault=permission");
}

/* Whatever the kind, even an unknown one, no raw a=..d= fields. */
TEST(every_kind_named)
{
	for (unsigned k = 0; k <= EV__COUNT; k++) {
		const char *s = fmt(k, 1, 2, 3, 4);
		CHECK(strstr(s, " a=") == NULL && strstr(s, " b=") == NULL && strstr(s, " d=") == NULL);
		CHECK(strncmp(s, sim_event_name(k), strlen(sim_event_name(k))) == 0);
	}
}

static const struct test_case cases[] = {
	CASE(locks_by_name),
	CASE(tlb_and_tables_by_name),
	CASE(accesses_with_faults),
	CASE(every_kind_named),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
