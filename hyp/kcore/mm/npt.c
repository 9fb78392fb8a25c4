#include "mm/npt.h"

#include "base/layout.h"
#include "hyp/arch.h"
#include "hyp/kcore.h"
#include "hyp/kcore_locks.h"
#include "hyp_pool.h"

static struct hyp_pool kserv_pool;
static struct pgt kserv_pgt;
static paddr_t kserv_root;

static struct hyp_pool vm_pool[KCORE_MAX_VMS + 1];
static struct pgt vm_pgt[KCORE_MAX_VMS + 1];

void kcore_kserv_npt_reset(void)
{
	struct kserv_npt_locked l = kcore_lock_kserv_npt();

	hyp_pool_setup_host(&kserv_pool, kcore_layout());
	kcore_pgt_init(kcore_kserv_npt(l), &kserv_pool, KID(KOBJ_KSERV_NPT, 0),
		       PGT_FLUSH_VMID, KSERV_VMID);
	kserv_root = kserv_pgt.root;
	kcore_unlock_kserv_npt(l);
}

paddr_t kcore_kserv_npt_root(void)
{
	return kserv_root;
}

struct pgt_locked kcore_kserv_npt(struct kserv_npt_locked l)
{
	(void)l;
	return (struct pgt_locked){ &kserv_pgt };
}

void kcore_kserv_unmap_page(struct kserv_npt_locked l, uint64_t pfn)
{
	kcore_pgt_unmap(kcore_kserv_npt(l), pfn);
}

void kcore_vm_npt_reset(void)
{
	for (unsigned vm = 1; vm <= KCORE_MAX_VMS; vm++)
		hyp_pool_setup_vm(&vm_pool[vm], kcore_layout(), vm);
}

paddr_t kcore_vm_npt_create(struct vm_npt_locked l, uint16_t vmid)
{
	hyp_pool_setup_vm(&vm_pool[l.vm], kcore_layout(), l.vm);
	kcore_pgt_init(kcore_vm_npt(l), &vm_pool[l.vm], KID(KOBJ_VM_NPT, l.vm),
		       PGT_FLUSH_VMID, vmid);
	return vm_pgt[l.vm].root;
}

struct pgt_locked kcore_vm_npt(struct vm_npt_locked l)
{
	return (struct pgt_locked){ &vm_pgt[l.vm] };
}

void kcore_vm_npt_release(struct vm_npt_locked l)
{
	arch_note_access(KID(KOBJ_VM_NPT, l.vm), true);
	hyp_pool_release(&vm_pool[l.vm]);
}

uint32_t kcore_vm_npt_pool_used(unsigned vm)
{
	return vm >= 1 && vm <= KCORE_MAX_VMS ? vm_pool[vm].used : 0;
}

uint32_t kcore_kserv_npt_pool_used(void)
{
	return kserv_pool.used;
}
