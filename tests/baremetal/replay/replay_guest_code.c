/* The guest program in VMs whose image holds no code.
 *
 * A program boots its VMs from the built-in images, whose bytes are data,
 * not instructions, yet its guest steps need a guest that runs.  Before a
 * VM's first vcpu_run the host gives it one more page with map_vm_page: a
 * copy of the guest program, at a gfn in the same 2 MiB block as the
 * image (so KCore's table pool is charged nothing more) that no step of
 * the program names, and makes it the vCPUs' entry (PLAT_VM_ENTRY).  The
 * page is the host's own, which no program may name either; clear_vm
 * scrubs it with the VM's pages, so it is copied again for the next VM.
 */
#include "replay.h"

#include "guest/guest_program.h"
#include "host.h"
#include "hyp/addr.h"
#include "lib/kstring.h"

#define BLOCK_GFNS 512u

struct vm_code {
	bool boot_set;
	uint64_t boot_gfn, npages;
	bool mapped;
};

static struct vm_code vms[KCORE_MAX_VMS + 1];
static uint8_t code_page[KCORE_MAX_VMS + 1][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static uint64_t named[PROGRAM_MAX_STEPS * PROGRAM_MAX_ARGS];
static unsigned nnamed;

static void name_gfn(uint64_t gfn)
{
	for (unsigned i = 0; i < nnamed; i++)
		if (named[i] == gfn)
			return;
	named[nnamed++] = gfn;
}

void replay_guest_code_program(const struct replay_program *p)
{
	nnamed = 0;
	for (unsigned i = 0; i < p->nsteps; i++) {
		const struct step_info *info = program_step_info(p->step[i].kind);
		for (unsigned a = 0; a < PROGRAM_MAX_ARGS; a++) {
			enum arg_type t = info->arg[a].type;
			if (t == ARG_GFN)
				name_gfn(p->step[i].arg[a]);
			else if (t == ARG_GPA || t == ARG_IPA)
				name_gfn(p->step[i].arg[a] >> PAGE_SHIFT);
		}
	}
	for (unsigned vm = 0; vm <= KCORE_MAX_VMS; vm++)
		vms[vm] = (struct vm_code){ 0 };
}

void replay_guest_code_track(unsigned kind, const uint64_t *arg, int64_t ret)
{
	if (kind == STEP_REGISTER_VM && ret > 0 && ret <= KCORE_MAX_VMS)
		vms[ret] = (struct vm_code){ 0 };
	if (arg[0] == 0 || arg[0] > KCORE_MAX_VMS || ret != 0)
		return;
	if (kind == STEP_SET_BOOT_INFO)
		vms[arg[0]] = (struct vm_code){ .boot_set = true, .boot_gfn = arg[1] >> PAGE_SHIFT,
						 .npages = arg[2] };
	else if (kind == STEP_CLEAR_VM)
		vms[arg[0]] = (struct vm_code){ 0 };
}

static bool is_named(uint64_t gfn)
{
	for (unsigned i = 0; i < nnamed; i++)
		if (named[i] == gfn)
			return true;
	return false;
}

/* The highest gfn of the image's 2 MiB block that is neither an image
 * page nor named by the program. */
static bool pick_gfn(const struct vm_code *c, uint64_t *gfn)
{
	uint64_t block = c->boot_gfn & ~(uint64_t)(BLOCK_GFNS - 1);

	for (unsigned i = BLOCK_GFNS; i-- > 0;) {
		uint64_t g = block + i;
		if ((g >= c->boot_gfn && g - c->boot_gfn < c->npages) || is_named(g))
			continue;
		*gfn = g;
		return true;
	}
	return false;
}

bool replay_guest_code_ready(uint64_t vm, struct replay_stop_why *why)
{
	uint64_t gfn;

	/* An invalid or unbooted VM: vcpu_run itself refuses it. */
	if (vm == 0 || vm > KCORE_MAX_VMS || !vms[vm].boot_set || vms[vm].mapped)
		return true;
	if (!pick_gfn(&vms[vm], &gfn)) {
		*why = (struct replay_stop_why){ REPLAY_STOP_GUEST_CODE, 0 };
		return false;
	}
	uint8_t *page = code_page[vm];
	memcpy(page, guest_program, guest_program_size);
	memset(page + guest_program_size, 0, PAGE_SIZE - guest_program_size);
	int64_t ret = kcore_call(HVC_MAP_VM_PAGE, vm, gfn, (uint64_t)(uintptr_t)page >> PAGE_SHIFT);
	/* Not VERIFIED: the vcpu_run that follows is refused the same way. */
	if (ret == -KCORE_E_VM_STATE)
		return true;
	if (ret != 0) {
		*why = (struct replay_stop_why){ REPLAY_STOP_GUEST_CODE, (uint64_t)ret };
		return false;
	}
	vms[vm].mapped = true;
	host_hvc(PLAT_VM_ENTRY, vm, gfn << PAGE_SHIFT, 0);
	return true;
}
