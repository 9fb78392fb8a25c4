/* VMIDs, handed out the way KVM's allocator does: in increasing order,
 * each at most once per TLB generation.  When none is left the generation
 * rolls over: every TLB is flushed (TLBI ALLE1IS), and the VMIDs of live
 * VMs, whose entries may come back at once, stay taken. */
#include "hyp/arch.h"
#include "vanilla_state.h"

#define VMID_FIRST 1u   /* 0 is the host's */

static bool used_this_generation[KCORE_MAX_VMIDS + 1];
static unsigned next_vmid;

void vanilla_vmid_reset(void)
{
	for (unsigned id = 0; id <= KCORE_MAX_VMIDS; id++)
		used_this_generation[id] = false;
	next_vmid = VMID_FIRST;
}

static unsigned find_free(void)
{
	for (unsigned id = next_vmid; id <= kcore_cap(vanilla_layout()->caps.vmids, KCORE_MAX_VMIDS); id++)
		if (!used_this_generation[id])
			return id;
	return 0;
}

static void new_generation(void)
{
	arch_tlbi_all();
	arch_dsb_ish();
	vanilla_vmid_reset();
	for (unsigned vm = 1; vm <= KCORE_MAX_VMS; vm++) {
		const struct hyp_vm_slot *s = vanilla_vm_slot(vm, false);

		if (s->state != VM_UNUSED)
			used_this_generation[s->vmid] = true;
	}
}

/* KLOCK_CORE held. */
uint16_t vanilla_vmid_alloc(void)
{
	unsigned id;

	vanilla_assert_held(KLOCK_CORE, 0);
	arch_note_access(KID(KOBJ_VMID, 0), true);
	id = find_free();
	if (!id) {
		new_generation();
		id = find_free();
		if (!id)
			arch_panic("vanilla vmid: none free after a rollover");
	}
	used_this_generation[id] = true;
	next_vmid = id + 1;
	return (uint16_t)id;
}
