/* How program steps map to KVM, and the order they run in there. */
#include <string.h>

#include "compare/compare.h"
#include "sim/machine.h"

static const char *const mapping[STEP__COUNT] = {
	[STEP_REGISTER_VM] = "KVM_CREATE_VM, the guest's code in memory slot 0",
	[STEP_REGISTER_VCPU] = "KVM_CREATE_VCPU, KVM_ARM_VCPU_INIT with PSCI 0.2, PC at the guest's code",
	[STEP_SET_BOOT_INFO] = "the VMM notes the image range",
	[STEP_REMAP_VM_IMAGE] = "the VMM notes which host page holds the image page",
	[STEP_VERIFY_VM_IMAGE] = "no check: a memory slot per image page (KVM_SET_USER_MEMORY_REGION)",
	[STEP_VCPU_RUN] = "KVM_RUN until the guest asks for its first command",
	[STEP_MAP_VM_PAGE] = "a one-page memory slot at gfn backed by the host page; KVM maps it at the first touch",
	[STEP_CLEAR_VM] = "close the vCPU and VM file descriptors (VM destroyed); the host pages stay the VMM's",
	[STEP_GUEST_POWER_OFF] = "the guest calls PSCI SYSTEM_OFF (HVC); KVM_EXIT_SYSTEM_EVENT",
	[STEP_GUEST_EXIT] = "the VMM stops entering the vCPU",
	[STEP_GUEST_READ] = "the guest (MMU off) loads 8 bytes at the IPA; an IPA with no slot exits as MMIO (fault)",
	[STEP_GUEST_WRITE] = "the guest stores 8 bytes at the IPA; an IPA with no slot exits as MMIO (fault)",
	[STEP_KSERV_READ] = "the host (VMM) reads its page; a pa outside the program's RAM has no page (fault)",
	[STEP_KSERV_WRITE] = "the host (VMM) writes its page",
	[STEP_KSERV_LOAD] = "the host (VMM) copies the image page into its page",
};

static const char *const not_applicable[STEP__COUNT] = {
	[STEP_SMMU_ALLOC] = "no SMMU in the guest machine (QEMU virt without iommu)",
	[STEP_SMMU_MAP] = "no SMMU",
	[STEP_SMMU_UNMAP] = "no SMMU",
	[STEP_SMMU_IOVA_TO_PHYS] = "no SMMU",
	[STEP_SMMU_FREE] = "no SMMU",
	[STEP_DMA_READ] = "no SMMU",
	[STEP_DMA_WRITE] = "no SMMU",
	[STEP_IOREMAP] = "device pages are emulated by the VMM: an IPA with no slot already exits to it",
	[STEP_GUEST_GRANT] = "KVM has no grants: the host reaches every page of a VM anyway",
	[STEP_GUEST_REVOKE] = "KVM has no grants",
	[STEP_KSERV_FAULT] = "the host's own page faults are Linux's, not a hypervisor call",
	[STEP_TLB_FILL] = "a machine event with no architectural trigger",
	[STEP_CACHE_EVICT] = "a machine event with no architectural trigger (TCG has no caches)",
	[STEP_PUBLISH_WRITES] = "a machine event with no architectural trigger (TCG makes every write visible at once)",
	[STEP_IOTLB_FILL] = "no SMMU",
};

const char *kvm_step_mapping(unsigned kind)
{
	return kind < STEP__COUNT ? mapping[kind] : NULL;
}

const char *kvm_step_not_applicable(unsigned kind)
{
	return kind < STEP__COUNT ? not_applicable[kind] : NULL;
}

/* The model's hypervisor region holds its stage-2 tables and its own
 * data; KVM's are kernel memory at addresses no program names. */
static bool in_hyp_region(uint64_t pa)
{
	const struct kcore_boot *b = exec_boot();
	uint64_t pfn = pa >> PAGE_SHIFT;
	return pfn >= b->kcore_base_pfn && pfn - b->kcore_base_pfn < b->kcore_pages;
}

const char *kvm_step_why_not(const struct program_step *s)
{
	if (!kvm_step_mapping(s->kind))
		return kvm_step_not_applicable(s->kind);
	if ((s->kind == STEP_KSERV_READ || s->kind == STEP_KSERV_WRITE) && in_hyp_region(s->arg[0]))
		return "a page of the model's hypervisor region: KVM's stage-2 tables are kernel memory "
		       "no program names";
	return NULL;
}

/* The program as a machine without caches sees it: every access
 * cacheable (TCG has no caches, so KVM there is coherent). */
static void make_coherent(struct program *p)
{
	for (unsigned i = 0; i < p->nsteps; i++) {
		const struct step_info *info = program_step_info(p->step[i].kind);
		for (unsigned a = 0; a < PROGRAM_MAX_ARGS; a++)
			if (info->arg[a].type == ARG_FLAG)
				p->step[i].arg[a] = 0;
	}
}

const char *linux_target_name(enum linux_mode m)
{
	return m == LINUX_PROTECTED ? "linux-pkvm" : "linux-kvm";
}

int linux_mode_by_name(const char *name)
{
	for (int m = 0; m < LINUX__MODES; m++)
		if (strcmp(name, linux_target_name((enum linux_mode)m)) == 0)
			return m;
	return -1;
}

void kvm_case_prepare(struct kvm_case *c)
{
	unsigned ran[PROGRAM_MAX_STEPS], n;
	static struct program coherent;

	coherent = c->prog;
	make_coherent(&coherent);
	exec_run(&coherent, &c->ref);
	n = exec_completion_order(&c->ref, ran);
	c->norder = 0;
	for (unsigned k = 0; k < n; k++)
		if (!kvm_step_why_not(&c->prog.step[ran[k]]))
			c->order[c->norder++] = ran[k];
	memset(c->obs, 0, sizeof(c->obs));
	c->ended = false;
}

void kvm_obs_print(FILE *f, const struct program_step *s, const struct kvm_obs *o)
{
	if (kvm_step_why_not(s)) {
		fprintf(f, "n/a");
		return;
	}
	if (!o->have) {
		fprintf(f, "not run");
		return;
	}
	switch (o->status) {
	case 'h': fprintf(f, "not in the host"); return;
	case 'g': fprintf(f, "no guest running"); return;
	case 's': fprintf(f, "stopped (its VM powered off)"); return;
	case 'x': fprintf(f, "broken (KVM_RUN failed)"); return;
	default: break;
	}
	if (s->kind == STEP_GUEST_READ || s->kind == STEP_KSERV_READ)
		fprintf(f, o->fault ? "fault" : "read %#llx", (unsigned long long)o->val);
	else if (s->kind == STEP_GUEST_WRITE || s->kind == STEP_KSERV_WRITE)
		fprintf(f, o->fault ? "fault" : "ok");
	else if (o->ret < 0)
		fprintf(f, "refused %lld", (long long)o->ret);
	else
		fprintf(f, "OK %#llx", (unsigned long long)o->ret);
}
