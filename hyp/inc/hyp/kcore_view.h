/* A read-only view of KCore's state, for oracles and tests.
 *
 * Nothing here is reachable from KServ: it is how the host-side tools look
 * inside KCore, in the way a debugger would.  Reading it emits no events and
 * takes no locks, so call it only between steps.
 */
#ifndef HYP_KCORE_VIEW_H
#define HYP_KCORE_VIEW_H

#include <stdbool.h>
#include <stdint.h>

#include "hyp/kcore.h"

#define KCORE_NO_GFN UINT64_MAX

struct kcore_page_view {
	unsigned owner;   /* KCORE_OWNER_* or VM handle */
	unsigned share;   /* grant count */
	unsigned dma;     /* SMMU mappings of the page */
	uint64_t gfn;     /* where the owning VM maps it, or KCORE_NO_GFN */
};

struct kcore_vm_view {
	enum kcore_vm_state state;
	uint16_t vmid;
	uint64_t npt_root;   /* physical address of the level-1 table */
	enum kcore_vcpu_state vcpu[KCORE_MAX_VCPUS];
	int vcpu_cpu[KCORE_MAX_VCPUS]; /* CPU running it, -1 if none */
	bool boot_set;
	uint64_t boot_gfn, boot_npages;
	uint64_t image_pfn[KCORE_MAX_IMAGE_PAGES]; /* 0 = slot not filled */
	uint64_t pool_used;  /* pages taken from the VM's pool */
};

/* The fields of kcore_vm_view that say whose tables and TLB entries are
 * whose. */
struct kcore_vm_brief {
	enum kcore_vm_state state;
	uint16_t vmid;
	uint64_t npt_root;
};

struct kcore_smmu_view {
	bool allocated;
	unsigned owner;      /* 0 = KServ, else VM handle */
	uint64_t root;       /* physical address of the unit's level-1 table */
	uint64_t pool_used;
};

struct kcore_cpu_view {
	int vm;              /* VM whose vCPU runs here, 0 when in the host */
	int vcpu;
};

/* Pages that hold page tables or KCore data: [base, base + pages). */
struct kcore_region_view {
	uint64_t base_pfn, pages;
	uint64_t kserv_root;
	uint64_t kserv_pool_used;
};

bool kcore_view_page(uint64_t pfn, struct kcore_page_view *out); /* false: not RAM */
bool kcore_view_vm(unsigned vm, struct kcore_vm_view *out);     /* false: handle out of range */
/* Of kcore_view_vm's answer, the state, VMID and stage-2 root only: what
 * the isolation checks ask of every slot after every call, without the
 * copy of the rest. */
bool kcore_view_vm_brief(unsigned vm, struct kcore_vm_brief *out);
/* A whole view's brief, for callers that hold the view already. */
static inline struct kcore_vm_brief kcore_vm_brief_of(const struct kcore_vm_view *v)
{
	return (struct kcore_vm_brief){ .state = v->state, .vmid = v->vmid, .npt_root = v->npt_root };
}
bool kcore_view_smmu(unsigned unit, struct kcore_smmu_view *out);
bool kcore_view_cpu(unsigned cpu, struct kcore_cpu_view *out);
void kcore_view_region(struct kcore_region_view *out);
const struct kcore_boot *kcore_view_boot(void);

#endif
