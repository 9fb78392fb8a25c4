/* smp-kserv: all CPUs at once take stage-2 faults on fresh pages, boot a
 * VM each and hand it pages, so KCore's locks are contended by real
 * concurrent CPUs.  Then one CPU gives away a page every CPU has just
 * read, and the broadcast TLB invalidation must cut all of them off. */
#include "host.h"
#include "host_defs.h"
#include "host_tests.h"
#include "vm_setup.h"

#define PAGES_PER_CPU 16
#define GIVEN_PER_CPU 4
#define GPA 0x100000ull
#define GFN_DATA 0x400ull

struct cpu_work {
	uint64_t page[PAGES_PER_CPU];
	struct loaded_vm vm;
	bool loaded;
	int64_t map_ret[GIVEN_PER_CPU];
	uint32_t bad_words;
	uint32_t given_readable;
	uint32_t shared_fault_before, shared_fault_after;
};

static struct cpu_work work[HOST_MAX_CPUS];
static uint32_t go;
static uint64_t shared_page;

static uint64_t pattern(unsigned cpu, unsigned i, unsigned j)
{
	return (cpu * 1000ull + i) * 0x9e3779b97f4a7c15ull + j + 1;
}

static void wait_for(uint32_t *flag, uint32_t value)
{
	while (__atomic_load_n(flag, __ATOMIC_ACQUIRE) != value)
		;
}

static void race(unsigned cpu, void *arg)
{
	struct cpu_work *w = &work[cpu];

	(void)arg;
	wait_for(&go, 1);
	/* Every first touch is a stage-2 fault KCore resolves. */
	for (unsigned i = 0; i < PAGES_PER_CPU; i++)
		page_fill(w->page[i], cpu * 1000 + i);
	w->loaded = vm_load_verified(&w->vm, "tiny", GPA);
	for (unsigned i = 0; w->loaded && i < GIVEN_PER_CPU; i++)
		w->map_ret[i] = kcore_call(HVC_MAP_VM_PAGE, (uint64_t)w->vm.vm, GFN_DATA + i,
					   w->page[i] >> 12);
	for (unsigned i = 0; i < GIVEN_PER_CPU; i++)
		w->given_readable += !host_read_faults(w->page[i]);
	for (unsigned i = GIVEN_PER_CPU; i < PAGES_PER_CPU; i++) {
		volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)w->page[i];
		for (unsigned j = 0; j < 512; j++)
			w->bad_words += p[j] != pattern(cpu, i, j);
	}
}

static void read_shared(unsigned cpu, void *arg)
{
	uint64_t v;
	uint32_t *count = arg;

	count[cpu] += host_probe_read64(shared_page, &v) != 0;
}

static void check_race(unsigned ncpus)
{
	for (unsigned cpu = 0; cpu < ncpus; cpu++)
		for (unsigned i = 0; i < PAGES_PER_CPU; i++)
			work[cpu].page[i] = host_alloc_page();
	for (unsigned cpu = 1; cpu < ncpus; cpu++)
		host_post(cpu, race, NULL);
	__atomic_store_n(&go, 1, __ATOMIC_RELEASE);
	race(0, NULL);
	for (unsigned cpu = 1; cpu < ncpus; cpu++)
		host_wait(cpu);
}

void test_smp_kserv(void)
{
	unsigned ncpus = (unsigned)host_args()->ncpus;
	uint32_t before[HOST_MAX_CPUS] = { 0 }, after[HOST_MAX_CPUS] = { 0 };

	HCHECK(ncpus >= 2 && ncpus <= HOST_MAX_CPUS);
	while (host_secondaries_up() != ncpus - 1)
		__asm__ volatile("wfe");

	check_race(ncpus);
	for (unsigned cpu = 0; cpu < ncpus; cpu++) {
		struct cpu_work *w = &work[cpu];
		HCHECK(w->loaded);
		for (unsigned other = 0; other < cpu; other++)
			HCHECK(w->vm.vm != work[other].vm.vm);
		for (unsigned i = 0; i < GIVEN_PER_CPU; i++)
			HCHECK_EQ(w->map_ret[i], 0);
		HCHECK_EQ(w->given_readable, 0);
		HCHECK_EQ(w->bad_words, 0);
	}

	/* Every CPU caches a translation of the shared page, then it goes to
	 * CPU 0's VM: no CPU may still reach it. */
	shared_page = host_alloc_page();
	page_fill(shared_page, 7);
	read_shared(0, before);
	for (unsigned cpu = 1; cpu < ncpus; cpu++)
		host_run_on(cpu, read_shared, before);
	HCHECK_EQ(kcore_call(HVC_MAP_VM_PAGE, (uint64_t)work[0].vm.vm, GFN_DATA + GIVEN_PER_CPU,
			     shared_page >> 12), 0);
	read_shared(0, after);
	for (unsigned cpu = 1; cpu < ncpus; cpu++)
		host_run_on(cpu, read_shared, after);
	for (unsigned cpu = 0; cpu < ncpus; cpu++) {
		HCHECK_EQ(before[cpu], 0);
		HCHECK_EQ(after[cpu], 1);
	}
	kprintf("isofuzz-host: %u cpus raced %u faults and %u VM boots\n", ncpus,
		ncpus * PAGES_PER_CPU, ncpus);
}
