/* The abstract state of KCore: what the reference model keeps and what the
 * abstraction computes from KCore's concrete state, in one shape so the
 * refinement check can compare the two field by field.
 *
 * Deliberately absent: VMIDs and table addresses (KCore chooses them), and
 * which pages KServ's stage-2 has faulted in (lazy, not part of the
 * contract).  A VM's or SMMU unit's map is kept as a sorted array of 4 KiB
 * entries; a concrete table may hold a block, which the abstraction records
 * as one entry covering several pages so the difference shows up.
 */
#ifndef ORACLES_MODEL_REFSTATE_H
#define ORACLES_MODEL_REFSTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hyp/kcore.h"
#include "hyp/kcore_view.h"
#include "model/state/page_log.h"

#define REF_MAX_CPUS 8

/* No pool can hold more leaf entries than this: the root and one level-2
 * table leave (pool - 2) level-3 tables of 512 entries each. */
#define REF_VM_MAP_CAP ((KCORE_VM_POOL_PAGES - 2) * S2_ENTRIES)
#define REF_SMMU_MAP_CAP ((KCORE_SMMU_POOL_PAGES - 2) * S2_ENTRIES)

enum ref_perm { REF_PERM_R = 1u << 0, REF_PERM_W = 1u << 1, REF_PERM_RW = 3u, REF_PERM_X = 1u << 2 };
enum ref_mem { REF_MEM_NORMAL = 0, REF_MEM_DEVICE, REF_MEM_OTHER };

struct ref_map_entry {
	uint64_t key;    /* gfn, or iova page number */
	uint64_t pa;     /* physical address of the first page */
	uint32_t pages;  /* 1, or the pages a concrete block covers */
	uint8_t perm;    /* REF_PERM_* */
	uint8_t mem;     /* enum ref_mem: normal write-back, device, other */
};

/* cap is fixed per kind of map; overflow means a concrete table held more
 * entries than any pool of that size can, and the rest were dropped. */
/* from_tree: for an abstraction, the kept tree build (s2tree.h version)
 * whose leaves e[0..from_n) are, 0 if none; a reset leaves e[] and these
 * alone, so the next abstraction reuses the entries while that build
 * stands.  Whoever writes e[] otherwise sets from_tree to 0. */
/* gen: see ref_gen_fresh; for the model's maps, moved with every change
 * of n, overflow or e[0..n). */
#define REF_MAP_HEAD unsigned n; bool overflow; uint64_t from_tree; unsigned from_n; uint64_t gen
struct ref_vm_map { REF_MAP_HEAD; struct ref_map_entry e[REF_VM_MAP_CAP]; };
struct ref_smmu_map { REF_MAP_HEAD; struct ref_map_entry e[REF_SMMU_MAP_CAP]; };

/* KServ's stage-2 as the abstraction finds it.  The model keeps none:
 * KServ's table fills on demand, so which pages it holds is not part of the
 * contract, but every entry it holds is (identity, and the attributes
 * of the page's kind of mapping: refinement checks them). */
#define REF_KSERV_MAP_CAP ((KCORE_KSERV_POOL_PAGES - 2) * S2_ENTRIES)
struct ref_kserv_map { REF_MAP_HEAD; struct ref_map_entry e[REF_KSERV_MAP_CAP]; };

/* Owner the abstraction records for a page KCore's view has no entry for. */
#define REF_OWNER_NONE UINT32_MAX

struct ref_page {
	uint64_t gfn;    /* KCORE_NO_GFN unless a VM maps it */
	uint32_t owner;  /* KCORE_OWNER_* or VM handle */
	uint32_t share;  /* grant count */
	uint32_t dma;    /* SMMU mappings of the page */
};

struct ref_vm {
	enum kcore_vm_state state;
	enum kcore_vcpu_state vcpu[KCORE_MAX_VCPUS];
	int vcpu_cpu[KCORE_MAX_VCPUS];  /* -1 when not running */
	bool boot_set;
	uint64_t boot_gfn, boot_npages;
	uint64_t image_pfn[KCORE_MAX_IMAGE_PAGES]; /* 0: slot empty */
	uint64_t pool_used;
	uint64_t gen;                   /* of the fields above (ref_gen_fresh) */
	struct ref_vm_map map;          /* gfn -> RAM page or MMIO; last, see ref_state_copy */
};

struct ref_smmu {
	bool allocated;
	unsigned owner;                 /* 0 KServ, else VM handle */
	uint64_t pool_used;
	uint64_t gen;                   /* of the fields above (ref_gen_fresh) */
	struct ref_smmu_map map;        /* iova page -> RAM page; last, see ref_state_copy */
};

struct ref_cpu { int vm, vcpu; };   /* vm 0: the CPU is in the host */

struct ref_state {
	struct kcore_boot boot;
	struct ref_page *page;          /* boot.ram_pages entries, by pfn - ram_base_pfn */
	uint64_t page_cap;              /* entries allocated */
	struct page_log changed;        /* pages that may differ from the boot state */
	struct page_log recent;         /* pages that may have changed since ref_state_take_recent */
	struct page_log unchecked;      /* the same, since ref_state_take_unchecked */
	struct ref_vm vm[KCORE_MAX_VMS + 1]; /* by handle; [0] unused */
	struct ref_smmu smmu[KCORE_SMMU_UNITS];
	uint64_t kserv_pool_used;
	struct ref_cpu cpu[REF_MAX_CPUS];
	struct ref_kserv_map *kserv;    /* NULL until an abstraction fills it */
};

/* Size the page array for boot (allocating only when it grows) and reset
 * every field to the state after boot.  Pages cost only those changed
 * since the last reset or copy for the same layout.  false: the layout
 * cannot be represented or memory ran out. */
bool ref_state_reset(struct ref_state *s, const struct kcore_boot *boot);
/* The same but the pages are left as they are, for a caller that fills
 * every one of them (fills_all: they all count as changed) or only those
 * it updates through ref_page_of. */
bool ref_state_shape(struct ref_state *s, const struct kcore_boot *boot, bool fills_all);
void ref_state_release(struct ref_state *s);
/* dst becomes equal to src, copying only the map entries in use (a state
 * is mostly empty map capacity) and, between states of one layout, only
 * the pages either has changed.  false if memory ran out. */
bool ref_state_copy(struct ref_state *dst, const struct ref_state *src);
/* The indices of the pages that may differ from the boot state (*n of
 * them), or NULL if any may. */
const uint32_t *ref_state_changed(const struct ref_state *s, unsigned *n);

/* The pages that may have changed since the last call (*n of them, or
 * NULL if any may), for a checker that follows the state step by step;
 * the log starts again empty.  The array is valid until the state next
 * changes. */
const uint32_t *ref_state_take_recent(struct ref_state *s, unsigned *n);

/* The same log for a second follower (the refinement check). */
const uint32_t *ref_state_take_unchecked(struct ref_state *s, unsigned *n);

/* Generations: a VM's or unit's fields (gen) and its map (map.gen) are
 * given a value no state has had before whenever they change, so two
 * parts with one generation hold the same values, in whatever state,
 * after whatever reset or copy (a copy keeps the generation with the
 * values).  A check that found two parts equal may skip them while both
 * generations stand.  Every writer of a model's VM, unit or map calls the
 * matching ref_*_moved; 0 is no generation. */
uint64_t ref_gen_fresh(void);
static inline void ref_vm_moved(struct ref_vm *v) { v->gen = ref_gen_fresh(); }
static inline void ref_vm_map_moved(struct ref_vm *v) { v->map.gen = ref_gen_fresh(); }
static inline void ref_smmu_moved(struct ref_smmu *u) { u->gen = ref_gen_fresh(); }
static inline void ref_smmu_map_moved(struct ref_smmu *u) { u->map.gen = ref_gen_fresh(); }

bool ref_is_ram(const struct ref_state *s, uint64_t pfn);
bool ref_is_mmio(const struct ref_state *s, uint64_t pfn);
bool ref_in_kcore_region(const struct ref_state *s, uint64_t pfn);
/* NULL unless pfn is RAM.  The page counts as changed. */
struct ref_page *ref_page_of(struct ref_state *s, uint64_t pfn);
const struct ref_page *ref_page_get(const struct ref_state *s, uint64_t pfn);

/* Sorted maps.  find returns the entry whose key equals key, or NULL. */
const struct ref_map_entry *ref_map_find(const struct ref_map_entry *e, unsigned n, uint64_t key);
/* The entry whose range [key, key + pages) holds key, or NULL. */
const struct ref_map_entry *ref_map_covering(const struct ref_map_entry *e, unsigned n, uint64_t key);
/* Insert keeping keys sorted; false if key exists or the map is full. */
bool ref_map_insert(struct ref_map_entry *e, unsigned *n, unsigned cap, struct ref_map_entry ent);
/* Remove key; false if absent. */
bool ref_map_remove(struct ref_map_entry *e, unsigned *n, uint64_t key);

#endif
