/* Step-by-step comparison of the baseline's model with KVM.
 *
 * Compared, for a step that ran on both: whether it ran at all on the
 * CPU's state (host or guest); for accesses, whether they faulted and a
 * read's value; for kserv_load, whether it happened; for register_vm the
 * handle; for every other call whether it succeeded (error codes are the
 * model's, KVM answers with errno or the VMM's policy).
 *
 * Explained, not counted as mismatches: accesses to device pages (QEMU's
 * devices answer on KVM, the model has a pattern), and any difference
 * after a step with no KVM meaning that changed, in the model, what memory
 * holds or maps (ioremap, SMMU mappings, DMA writes, writes into the
 * model's hypervisor region): from there the two runs are not the same
 * experiment. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>

#include "compare/compare_match.h"
#include "sim/machine.h"

static bool is_access(unsigned kind)
{
	return kind == STEP_GUEST_READ || kind == STEP_GUEST_WRITE || kind == STEP_KSERV_READ ||
	       kind == STEP_KSERV_WRITE;
}

static bool is_read(unsigned kind)
{
	return kind == STEP_GUEST_READ || kind == STEP_KSERV_READ;
}

static bool changes_memory(const struct program_step *s)
{
	switch (s->kind) {
	case STEP_IOREMAP: case STEP_SMMU_MAP: case STEP_DMA_WRITE: case STEP_KSERV_WRITE: return true;
	default: return false;
	}
}

static void model_text(char *buf, size_t cap, const struct program_step *s, const struct step_obs *o)
{
	if (o->status != OBS_DONE)
		snprintf(buf, cap, "%s", o->status == OBS_NOT_HOST ? "not in the host" : o->status == OBS_NOT_GUEST ? "no guest running" : "not run");
	else if (is_access(s->kind) && o->fault != SIM_OK)
		snprintf(buf, cap, "fault %s", sim_fault_name(o->fault));
	else if (is_read(s->kind))
		snprintf(buf, cap, "read %#llx", (unsigned long long)o->val);
	else if (is_access(s->kind) || s->kind == STEP_KSERV_LOAD)
		snprintf(buf, cap, o->fault != SIM_OK ? "fault" : "ok");
	else
		snprintf(buf, cap, "%s %lld", o->ret < 0 ? kcore_err_name(o->ret) : "OK", (long long)o->ret);
}

static void kvm_text(char *buf, size_t cap, const struct program_step *s, const struct kvm_obs *o)
{
	FILE *f = fmemopen(buf, cap, "w");
	if (!f) {
		snprintf(buf, cap, "?");
		return;
	}
	kvm_obs_print(f, s, o);
	fclose(f);
}

static bool same(const struct program_step *s, const struct step_obs *m, const struct kvm_obs *k)
{
	char st = m->status == OBS_DONE ? 'd' : m->status == OBS_NOT_HOST ? 'h' : m->status == OBS_NOT_GUEST ? 'g' : '?';
	/* A guest call on a CPU with no guest: the model passes it on and
	 * KCore's interface answers E_CPU_STATE; on KVM no guest is there to
	 * make it.  Both say the same thing. */
	if (program_step_info(s->kind)->cls == STEP_CLASS_GUEST_CALL && st == 'd' && m->ret == -KCORE_E_CPU_STATE)
		st = 'g';
	if (!k->have || k->status != st)
		return false;
	if (st != 'd')
		return true;
	if (is_access(s->kind)) {
		bool mf = m->fault != SIM_OK;
		return mf == k->fault && (mf || !is_read(s->kind) || m->val == k->val);
	}
	if (s->kind == STEP_KSERV_LOAD)
		return (m->fault != SIM_OK) == (k->ret < 0);
	if (s->kind == STEP_REGISTER_VM)
		return m->ret == k->ret || (m->ret < 0 && k->ret < 0);
	return (m->ret >= 0) == (k->ret >= 0);
}

/* A device page, where the two sides' answers are not comparable. */
static bool on_device(const struct kvm_case *c, unsigned i)
{
	const struct program_step *s = &c->prog.step[i];
	const struct kcore_boot *b = exec_boot();

	if (s->kind == STEP_KSERV_READ || s->kind == STEP_KSERV_WRITE) {
		uint64_t pfn = s->arg[0] >> PAGE_SHIFT;
		return pfn >= b->mmio_base_pfn && pfn - b->mmio_base_pfn < b->mmio_pages;
	}
	for (unsigned j = 0; j < c->prog.nsteps; j++)
		if (c->prog.step[j].kind == STEP_IOREMAP && c->ref.obs[j].ret >= 0 &&
		    c->prog.step[j].arg[1] >> PAGE_SHIFT == s->arg[0])
			return true;
	return false;
}

static void add_diff(struct case_match *m, unsigned step, enum match_verdict v, const char *model,
		     const char *kvm, const char *why)
{
	if (m->ndiff == MATCH_MAX_DIFFS)
		return;
	struct step_diff *d = &m->diff[m->ndiff++];
	d->step = step;
	d->verdict = v;
	snprintf(d->model, sizeof(d->model), "%s", model);
	snprintf(d->kvm, sizeof(d->kvm), "%s", kvm);
	snprintf(d->why, sizeof(d->why), "%s", why ? why : "");
}

/* KVM takes a memory slot in any VM state; the program protocol (and
 * so the model) maps VM pages only once the image is verified.  A slot
 * KVM took early then makes the later map of the same gfn a duplicate. */
static const char *protocol_only(const struct kvm_case *c, unsigned i, const struct step_obs *mo,
				 int *early_map)
{
	const struct program_step *s = &c->prog.step[i];
	const struct kvm_obs *k = &c->obs[i];

	if (s->kind != STEP_MAP_VM_PAGE || mo->status != OBS_DONE || !k->have || k->status != 'd')
		return NULL;
	if (mo->ret == -KCORE_E_VM_STATE && k->ret >= 0) {
		*early_map = (int)i;
		return "KVM takes memory slots in any VM state; the protocol maps VM pages only after verify_vm_image";
	}
	if (mo->ret >= 0 && k->ret < 0 && *early_map >= 0 && c->prog.step[*early_map].arg[0] == s->arg[0] &&
	    c->prog.step[*early_map].arg[1] == s->arg[1])
		return "KVM already has this slot: it took it before verify_vm_image, the model refused it then";
	return NULL;
}

void match_case(const struct kvm_case *c, struct case_match *m)
{
	int changed_at = -1;  /* the first n/a step that changed the model's memory */
	int early_map = -1;   /* a map_vm_page KVM took and the model refused */

	memset(m, 0, sizeof(*m));
	for (unsigned k = 0; k < c->prog.nsteps; k++) {
		/* walk in the model's completion order */
		unsigned i = PROGRAM_MAX_STEPS;
		for (unsigned j = 0; j < c->prog.nsteps; j++)
			if (c->ref.obs[j].status != OBS_NOT_RUN && c->ref.obs[j].order == k)
				i = j;
		if (i == PROGRAM_MAX_STEPS)
			continue;
		const struct program_step *s = &c->prog.step[i];
		const struct step_obs *mo = &c->ref.obs[i];
		if (kvm_step_why_not(s)) {
			m->not_applicable++;
			if (changed_at < 0 && changes_memory(s) && mo->status == OBS_DONE && mo->fault == SIM_OK &&
			    mo->ret >= 0)
				changed_at = (int)i;
			continue;
		}
		if (same(s, mo, &c->obs[i])) {
			m->same++;
			continue;
		}
		char a[48], b[48], why[160] = "";
		model_text(a, sizeof(a), s, mo);
		kvm_text(b, sizeof(b), s, &c->obs[i]);
		const char *protocol = protocol_only(c, i, mo, &early_map);
		if (c->obs[i].have && c->obs[i].status == 's')
			snprintf(why, sizeof(why), "KVM stops every vCPU of a VM at PSCI SYSTEM_OFF; the model lets "
						   "the others run until they exit");
		else if (protocol)
			snprintf(why, sizeof(why), "%s", protocol);
		else if (on_device(c, i))
			snprintf(why, sizeof(why), "a device page: QEMU's device answers on KVM");
		else if (changed_at >= 0)
			snprintf(why, sizeof(why), "follows step %d (%s), which has no KVM meaning and changed the model's memory",
				 changed_at, program_step_info(c->prog.step[changed_at].kind)->name);
		if (why[0])
			m->explained++;
		else
			m->different++;
		add_diff(m, i, why[0] ? MATCH_EXPLAINED : MATCH_DIFFERENT, a, b, why);
	}
}
