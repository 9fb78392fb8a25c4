/* The CPU stage-2 tables KCore keeps: KServ's (an identity map, VMID 0,
 * filled on demand by KServ's faults) and one per VM slot.  Each comes with
 * its own pool and is protected by its own lock. */
#ifndef KCORE_NPT_H
#define KCORE_NPT_H

#include <stdint.h>

#include "base/locks.h"
#include "hyp/addr.h"
#include "mm/pgtable.h"

#define KSERV_VMID 0

/* Fresh KServ table (kcore_init; takes KLOCK_KSERV_NPT itself). */
void kcore_kserv_npt_reset(void);
/* Written once by kcore_init, constant afterwards: needs no lock. */
paddr_t kcore_kserv_npt_root(void);
struct pgt_locked kcore_kserv_npt(struct kserv_npt_locked l);

/* KServ loses access to pfn (BBM with TLBI); nothing if it was unmapped. */
void kcore_kserv_unmap_page(struct kserv_npt_locked l, uint64_t pfn);

/* Every VM slot's table gone (kcore_init). */
void kcore_vm_npt_reset(void);
/* An empty table tagged with vmid in a fresh pool; returns its root. */
paddr_t kcore_vm_npt_create(struct vm_npt_locked l, uint16_t vmid);
struct pgt_locked kcore_vm_npt(struct vm_npt_locked l);
/* Give the pool back; the caller has flushed the VMID from the TLBs. */
void kcore_vm_npt_release(struct vm_npt_locked l);
/* Pages of the slot's pool in use, for the view (no lock, no event). */
uint32_t kcore_vm_npt_pool_used(unsigned vm);
uint32_t kcore_kserv_npt_pool_used(void);

#endif
