/* arch-locks: every CPU hammers one ticket lock.  The critical section is
 * a non-atomic read-modify-write of a counter with a pause in the middle,
 * so any failure of mutual exclusion loses increments.
 *
 * The rounds are few on purpose: QEMU runs each CPU on a host thread, and
 * a ticket lock hands over in strict order, so with more CPUs than host
 * cores every handover may wait for the host to schedule the next holder. */
#include "el2_check.h"
#include "el2_tests.h"
#include "hyp/arch.h"

#define ROUNDS 3000u

static struct arch_spinlock lock;
static volatile uint64_t counter;
static uint64_t queued;       /* acquisitions with another CPU waiting behind */
static uint32_t arrived, finished;
static uint32_t wrong_cpu_id;

static void hammer(unsigned cpu)
{
	unsigned ncpus = arch_cpu_count();

	if (arch_cpu_id() != cpu)
		__atomic_store_n(&wrong_cpu_id, 1, __ATOMIC_RELAXED);
	/* Start together, so the CPUs really compete. */
	__atomic_fetch_add(&arrived, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(&arrived, __ATOMIC_ACQUIRE) != ncpus)
		;
	for (unsigned i = 0; i < ROUNDS; i++) {
		arch_spin_lock(&lock);
		uint64_t v = counter;
		if ((uint16_t)(lock.next - lock.owner) > 1)
			queued++;
		for (volatile unsigned d = 0; d < 8; d++)
			;
		counter = v + 1;
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

	ECHECK(ncpus >= 2);
	hammer(0);
	while (__atomic_load_n(&finished, __ATOMIC_ACQUIRE) != ncpus)
		__asm__ volatile("wfe");
	ECHECK_EQ(wrong_cpu_id, 0);
	ECHECK_EQ(counter, (uint64_t)ncpus * ROUNDS);
	/* Every ticket taken was served: the lock is free. */
	ECHECK_EQ(lock.owner, lock.next);
	ECHECK_EQ(lock.owner, (uint16_t)(ncpus * ROUNDS));
	kprintf("isofuzz-hyp: %u cpus x %u rounds under one lock: %lu, %lu with a CPU queued\n",
		ncpus, ROUNDS, (uint64_t)counter, queued);
	return HYP_EXIT_PASS;
}
