/* The CPU stage-2 tables: the host's (an identity map under VMID 0, filled
 * on demand and never shrunk) and one per VM slot, each in its own pool and
 * under its own lock. */
#include "base/kmem.h"
#include "hyp/arch.h"
#include "hyp/s2desc.h"
#include "vanilla_state.h"

static struct hyp_pool kserv_pool;
static struct pgt kserv_pgt;
static paddr_t kserv_root;

static struct hyp_pool vm_pool[KCORE_MAX_VMS + 1];
static struct pgt vm_pgt[KCORE_MAX_VMS + 1];

void vanilla_kserv_npt_reset(void)
{
	vanilla_lock(KLOCK_KSERV_NPT, 0);
	hyp_pool_setup_host(&kserv_pool, vanilla_layout());
	kcore_pgt_init(vanilla_kserv_npt(), &kserv_pool, KID(KOBJ_KSERV_NPT, 0),
		       PGT_FLUSH_VMID, VANILLA_KSERV_VMID);
	kserv_root = kserv_pgt.root;
	vanilla_unlock(KLOCK_KSERV_NPT, 0);
}

paddr_t vanilla_kserv_npt_root(void)
{
	return kserv_root;
}

struct pgt_locked vanilla_kserv_npt(void)
{
	vanilla_assert_held(KLOCK_KSERV_NPT, 0);
	return (struct pgt_locked){ &kserv_pgt };
}

uint32_t vanilla_kserv_npt_pool_used(void)
{
	return kserv_pool.used;
}

void vanilla_vm_npt_reset(void)
{
	for (unsigned vm = 1; vm <= KCORE_MAX_VMS; vm++) {
		hyp_pool_setup_vm(&vm_pool[vm], vanilla_layout(), vm);
		vm_pgt[vm] = (struct pgt){ 0 };
	}
}

paddr_t vanilla_vm_npt_create(unsigned vm, uint16_t vmid)
{
	struct pgt_locked t = vanilla_vm_npt(vm);

	hyp_pool_setup_vm(&vm_pool[vm], vanilla_layout(), vm);
	kcore_pgt_init(t, &vm_pool[vm], KID(KOBJ_VM_NPT, vm), PGT_FLUSH_VMID, vmid);
	return vm_pgt[vm].root;
}

struct pgt_locked vanilla_vm_npt(unsigned vm)
{
	vanilla_assert_held(KLOCK_VM_NPT, vm);
	return (struct pgt_locked){ &vm_pgt[vm] };
}

void vanilla_vm_npt_release(unsigned vm)
{
	vanilla_assert_held(KLOCK_VM_NPT, vm);
	arch_note_access(KID(KOBJ_VM_NPT, vm), true);
	hyp_pool_release(&vm_pool[vm]);
}

uint32_t vanilla_vm_npt_pool_used(unsigned vm)
{
	return vm >= 1 && vm <= KCORE_MAX_VMS ? vm_pool[vm].used : 0;
}

/* Without stage-2 forced write-back (FEAT_S2FWB, which the model does not
 * have) a guest may read memory with its caches off, straight from the
 * point of coherency; KVM cleans each page to PoC as it maps it so such a
 * guest sees what the host wrote.  That is for the guest's sake only: the
 * host keeps the page mapped and may write it again at any time. */
void vanilla_vm_map_ram(unsigned vm, uint64_t gfn, uint64_t pfn)
{
	kcore_page_clean_to_poc(pfn);
	kcore_pgt_map(vanilla_vm_npt(vm), gfn, pa_addr(pa_from_pfn(pfn)) | S2_PAGE_NORMAL_RW);
}
