/* KCore's locks (hyp/kcore_locks.h gives the classes and the order).
 *
 * Taking a lock returns a witness: a small struct that only the lock
 * function hands out.  Functions that touch shared state demand the witness
 * of the lock that protects it, so forgetting a lock is a compile error
 * rather than a race.  The lock functions also check the documented order
 * on every acquisition (an out-of-order acquisition is a KCore bug and
 * panics).
 */
#ifndef KCORE_LOCKS_H
#define KCORE_LOCKS_H

#include <stdint.h>

struct core_locked { uint8_t held; };
struct vm_npt_locked { unsigned vm; };
struct smmu_locked { uint8_t held; };
struct s2page_locked { uint8_t held; };
struct kserv_npt_locked { uint8_t held; };

/* Called by kcore_init before anything else: every lock free. */
void kcore_locks_reset(void);

struct core_locked kcore_lock_core(void);
void kcore_unlock_core(struct core_locked l);

/* vm: 1..KCORE_MAX_VMS. */
struct vm_npt_locked kcore_lock_vm_npt(unsigned vm);
void kcore_unlock_vm_npt(struct vm_npt_locked l);

struct smmu_locked kcore_lock_smmu(void);
void kcore_unlock_smmu(struct smmu_locked l);

struct s2page_locked kcore_lock_s2page(void);
void kcore_unlock_s2page(struct s2page_locked l);

struct kserv_npt_locked kcore_lock_kserv_npt(void);
void kcore_unlock_kserv_npt(struct kserv_npt_locked l);

/* Panics unless the calling CPU holds no KCore lock: every operation
 * checks this before it returns. */
void kcore_locks_assert_none_held(void);

#endif
