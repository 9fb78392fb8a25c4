/* The baseline's spin locks.  Each CPU records which lock of each class it
 * holds, which lets the table and counter accessors check that their lock
 * is held and lets every operation check it returns with none. */
#include "hyp/arch.h"
#include "vanilla_state.h"

#define CLASS_COUNT (KLOCK_KSERV_NPT + 1)

static struct arch_spinlock lock_core;
static struct arch_spinlock lock_vm_npt[KCORE_MAX_VMS + 1];
static struct arch_spinlock lock_smmu;
static struct arch_spinlock lock_pages;
static struct arch_spinlock lock_kserv_npt;

/* held[cpu][cls]: 1 + idx of the lock of class cls the CPU holds, or 0. */
static unsigned held[ARCH_MAX_CPUS][CLASS_COUNT];

void vanilla_locks_reset(void)
{
	arch_spin_init(&lock_core, KID(KLOCK_CORE, 0));
	for (unsigned vm = 0; vm <= KCORE_MAX_VMS; vm++)
		arch_spin_init(&lock_vm_npt[vm], KID(KLOCK_VM_NPT, vm));
	arch_spin_init(&lock_smmu, KID(KLOCK_SMMU, 0));
	arch_spin_init(&lock_pages, KID(KLOCK_S2PAGE, 0));
	arch_spin_init(&lock_kserv_npt, KID(KLOCK_KSERV_NPT, 0));
	for (unsigned cpu = 0; cpu < ARCH_MAX_CPUS; cpu++)
		for (unsigned cls = 0; cls < CLASS_COUNT; cls++)
			held[cpu][cls] = 0;
}

static struct arch_spinlock *lock_of(enum klock_class cls, unsigned idx)
{
	switch (cls) {
	case KLOCK_CORE: return &lock_core;
	case KLOCK_VM_NPT:
		if (idx < 1 || idx > KCORE_MAX_VMS)
			arch_panic("vanilla locks: VM index out of range");
		return &lock_vm_npt[idx];
	case KLOCK_SMMU: return &lock_smmu;
	case KLOCK_S2PAGE: return &lock_pages;
	case KLOCK_KSERV_NPT: return &lock_kserv_npt;
	}
	arch_panic("vanilla locks: unknown lock class");
}

static unsigned *my_held(void)
{
	unsigned cpu = arch_cpu_id();

	if (cpu >= ARCH_MAX_CPUS)
		arch_panic("vanilla locks: CPU id out of range");
	return held[cpu];
}

/* Increasing class order, at most one lock per class. */
void vanilla_lock(enum klock_class cls, unsigned idx)
{
	struct arch_spinlock *l = lock_of(cls, idx);
	unsigned *mine = my_held();

	for (unsigned c = cls; c < CLASS_COUNT; c++)
		if (mine[c])
			arch_panic("vanilla locks: acquisition out of order");
	arch_spin_lock(l);
	mine[cls] = 1 + idx;
}

void vanilla_unlock(enum klock_class cls, unsigned idx)
{
	struct arch_spinlock *l = lock_of(cls, idx);
	unsigned *mine = my_held();

	if (mine[cls] != 1 + idx)
		arch_panic("vanilla locks: release of a lock not held");
	mine[cls] = 0;
	arch_spin_unlock(l);
}

void vanilla_assert_held(enum klock_class cls, unsigned idx)
{
	if (my_held()[cls] != 1 + idx)
		arch_panic("vanilla locks: shared state touched without its lock");
}

void vanilla_assert_none_held(void)
{
	const unsigned *mine = my_held();

	for (unsigned c = 0; c < CLASS_COUNT; c++)
		if (mine[c])
			arch_panic("vanilla locks: operation returns with a lock held");
}
