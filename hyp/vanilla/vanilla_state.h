/* The baseline's state and the helpers its operations share.
 *
 * Like KVM, the baseline protects its bookkeeping with locks (one for the
 * VM list, one per VM for its stage-2 tables, one for the SMMU, one for
 * the per-page counters, one for the host's stage-2) and builds every
 * table with the same page-table library KCore uses
 * (hyp/kcore/mm/pgtable.h).
 * What it keeps exactly as KCore does (VM slots, per-CPU state, table
 * pools, entry points, view) is hyp/common's.
 * The locks carry KCore's lock and object ids and are taken in KCore's
 * order, so the lock discipline oracle holds the baseline to the same
 * rules: the baseline differs from KCore in what it allows, not in how
 * carefully it does it. */
#ifndef VANILLA_STATE_H
#define VANILLA_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include "hyp/addr.h"
#include "hyp/kcore.h"
#include "hyp/kcore_locks.h"
#include "hyp_guest.h"
#include "hyp_pool.h"
#include "mm/pgtable.h"

/* --- Boot layout (vanilla_layout.c): written by init, read-only after --- */

bool vanilla_layout_fits(const struct kcore_boot *boot);
void vanilla_layout_set(const struct kcore_boot *boot);
const struct kcore_boot *vanilla_layout(void);
bool vanilla_is_ram_pfn(uint64_t pfn);
bool vanilla_is_mmio_pfn(uint64_t pfn);

/* --- Locks (vanilla_locks.c) ---------------------------------------------
 * cls is a klock_class; idx is the VM for KLOCK_VM_NPT and 0 otherwise.
 * Out-of-order acquisition, a release of a lock not held and a missing
 * lock are bugs of the baseline and panic. */

void vanilla_locks_reset(void);
void vanilla_lock(enum klock_class cls, unsigned idx);
void vanilla_unlock(enum klock_class cls, unsigned idx);
void vanilla_assert_held(enum klock_class cls, unsigned idx);
void vanilla_assert_none_held(void);

/* --- CPU stage-2 tables (vanilla_npt.c) ----------------------------------
 * Each accessor panics unless the calling CPU holds the table's lock. */

#define VANILLA_KSERV_VMID 0

void vanilla_kserv_npt_reset(void);
paddr_t vanilla_kserv_npt_root(void);  /* constant after init: no lock */
struct pgt_locked vanilla_kserv_npt(void);
uint32_t vanilla_kserv_npt_pool_used(void);

void vanilla_vm_npt_reset(void);
paddr_t vanilla_vm_npt_create(unsigned vm, uint16_t vmid);
struct pgt_locked vanilla_vm_npt(unsigned vm);
void vanilla_vm_npt_release(unsigned vm);
uint32_t vanilla_vm_npt_pool_used(unsigned vm);

/* Map pfn at gfn in the VM's table as normal RAM, the way KVM's stage-2
 * fault handler does; the caller has checked that the gfn is free and the
 * pool has room. */
void vanilla_vm_map_ram(unsigned vm, uint64_t gfn, uint64_t pfn);

/* --- Per-page counters (vanilla_pages.c, KLOCK_S2PAGE) --------------------
 * No owner: only the grant count a guest keeps on a page it shares and
 * the number of SMMU mappings of the page. */

struct vanilla_page {
	uint32_t dma;
	uint8_t share;
};

void vanilla_pages_reset(void);
struct vanilla_page vanilla_page_get(uint64_t pfn); /* pfn must be RAM */
void vanilla_page_put(uint64_t pfn, struct vanilla_page page);
bool vanilla_page_peek(uint64_t pfn, struct vanilla_page *out);

/* --- VM slots (vanilla_vm.c, KLOCK_CORE): struct hyp_vm_slot ------------- */

void vanilla_vms_reset(void);
/* vm must be 1..KCORE_MAX_VMS. */
struct hyp_vm_slot *vanilla_vm_slot(unsigned vm, bool write);
bool vanilla_vm_valid(uint64_t vm);
const struct hyp_vm_slot *vanilla_vm_peek(unsigned vm);

void vanilla_vmid_reset(void);
uint16_t vanilla_vmid_alloc(void);

/* --- Per-CPU state (vanilla_cpu.c, struct hyp_cpu): touched only by its
 * own CPU ----------------------------------------------------------------- */

extern struct hyp_percpu vanilla_percpu;

/* --- SMMU (vanilla_smmu.c) ----------------------------------------------- */

void vanilla_smmu_reset(void);
/* Free every unit vm owns; KLOCK_SMMU and KLOCK_S2PAGE held. */
void vanilla_smmu_free_owned_by(unsigned vm);
bool vanilla_smmu_peek(unsigned unit, bool *allocated, unsigned *owner, uint64_t *root,
		       uint32_t *pool_used);

#endif
