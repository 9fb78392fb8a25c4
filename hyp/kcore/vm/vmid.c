/* VMID allocation.  A VMID may be handed out only if no TLB can hold
 * entries tagged with it: it has not been used since the last TLBI ALLE1IS.
 * VMIDs are taken in increasing order; when none is left, every TLB is
 * flushed and the VMIDs of live VMs (whose entries may come back at once)
 * stay taken. */
#include "base/bugs.h"
#include "base/layout.h"
#include "hyp/arch.h"
#include "hyp/kcore_locks.h"
#include "vm/vm.h"

#define VMID_FIRST 1u   /* 0 is KServ's */

static bool used_since_flush[KCORE_MAX_VMIDS + 1];

void kcore_vmid_reset(void)
{
	for (unsigned id = 0; id <= KCORE_MAX_VMIDS; id++)
		used_since_flush[id] = false;
}

/* The layout's VMID count bounds the search: at least one VMID per VM
 * slot, so a flush always frees one. */
static unsigned lowest_unused(void)
{
	for (unsigned id = VMID_FIRST; id <= kcore_caps()->vmids; id++)
		if (!used_since_flush[id])
			return id;
	return 0;
}

static void flush_all_vmids(struct core_locked l)
{
	arch_tlbi_all();
	arch_dsb_ish();
	kcore_vmid_reset();
	for (unsigned vm = 1; vm <= KCORE_MAX_VMS; vm++) {
		const struct hyp_vm_slot *s = kcore_vm_slot(l, vm, false);

		if (s->state != VM_UNUSED)
			used_since_flush[s->vmid] = true;
	}
}

uint16_t kcore_vmid_alloc(struct core_locked l)
{
	unsigned id;

	arch_note_access(KID(KOBJ_VMID, 0), true);
	id = lowest_unused();
	if (!id) {
		flush_all_vmids(l);
		id = lowest_unused();
		if (!id)
			arch_panic("vmid: none free after a full flush");
	}
#if !KCORE_BUG(VMID_REUSE)
	/* (Planted bug: left out, so every VM gets the same VMID.) */
	used_since_flush[id] = true;
#endif
	return (uint16_t)id;
}
