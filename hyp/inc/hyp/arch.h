/* The narrow interface between KCore and the hardware.
 *
 * KCore calls the machine only through these functions.  hyp/arch/aarch64
 * implements them with real instructions at EL2; hyp/arch/sim implements them
 * on the executable machine model and emits one event per call, which is
 * what the oracles watch.  The arch is chosen by include path ("arch/types.h"
 * comes from the arch's own inc/ directory); KCore never tests which build it
 * is in.
 */
#ifndef HYP_ARCH_H
#define HYP_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch/types.h" /* struct arch_spinlock, ARCH_MAX_CPUS */
#include "hyp/addr.h"

/* --- Translation tables live in physical memory -------------------------- */

/* Read or write descriptor idx (0..511) of the table page at table.  Writes
 * are single-copy atomic 64-bit stores, visible to table walkers once a DSB
 * completes. */
uint64_t arch_pte_read(paddr_t table, unsigned idx);
void arch_pte_write(paddr_t table, unsigned idx, uint64_t desc);
/* arch_pte_read of descriptors from, from + 1, ... up to to (at most 511),
 * stopping at the first valid one (bit 0 set): returns its index and
 * *desc its value, or to + 1 when none is.  A walk that passes over
 * invalid entries reads a table in one call instead of one per entry. */
unsigned arch_pte_next_valid(paddr_t table, unsigned from, unsigned to, uint64_t *desc);

/* --- TLB maintenance: all broadcast to the inner-shareable domain ------- */

void arch_tlbi_ipa(uint16_t vmid, ipaddr_t ipa); /* TLBI IPAS2E1IS for vmid */
void arch_tlbi_vmid(uint16_t vmid);              /* TLBI VMALLS12E1IS for vmid */
void arch_tlbi_all(void);                        /* TLBI ALLE1IS */
void arch_dsb_ish(void);                         /* DSB ISH: completes TLBIs and table writes */
void arch_isb(void);

/* Load this CPU's stage-2 context (VTTBR_EL2 = vmid:root). */
void arch_set_stage2(uint16_t vmid, paddr_t root);

/* --- SMMU: per-unit stage-2 tables (same descriptor format) ------------- */

void arch_smmu_attach(unsigned unit, paddr_t root); /* unit now translates through root */
void arch_smmu_detach(unsigned unit);               /* unit blocks all DMA */
void arch_smmu_tlbi(unsigned unit);                 /* invalidate the unit's IOTLB and sync */

/* --- Caches -------------------------------------------------------------- */

void arch_dc_civac(paddr_t pa); /* clean and invalidate the line holding pa to PoC */
void arch_dc_cvac(paddr_t pa);  /* clean the line holding pa to PoC */

/* --- KCore's own view of memory ------------------------------------------ */

void arch_page_zero(paddr_t page);                            /* cacheable stores of zero */
void arch_phys_read(paddr_t pa, void *dst, size_t len);       /* cacheable read, may cross pages */
void arch_phys_write(paddr_t pa, const void *src, size_t len); /* cacheable write */

/* --- CPUs and locks ------------------------------------------------------ */

unsigned arch_cpu_id(void);
unsigned arch_cpu_count(void);

/* id names the lock in events (lock discipline oracle); see
 * kcore/base/locks.h. */
void arch_spin_init(struct arch_spinlock *l, uint32_t id);
void arch_spin_lock(struct arch_spinlock *l);
void arch_spin_unlock(struct arch_spinlock *l);

/* Instrumentation: KCore is about to read (write=false) or write a shared
 * object.  obj is KCore's name for it (see kcore/base/locks.h).  On
 * hardware this is empty; on the machine model it is an event and a
 * scheduling point. */
void arch_note_access(uint32_t obj, bool write);

/* Instrumentation: the operation's body has returned and only KCore's
 * end-of-call assertions run before the call returns.  Empty on hardware;
 * on the machine model a panic from those assertions is then first judged
 * by the oracles' own end-of-call checks, which name the fault. */
void arch_call_returning(void);

/* An internal invariant of KCore does not hold.  Never reached through bad
 * host input: every such input gets an error code. */
_Noreturn void arch_panic(const char *why);

#endif
