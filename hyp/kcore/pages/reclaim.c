/* clear_vm: reclaim a powered-off VM.  Each page goes back to KServ only
 * after it is zeroed, cleaned to the point of coherency (so neither a
 * cacheable nor a non-cacheable read can see the VM's data) and gone from
 * every table and TLB that could reach it. */
#include "base/bugs.h"
#include "base/kmem.h"
#include "base/layout.h"
#include "base/locks.h"
#include "base/ops.h"
#include "hyp/arch.h"
#include "hyp/kcore.h"
#include "hyp/s2desc.h"
#include "mm/npt.h"
#include "mm/s2page.h"
#include "smmu/smmu.h"
#include "vm/vm.h"

struct reclaim {
	unsigned vm;
	struct s2page_locked pages;
	struct kserv_npt_locked kserv;
};

static void give_to_kserv(struct reclaim *r, uint64_t pfn)
{
	struct s2page page = kcore_s2page_get(r->pages, pfn);

	page.owner = KCORE_OWNER_KSERV;
	page.share = 0;
	page.gfn = S2PAGE_NO_GFN;
	kcore_s2page_put(r->pages, pfn, page);
}

/* Runs for each valid entry of the VM's table while it is still valid. */
static void scrub_vm_page(void *arg, uint64_t gfn, uint64_t desc)
{
	struct reclaim *r = arg;
	uint64_t pfn = s2_oa(desc) >> PAGE_SHIFT;

	(void)gfn;
	if (s2_is_device(desc))
		return;
	struct s2page page = kcore_s2page_get(r->pages, pfn);
	if (page.owner != r->vm || page.dma)
		arch_panic("reclaim: VM maps a page it does not own, or one still DMA-mapped");
	/* A granted page may be in KServ's table: take it out before the
	 * scrub, so nobody but KCore touches the page until it is clean. */
	if (page.share)
		kcore_kserv_unmap_page(r->kserv, pfn);
#if KCORE_BUG(RECLAIM_NO_SCRUB)
	/* Planted: only pages KServ was lent are scrubbed. */
	if (!page.share)
		return;
#endif
	kcore_page_scrub(pfn);
}

/* Runs once the entry is broken and flushed: the VM cannot reach the page
 * any more, so KServ may have it. */
static void release_vm_page(void *arg, uint64_t gfn, uint64_t desc)
{
	struct reclaim *r = arg;

	(void)gfn;
	if (!s2_is_device(desc))
		give_to_kserv(r, s2_oa(desc) >> PAGE_SHIFT);
}

/* Image pages that never became the VM's (verify failed or never ran):
 * still KCore's and mapped nowhere. */
static void reclaim_image_slots(struct reclaim *r, const struct hyp_vm_slot *s)
{
	for (unsigned idx = 0; idx < KCORE_MAX_IMAGE_PAGES; idx++) {
		if (!(s->image_filled & (1u << idx)))
			continue;
		uint64_t pfn = s->image_pfn[idx];
		if (kcore_s2page_get(r->pages, pfn).owner != KCORE_OWNER_KCORE)
			continue;
		kcore_page_scrub(pfn);
		give_to_kserv(r, pfn);
	}
}

static int64_t clear_vm_checks(struct core_locked core, uint64_t vm)
{
	if (!kcore_vm_valid(core, vm))
		return -KCORE_E_VM;

	const struct hyp_vm_slot *s = kcore_vm_slot(core, (unsigned)vm, false);
	if (s->state != VM_POWERED_OFF)
		return -KCORE_E_VM_STATE;
#if !KCORE_BUG(CLEAR_RUNNING_VM)
	/* (Planted bug: left out, as if power_off stopped every vCPU.) */
	for (unsigned v = 0; v < KCORE_MAX_VCPUS; v++)
		if (s->vcpu[v] == VCPU_ACTIVE)
			return -KCORE_E_VCPU_STATE;
#endif
	return 0;
}

/* The VM's DMA goes first, so no device can write a page after its scrub;
 * the VM's table and TLB entries go next, then the pool. */
static void reclaim_vm(struct core_locked core, unsigned vm)
{
	struct hyp_vm_slot *s = kcore_vm_slot(core, vm, true);
	struct vm_npt_locked npt = kcore_lock_vm_npt(vm);
	struct smmu_locked smmu = kcore_lock_smmu();
	struct reclaim r = { .vm = vm, .pages = kcore_lock_s2page() };

	kcore_smmu_free_owned_by(smmu, r.pages, vm);
	r.kserv = kcore_lock_kserv_npt();
	kcore_pgt_unmap_all(kcore_vm_npt(npt), scrub_vm_page, release_vm_page, &r);
	reclaim_image_slots(&r, s);
	/* Also drops walk-cache entries for the VM's table pages before the
	 * pool hands them out again. */
	arch_tlbi_vmid(s->vmid);
	arch_dsb_ish();
	kcore_vm_npt_release(npt);

	kcore_unlock_kserv_npt(r.kserv);
	kcore_unlock_s2page(r.pages);
	kcore_unlock_smmu(smmu);
	kcore_unlock_vm_npt(npt);
	hyp_vm_slot_wipe(s);
}

int64_t kcore_op_clear_vm(uint64_t vm)
{
	struct core_locked core = kcore_lock_core();
	int64_t ret = clear_vm_checks(core, vm);

	if (!ret)
		reclaim_vm(core, (unsigned)vm);
	kcore_unlock_core(core);
	return ret;
}
