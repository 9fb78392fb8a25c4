/* The baseline's state and the helpers its operations share.
 *
 * Like KVM, the baseline protects its bookkeeping with locks (one for the
 * VM list, one per VM for its stage-2 tables, one for the SMMU, one for
 * the per-page counters, one for the host's stage-2) and builds every
 * table with the same page-table library KCore uses (hyp/kcore/pgtable.h).
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
#include "pgtable.h"
#include "pool.h"

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

/* --- Where the tables live (vanilla_region.c) ----------------------------
 * The layout's region, sliced as KCore slices it: the host's pool, one
 * pool per VM slot, one per SMMU unit, with KCore's pool sizes so that
 * table memory runs out at the same step on both. */

void vanilla_pool_setup_kserv(struct pool *p);
void vanilla_pool_setup_vm(struct pool *p, unsigned vm);
void vanilla_pool_setup_smmu(struct pool *p, unsigned unit);

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

/* --- VM slots (vanilla_vm.c, KLOCK_CORE) --------------------------------- */

struct vanilla_vm {
	enum kcore_vm_state state;
	uint16_t vmid;
	paddr_t npt_root;
	enum kcore_vcpu_state vcpu[KCORE_MAX_VCPUS];
	int vcpu_cpu[KCORE_MAX_VCPUS];   /* CPU running it, -1 if none */
	bool boot_set;
	uint64_t boot_gfn;
	uint32_t boot_npages;
	uint32_t image_filled;           /* bit idx: image_pfn[idx] recorded */
	uint64_t image_pfn[KCORE_MAX_IMAGE_PAGES];
};

void vanilla_vms_reset(void);
/* vm must be 1..KCORE_MAX_VMS. */
struct vanilla_vm *vanilla_vm_slot(unsigned vm, bool write);
bool vanilla_vm_valid(uint64_t vm);
void vanilla_vm_wipe(struct vanilla_vm *s);
const struct vanilla_vm *vanilla_vm_peek(unsigned vm);

void vanilla_vmid_reset(void);
uint16_t vanilla_vmid_alloc(void);

/* --- Per-CPU state (vanilla_cpu.c): touched only by its own CPU ---------- */

struct vanilla_cpu {
	unsigned vm;    /* VM whose vCPU runs here; 0 in the host */
	unsigned vcpu;
};

void vanilla_cpus_reset(void);
struct vanilla_cpu *vanilla_this_cpu(void);
const struct vanilla_cpu *vanilla_cpu_peek(unsigned cpu);
void vanilla_cpu_enter_host(struct vanilla_cpu *c);

/* --- SMMU (vanilla_smmu.c) ----------------------------------------------- */

void vanilla_smmu_reset(void);
/* Free every unit vm owns; KLOCK_SMMU and KLOCK_S2PAGE held. */
void vanilla_smmu_free_owned_by(unsigned vm);
bool vanilla_smmu_peek(unsigned unit, bool *allocated, unsigned *owner, uint64_t *root,
		       uint32_t *pool_used);

#endif
