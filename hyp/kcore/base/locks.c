#include "base/locks.h"

#include "hyp/arch.h"
#include "hyp/kcore.h"
#include "hyp/kcore_locks.h"

static struct arch_spinlock lock_core;
static struct arch_spinlock lock_vm_npt[KCORE_MAX_VMS + 1];
static struct arch_spinlock lock_smmu;
static struct arch_spinlock lock_s2page;
static struct arch_spinlock lock_kserv_npt;

/* Lock classes each CPU holds, one bit per class.  Only the CPU itself
 * reads or writes its word. */
static uint32_t held_classes[ARCH_MAX_CPUS];

void kcore_locks_reset(void)
{
	arch_spin_init(&lock_core, KID(KLOCK_CORE, 0));
	for (unsigned vm = 0; vm <= KCORE_MAX_VMS; vm++)
		arch_spin_init(&lock_vm_npt[vm], KID(KLOCK_VM_NPT, vm));
	arch_spin_init(&lock_smmu, KID(KLOCK_SMMU, 0));
	arch_spin_init(&lock_s2page, KID(KLOCK_S2PAGE, 0));
	arch_spin_init(&lock_kserv_npt, KID(KLOCK_KSERV_NPT, 0));
	for (unsigned cpu = 0; cpu < ARCH_MAX_CPUS; cpu++)
		held_classes[cpu] = 0;
}

static uint32_t *my_held_classes(void)
{
	unsigned cpu = arch_cpu_id();

	if (cpu >= ARCH_MAX_CPUS)
		arch_panic("locks: CPU id out of range");
	return &held_classes[cpu];
}

/* Locks go in increasing class order, one per class: a class may be taken
 * only while no lock of the same or a later class is held. */
static void acquire(struct arch_spinlock *l, enum klock_class cls)
{
	uint32_t *held = my_held_classes();

	if (*held >> cls)
		arch_panic("locks: acquisition out of order");
	arch_spin_lock(l);
	*held |= 1u << cls;
}

static void release(struct arch_spinlock *l, enum klock_class cls)
{
	uint32_t *held = my_held_classes();

	if (!(*held & (1u << cls)))
		arch_panic("locks: release of a lock not held");
	*held &= ~(1u << cls);
	arch_spin_unlock(l);
}

struct core_locked kcore_lock_core(void)
{
	acquire(&lock_core, KLOCK_CORE);
	return (struct core_locked){ 1 };
}

void kcore_unlock_core(struct core_locked l)
{
	(void)l;
	release(&lock_core, KLOCK_CORE);
}

struct vm_npt_locked kcore_lock_vm_npt(unsigned vm)
{
	if (vm < 1 || vm > KCORE_MAX_VMS)
		arch_panic("locks: VM NPT lock index out of range");
	acquire(&lock_vm_npt[vm], KLOCK_VM_NPT);
	return (struct vm_npt_locked){ vm };
}

void kcore_unlock_vm_npt(struct vm_npt_locked l)
{
	release(&lock_vm_npt[l.vm], KLOCK_VM_NPT);
}

struct smmu_locked kcore_lock_smmu(void)
{
	acquire(&lock_smmu, KLOCK_SMMU);
	return (struct smmu_locked){ 1 };
}

void kcore_unlock_smmu(struct smmu_locked l)
{
	(void)l;
	release(&lock_smmu, KLOCK_SMMU);
}

struct s2page_locked kcore_lock_s2page(void)
{
	acquire(&lock_s2page, KLOCK_S2PAGE);
	return (struct s2page_locked){ 1 };
}

void kcore_unlock_s2page(struct s2page_locked l)
{
	(void)l;
	release(&lock_s2page, KLOCK_S2PAGE);
}

struct kserv_npt_locked kcore_lock_kserv_npt(void)
{
	acquire(&lock_kserv_npt, KLOCK_KSERV_NPT);
	return (struct kserv_npt_locked){ 1 };
}

void kcore_unlock_kserv_npt(struct kserv_npt_locked l)
{
	(void)l;
	release(&lock_kserv_npt, KLOCK_KSERV_NPT);
}

void kcore_locks_assert_none_held(void)
{
	if (*my_held_classes() != 0)
		arch_panic("locks: operation returns with a lock held");
}
