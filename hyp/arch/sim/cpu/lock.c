/* Spin locks of the model.  A lock records the simulated CPU holding it.
 * While another CPU holds it the waiter hands control to the scheduler
 * (SIM_YIELD_CONTENDED) until it is free; the harness decides who runs in
 * between, so a race replays exactly.  Without a scheduler nothing could
 * ever release the lock: that is a deadlock, as is a CPU taking a lock it
 * already holds, and both are reported through the panic hook. */
#include "hyp/arch.h"
#include "sim_private.h"

void arch_spin_init(struct arch_spinlock *l, uint32_t id)
{
	l->id = id;
	l->holder = -1;
}

void arch_spin_lock(struct arch_spinlock *l)
{
	sim_yield(SIM_YIELD_POINT);
	unsigned cpu = sim_cpu();

	if (l->holder == (int32_t)cpu)
		sim_fatal("self-deadlock: lock taken again by the CPU holding it");
	while (l->holder >= 0) {
		if (!sim_yield(SIM_YIELD_CONTENDED))
			sim_fatal("deadlock: lock held by another CPU and no scheduler to run it");
	}
	l->holder = (int32_t)cpu;
	sim_emit(EV_LOCK_ACQUIRE, cpu, l->id, 0, 0, 0);
}

/* Like a ticket lock's release, this frees the lock whoever calls it; the
 * lock discipline oracle sees from the event whether the caller held it. */
void arch_spin_unlock(struct arch_spinlock *l)
{
	sim_yield(SIM_YIELD_POINT);
	sim_emit(EV_LOCK_RELEASE, sim_cpu(), l->id, 0, 0, 0);
	l->holder = -1;
}
