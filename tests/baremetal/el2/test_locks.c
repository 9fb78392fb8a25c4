/* arch-locks: every CPU hammers one ticket lock.  The critical section is
 * a non-atomic read-modify-write of a counter with a pause in the middle,
 * so any failure of mutual exclusion loses increments.
 *
 * QEMU runs each CPU on a host thread, and a ticket lock hands over in
 * strict order, so with more CPUs than free host cores every handover may
 * wait for the host to schedule the next holder: on a loaded machine a
 * fixed number of rounds takes from half a second to over a minute.  So
 * the run is bounded by time as well as by rounds, and the verdict does
 * not depend on how many rounds fitted: each CPU counts its own
 * acquisitions, and the shared counter must equal their sum. */
#include "el2_check.h"
#include "el2_tests.h"
#include "hyp/arch.h"

#define MAX_ROUNDS 3000u    /* per CPU, on an idle host */
#define MIN_ROUNDS 64u      /* per CPU, before time may end the run */
#define MAX_CPUS 8u

static struct arch_spinlock lock;
static volatile uint64_t counter;
static uint64_t queued;       /* acquisitions with another CPU waiting behind */
static uint64_t mine[MAX_CPUS];
static uint64_t deadline;     /* generic-timer count after which the run may end */
static uint32_t stop;
static uint32_t arrived, finished;
static uint32_t wrong_cpu_id;

static uint64_t timer_count(void)
{
	uint64_t v;

	__asm__ volatile("isb; mrs %0, cntpct_el0" : "=r"(v));
	return v;
}

static uint64_t timer_hz(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

/* Called with the lock held, so every count it reads is settled.  Every
 * CPU must have competed (a CPU whose host thread is descheduled before
 * it takes its first ticket blocks nobody), then time or rounds end it. */
static int enough(unsigned ncpus)
{
	for (unsigned c = 0; c < ncpus; c++)
		if (mine[c] < MIN_ROUNDS)
			return 0;
	return counter >= (uint64_t)ncpus * MAX_ROUNDS || timer_count() >= deadline;
}

static void hammer(unsigned cpu)
{
	unsigned ncpus = arch_cpu_count();

	if (arch_cpu_id() != cpu)
		__atomic_store_n(&wrong_cpu_id, 1, __ATOMIC_RELAXED);
	/* Start together, so the CPUs really compete. */
	__atomic_fetch_add(&arrived, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(&arrived, __ATOMIC_ACQUIRE) != ncpus)
		;
	while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) {
		arch_spin_lock(&lock);
		uint64_t v = counter;
		if ((uint16_t)(lock.next - lock.owner) > 1)
			queued++;
		for (volatile unsigned d = 0; d < 8; d++)
			;
		counter = v + 1;
		mine[cpu]++;
		if (enough(ncpus))
			__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
		arch_spin_unlock(&lock);
	}
	__atomic_fetch_add(&finished, 1, __ATOMIC_ACQ_REL);
	__asm__ volatile("sev");
}

void el2_test_locks_secondary(unsigned cpu)
{
	hammer(cpu);
}

unsigned el2_test_locks(void)
{
	unsigned ncpus = arch_cpu_count();
	uint64_t sum = 0;

	ECHECK(ncpus >= 2 && ncpus <= MAX_CPUS);
	/* Written before the secondaries can pass the start barrier. */
	deadline = timer_count() + timer_hz() / 2;
	hammer(0);
	while (__atomic_load_n(&finished, __ATOMIC_ACQUIRE) != ncpus)
		__asm__ volatile("wfe");
	ECHECK_EQ(wrong_cpu_id, 0);
	for (unsigned c = 0; c < ncpus; c++) {
		ECHECK(mine[c] >= MIN_ROUNDS);
		sum += mine[c];
	}
	ECHECK_EQ(counter, sum);
	/* Every ticket taken was served: the lock is free. */
	ECHECK_EQ(lock.owner, lock.next);
	ECHECK_EQ(lock.owner, (uint16_t)sum);
	kprintf("isofuzz-hyp: %u cpus under one lock: %lu acquisitions, %lu with a CPU queued\n",
		ncpus, (uint64_t)counter, queued);
	return HYP_EXIT_PASS;
}
