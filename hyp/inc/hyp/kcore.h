/* KCore: the trusted core of a SeKVM-style hypervisor.  Public interface.
 *
 * This header is the contract shared by KCore, its reference model
 * (oracles/model/ref) and the baseline (hyp/vanilla).  Each operation lists
 * its checks in the order they are made: the first failing check decides the
 * error code, and a failing operation changes nothing.
 *
 * Calls return int64_t: >= 0 on success (a value or 0), -KCORE_E_* on error.
 *
 * Terms used below:
 *   "vm valid":   1 <= vm <= KCORE_MAX_VMS and the slot is not UNUSED.
 *   "RAM pfn":    boot.ram_base_pfn <= pfn < boot.ram_base_pfn + boot.ram_pages.
 *   "MMIO pa":    page aligned, inside [mmio_base_pfn, +mmio_pages).
 *   "gfn in range": gfn <= S2_MAX_GFN (39-bit IPA space).
 *   "gfn mapped": the VM's stage-2 maps gfn (RAM page or MMIO).
 *   "in guest":   the calling CPU is running a vCPU (after vcpu_run, before
 *                 guest_exit or power_off).
 */
#ifndef HYP_KCORE_H
#define HYP_KCORE_H

#include <stdint.h>

#include "hyp/s2desc.h"

#define KCORE_MAX_VMS 8          /* VM handles 1..8 */
#define KCORE_MAX_VCPUS 4        /* vCPU indexes 0..3 */
#define KCORE_MAX_IMAGE_PAGES 8
#define KCORE_MAX_SHARE 4        /* grant count bound per page (caps.max_share) */
#define KCORE_SMMU_UNITS 4       /* unit indexes 0..3 */
#define KCORE_MAX_RAM_PAGES (1u << 20) /* 4 GiB */

/* Page-table pools, in pages.  A pool is a bump allocator: pages come back
 * only when the whole pool is released (clear_vm, smmu_free).  A table walk
 * starts at level 1, so mapping gfn needs the root, the level-2 table of
 * gfn >> 18 and the level-3 table of gfn >> 9: pool use is
 * 1 + |{gfn >> 18}| + |{gfn >> 9}| over every gfn ever mapped in that pool.
 * The KServ pool maps pfns identically (gfn == pfn). */
#define KCORE_VM_POOL_PAGES 16
#define KCORE_KSERV_POOL_PAGES 64
#define KCORE_SMMU_POOL_PAGES 8

/* Capacities a layout may lower, so that exhaustion, limit and rollover
 * paths are a few steps away: each 0 (the maximum above) or in
 * [KCORE_MIN_x, max].  Lower capacities leave the region's layout as it is
 * (every pool keeps its slice); a pool just hands out fewer pages.
 * The minimums are what KCore needs to stay correct: a VMID for every VM
 * slot (a rollover keeps the live VMs' VMIDs), and room in a VM's pool
 * for the root and the tables of an eight-page image across a 1 GiB
 * boundary (verify_vm_image maps it without a failure path). */
#define KCORE_MAX_VMIDS 255      /* VMIDs 1..255; 0 is KServ's */
#define KCORE_MIN_VMIDS KCORE_MAX_VMS
#define KCORE_MIN_VM_POOL_PAGES 5
#define KCORE_MIN_SMMU_POOL_PAGES 1
#define KCORE_MIN_KSERV_POOL_PAGES 1
#define KCORE_MIN_SHARE 1

struct kcore_caps {
	uint32_t vmids;            /* VMIDs in use before a full TLB flush */
	uint32_t vm_pool_pages;    /* pages of each VM's table pool */
	uint32_t smmu_pool_pages;  /* pages of each SMMU unit's table pool */
	uint32_t kserv_pool_pages; /* pages of KServ's table pool */
	uint32_t max_share;        /* grant count bound per page */
};

/* A capacity as it applies: v, or max when v is 0. */
static inline uint32_t kcore_cap(uint32_t v, uint32_t max)
{
	return v ? v : max;
}

/* Every capacity 0 or within its bounds. */
static inline int kcore_caps_valid(const struct kcore_caps *c)
{
	return (c->vmids == 0 || (c->vmids >= KCORE_MIN_VMIDS && c->vmids <= KCORE_MAX_VMIDS)) &&
	       (c->vm_pool_pages == 0 ||
		(c->vm_pool_pages >= KCORE_MIN_VM_POOL_PAGES && c->vm_pool_pages <= KCORE_VM_POOL_PAGES)) &&
	       (c->smmu_pool_pages == 0 || (c->smmu_pool_pages >= KCORE_MIN_SMMU_POOL_PAGES &&
					    c->smmu_pool_pages <= KCORE_SMMU_POOL_PAGES)) &&
	       (c->kserv_pool_pages == 0 || (c->kserv_pool_pages >= KCORE_MIN_KSERV_POOL_PAGES &&
					     c->kserv_pool_pages <= KCORE_KSERV_POOL_PAGES)) &&
	       (c->max_share == 0 || (c->max_share >= KCORE_MIN_SHARE && c->max_share <= KCORE_MAX_SHARE));
}

/* Where the pools lie in KCore's region, in pages from its base: KServ's
 * pool, then one pool per VM slot (1..KCORE_MAX_VMS), then one per SMMU
 * unit.  kcore_region_pages_needed() is KCORE_REGION_PAGES. */
#define KCORE_REGION_KSERV_POOL 0u
#define KCORE_REGION_VM_POOL(vm) (KCORE_KSERV_POOL_PAGES + ((vm) - 1u) * KCORE_VM_POOL_PAGES)
#define KCORE_REGION_SMMU_POOL(unit) \
	(KCORE_REGION_VM_POOL(KCORE_MAX_VMS + 1u) + (unit) * KCORE_SMMU_POOL_PAGES)
#define KCORE_REGION_PAGES KCORE_REGION_SMMU_POOL(KCORE_SMMU_UNITS)

/* Stage-2 leaf attributes: the contract for every kind of mapping KCore
 * makes.  Each isolation-relevant field of a leaf is fixed here: S2AP (R,
 * W), XN and MemAttr (memory type); every leaf also has the access flag set
 * (KCore never relies on hardware updating it) and Normal memory is inner
 * shareable.  The oracles hold KCore's tables, and the reference model its
 * maps, to exactly these values.
 *
 *   mapping                       type          R W X
 *   KServ's own RAM               Normal WB     R W X  (its kernel runs from it)
 *   a VM page granted to KServ    Normal WB     R W -  (I/O buffers: KServ never
 *                                                       runs a VM's bytes)
 *   KServ's MMIO                  Device-nGnRE  R W -
 *   a VM's RAM (map_vm_page)      Normal WB     R W X
 *   a VM's image pages            Normal WB     R W X  (the guest boots from them)
 *   MMIO from ioremap             Device-nGnRE  R W -
 *   SMMU mappings                 Normal WB     R W -  (devices fetch no code)
 *
 * RAM is never mapped Device and MMIO never Normal, in any table: Device
 * RAM bypasses the cache and so sees memory below lines other observers
 * use, and Normal MMIO lets accesses be cached, merged or made
 * speculatively, which a device does not survive. */
#define KCORE_S2_KSERV_RAM S2_PAGE_NORMAL_RW
#define KCORE_S2_KSERV_SHARED S2_PAGE_NORMAL_RW_XN
#define KCORE_S2_KSERV_MMIO S2_PAGE_DEVICE_RW
#define KCORE_S2_VM_RAM S2_PAGE_NORMAL_RW
#define KCORE_S2_VM_IMAGE S2_PAGE_NORMAL_RW
#define KCORE_S2_VM_MMIO S2_PAGE_DEVICE_RW
#define KCORE_S2_SMMU S2_PAGE_NORMAL_RW_XN

/* Page owners. */
#define KCORE_OWNER_KSERV 0u
/* 1..KCORE_MAX_VMS: that VM */
#define KCORE_OWNER_KCORE 0xffu

enum kcore_err {
	KCORE_OK = 0,
	KCORE_E_OP,          /* unknown operation number */
	KCORE_E_VM,          /* VM handle out of range or slot unused */
	KCORE_E_VM_STATE,    /* VM not in the state the operation needs */
	KCORE_E_VM_LIMIT,    /* no free VM slot */
	KCORE_E_VCPU,        /* vCPU index out of range */
	KCORE_E_VCPU_STATE,  /* vCPU unregistered, already registered, or active */
	KCORE_E_CPU_STATE,   /* calling CPU is (not) in a guest */
	KCORE_E_PFN,         /* not a RAM page (or, for KServ faults, neither RAM nor MMIO) */
	KCORE_E_GFN,         /* gfn or gpa out of range or unaligned */
	KCORE_E_OWNER,       /* page not owned by the principal the operation needs */
	KCORE_E_DMA,         /* page is mapped by an SMMU unit */
	KCORE_E_MAPPED,      /* gfn or iova already mapped */
	KCORE_E_UNMAPPED,    /* gfn (as a VM RAM page) or iova not mapped */
	KCORE_E_NOMEM,       /* page-table pool exhausted */
	KCORE_E_BOOT_INFO,   /* image range bad, unset, set twice, slot bad, image incomplete */
	KCORE_E_VERIFY,      /* image hash matches no manifest entry; VM powered off */
	KCORE_E_SHARE_LIMIT, /* grant count already KCORE_MAX_SHARE */
	KCORE_E_NOT_SHARED,  /* revoke of a page with grant count 0 */
	KCORE_E_UNIT,        /* SMMU unit index out of range */
	KCORE_E_UNIT_STATE,  /* unit not allocated, or already allocated */
	KCORE_E_IOVA,        /* iova out of range or (map/unmap) unaligned */
	KCORE_E_NOT_MMIO,    /* ioremap target is not an MMIO page */
	KCORE_E__COUNT
};

const char *kcore_err_name(int64_t ret); /* "OK", "E_VM", ... for 0 and -KCORE_E_* */

enum kcore_vm_state { VM_UNUSED = 0, VM_READY, VM_VERIFIED, VM_POWERED_OFF };
enum kcore_vcpu_state { VCPU_UNUSED = 0, VCPU_READY, VCPU_ACTIVE };

/* Host hypercalls (HVC from KServ).  Arguments a0..a2 in order. */
enum kcore_host_op {
	/* register_vm(): no UNUSED slot -> E_VM_LIMIT.  Takes the lowest UNUSED
	 * slot, gives it a VMID never used since the last TLBI ALLE1IS (when
	 * all caps.vmids were, a rollover: TLBI ALLE1IS, and only live VMs'
	 * VMIDs stay used), an empty stage-2 table, state READY.  Returns the
	 * VM handle. */
	HVC_REGISTER_VM = 1,
	/* register_vcpu(vm, vcpu): E_VM; state != READY -> E_VM_STATE;
	 * vcpu >= MAX_VCPUS -> E_VCPU; already registered -> E_VCPU_STATE. */
	HVC_REGISTER_VCPU,
	/* set_boot_info(vm, gpa, npages): E_VM; != READY -> E_VM_STATE;
	 * already set -> E_BOOT_INFO; gpa unaligned, npages == 0 or
	 * > MAX_IMAGE_PAGES, or last gfn out of range -> E_BOOT_INFO. */
	HVC_SET_BOOT_INFO,
	/* remap_vm_image(vm, pfn, idx): E_VM; != READY -> E_VM_STATE; boot info
	 * unset, idx >= npages or slot idx filled -> E_BOOT_INFO; not RAM pfn
	 * -> E_PFN; owner != KSERV -> E_OWNER; DMA-mapped -> E_DMA.
	 * Effect: owner KCORE, unmapped from KServ (break, DSB, TLBI, DSB),
	 * cleaned and invalidated to PoC, recorded as image page idx. */
	HVC_REMAP_VM_IMAGE,
	/* verify_vm_image(vm): E_VM; != READY -> E_VM_STATE; boot info unset or
	 * a slot unfilled -> E_BOOT_INFO; SHA-256 of the image pages in index
	 * order matches no manifest entry of that length -> state POWERED_OFF,
	 * E_VERIFY (pages stay KCORE's until clear_vm).  Success: each image
	 * page becomes the VM's, mapped at gpa/4K + idx with KCORE_S2_VM_IMAGE;
	 * state VERIFIED. */
	HVC_VERIFY_VM_IMAGE,
	/* vcpu_run(vm, vcpu): E_VM; != VERIFIED -> E_VM_STATE; vcpu out of range
	 * -> E_VCPU; not registered or ACTIVE -> E_VCPU_STATE; CPU in guest ->
	 * E_CPU_STATE.  Effect: vCPU ACTIVE on this CPU, the CPU's stage-2 is the
	 * VM's.  The guest then runs until guest_exit or power_off. */
	HVC_VCPU_RUN,
	/* map_vm_page(vm, gfn, pfn): E_VM; != VERIFIED -> E_VM_STATE; gfn out of
	 * range -> E_GFN; not RAM pfn -> E_PFN; gfn mapped -> E_MAPPED;
	 * owner != KSERV -> E_OWNER; DMA-mapped -> E_DMA; pool -> E_NOMEM.
	 * Effect: owner VM (gfn recorded), unmapped from KServ with TLBI,
	 * cleaned to PoC, mapped at gfn with KCORE_S2_VM_RAM. */
	HVC_MAP_VM_PAGE,
	/* clear_vm(vm): E_VM; != POWERED_OFF -> E_VM_STATE; a vCPU ACTIVE ->
	 * E_VCPU_STATE.  Effect: the VM's SMMU units are freed; every page the
	 * VM owns and every filled image slot is zeroed, cleaned to PoC and
	 * unmapped; TLBI by VMID; pages owner KSERV, grant count 0; pool
	 * released; slot UNUSED. */
	HVC_CLEAR_VM,
	/* smmu_alloc(unit, owner): E_UNIT; allocated -> E_UNIT_STATE; owner != 0
	 * and not vm valid -> E_VM; owner VM not READY or VERIFIED ->
	 * E_VM_STATE.  owner 0 is KServ. */
	HVC_SMMU_ALLOC,
	/* smmu_map(unit, iova, pfn): E_UNIT; unallocated -> E_UNIT_STATE; iova
	 * unaligned or iova >> 12 > S2_MAX_GFN -> E_IOVA; not RAM pfn -> E_PFN;
	 * iova mapped -> E_MAPPED; page owner != unit owner -> E_OWNER; pool ->
	 * E_NOMEM.  Effect: mapped with KCORE_S2_SMMU; the page's DMA count + 1. */
	HVC_SMMU_MAP,
	/* smmu_unmap(unit, iova): E_UNIT; E_UNIT_STATE; E_IOVA; not mapped ->
	 * E_UNMAPPED.  Effect: unmapped, unit TLBI, DMA count - 1. */
	HVC_SMMU_UNMAP,
	/* smmu_iova_to_phys(unit, iova): E_UNIT; E_UNIT_STATE; iova >> 12 >
	 * S2_MAX_GFN -> E_IOVA (unaligned allowed); not mapped -> E_UNMAPPED.
	 * Returns the physical address, offset included. */
	HVC_SMMU_IOVA_TO_PHYS,
	/* smmu_free(unit): E_UNIT; E_UNIT_STATE.  Effect: all mappings removed
	 * (DMA counts drop), unit TLBI, detached, pool released. */
	HVC_SMMU_FREE,
	/* ioremap(vm, gpa, pa): E_VM; != VERIFIED -> E_VM_STATE; gpa unaligned
	 * or out of range -> E_GFN; pa not MMIO pa -> E_NOT_MMIO; gfn mapped ->
	 * E_MAPPED; pool -> E_NOMEM.  Effect: mapped at gfn with KCORE_S2_VM_MMIO. */
	HVC_IOREMAP,
	HVC__END
};

/* Guest hypercalls (HVC from a running vCPU) and guest traps. */
enum kcore_guest_op {
	/* grant(gfn): not in guest -> E_CPU_STATE; gfn out of range -> E_GFN;
	 * gfn not a RAM page of this VM -> E_UNMAPPED; count == MAX_SHARE ->
	 * E_SHARE_LIMIT.  Effect: count + 1 (KServ may now map the page).
	 * Returns the new count. */
	GHVC_GRANT = 1,
	/* revoke(gfn): E_CPU_STATE; E_GFN; E_UNMAPPED; count == 0 ->
	 * E_NOT_SHARED.  Effect: count - 1; at 0 the page is unmapped from
	 * KServ with TLBI.  Returns the new count. */
	GHVC_REVOKE,
	/* power_off(): E_CPU_STATE.  Effect: VM POWERED_OFF; this vCPU exits
	 * (READY, CPU back on KServ's stage-2); other vCPUs run on until exit. */
	GHVC_POWER_OFF,
	/* exit(): E_CPU_STATE.  The vCPU traps back to the host: READY, CPU back
	 * on KServ's stage-2. */
	GHVC_EXIT,
	GHVC__END
};

struct kcore_boot {
	uint64_t ram_base_pfn, ram_pages;     /* all RAM, KCore's region included */
	uint64_t kcore_base_pfn, kcore_pages; /* KCore's own region inside RAM */
	uint64_t mmio_base_pfn, mmio_pages;   /* device memory KServ and VMs may map */
	unsigned ncpus;
	struct kcore_caps caps;               /* all 0: every capacity at its maximum */
};

/* Pages KCore needs in its region for its pools. */
uint64_t kcore_region_pages_needed(void);

/* Set up from scratch (also used to reset between fuzz inputs).  Returns
 * KCORE_OK or -KCORE_E_PFN if the layout does not fit.  It fits when
 * 1 <= ncpus <= ARCH_MAX_CPUS and <= arch_cpu_count(); 1 <= ram_pages <=
 * KCORE_MAX_RAM_PAGES; RAM and MMIO end at or below pfn S2_MAX_GFN + 1
 * (KServ's stage-2 maps them at the same addresses); KCore's region lies
 * inside RAM with at least kcore_region_pages_needed() pages; MMIO (which
 * may be empty) does not overlap RAM; every capacity is 0 or within its
 * bounds.  A refused layout changes nothing. */
int64_t kcore_init(const struct kcore_boot *boot);

/* Per-CPU setup, run on every CPU after kcore_init: puts the CPU in the host
 * with KServ's stage-2 loaded. */
void kcore_init_cpu(void);

int64_t kcore_host_call(uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2);
int64_t kcore_guest_call(uint64_t op, uint64_t a0);
/* KServ took a stage-2 fault at pa on this CPU.  CPU in guest ->
 * E_CPU_STATE; pa neither RAM nor MMIO -> E_PFN; RAM page neither owned by
 * KServ nor granted (count > 0) by its VM -> E_OWNER; already mapped -> 0;
 * pool -> E_NOMEM.  Effect: identity mapping of the page with
 * KCORE_S2_KSERV_RAM, _SHARED (a granted VM page) or _MMIO.  A page KServ
 * leaves KServ's table whenever it changes hands (or its last grant is
 * revoked), so an entry always has the attributes of the page's kind now. */
int64_t kcore_kserv_fault(uint64_t pa);

#endif
