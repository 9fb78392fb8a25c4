/* Isolation: concrete reach (tables, TLBs, loaded contexts) within the model's. */
#include "model/isolation/isolation.h"
#include "model/isolation/isolation_reach.h"

#include <inttypes.h>

#include "hyp/addr.h"
#include "hyp/s2desc.h"
#include "model/s2/s2scan.h"
#include "model/state/ref_attr.h"
#include "model/state/ref_reach.h"
#include "sim/machine.h"

/* What a leaf lets its user do, execute included; the access flag is not
 * required (see .h). */
unsigned iso_leaf_perm(uint64_t desc)
{
	return ref_desc_perm_any(desc);
}

static unsigned allowed(const struct reach *r, uint64_t in_pfn, uint64_t pfn)
{
	switch (r->who) {
	case P_KSERV: return ref_kserv_may(r->s, pfn);
	case P_VM: return ref_vm_may(r->s, r->id, in_pfn, pfn);
	default: return ref_smmu_may(r->s, r->id, in_pfn, pfn);
	}
}

/* The VM a violation is about: the VM itself, or the unit's owner. */
static int principal_vm(const struct reach *r)
{
	if (r->who == P_VM)
		return (int)r->id;
	if (r->who == P_SMMU && r->id < KCORE_SMMU_UNITS)
		return (int)r->s->smmu[r->id].owner;
	return 0;
}

/* Whose page pfn is, for people. */
static void page_text(const struct ref_state *s, uint64_t pfn, char *buf, size_t len)
{
	const struct ref_page *p = ref_page_get(s, pfn);

	if (ref_in_kcore_region(s, pfn))
		snprintf(buf, len, "KCore's region");
	else if (p == NULL)
		snprintf(buf, len, "MMIO");
	else if (p->owner == KCORE_OWNER_KCORE)
		snprintf(buf, len, "held by KCore");
	else if (p->owner == KCORE_OWNER_KSERV)
		snprintf(buf, len, "KServ's");
	else
		snprintf(buf, len, "VM %u's, %u grants", p->owner, p->share);
}

/* What a leaf gives beyond what is allowed, for people. */
static const char *excess_text(unsigned perm, unsigned may)
{
	unsigned extra = perm & ~may;

	if (may == 0)
		return "reaches";
	if (extra & REF_PERM_W)
		return "can write read-only";
	return extra & REF_PERM_X ? "can execute" : "can read";
}

static void report(struct reach *r, uint64_t in_addr, uint64_t pfn, unsigned perm, unsigned may)
{
	static const char *const who_name[] = { "KServ", "VM", "SMMU unit" };
	static const enum violation_kind kind[] = { V_KSERV_REACH, V_VM_REACH, V_DMA_REACH };
	char whom[24], whose[32];

	if (r->who == P_KSERV)
		snprintf(whom, sizeof(whom), "KServ");
	else
		snprintf(whom, sizeof(whom), "%s %u", who_name[r->who], r->id);
	page_text(r->s, pfn, whose, sizeof(whose));
	violation_init(r->v, ref_kcore_private(r->s, pfn) ? V_TABLE_REACH : kind[r->who]);
	r->v->cpu = r->cpu;
	r->v->vm = principal_vm(r);
	r->v->page = pfn;
	r->v->expected = may;
	r->v->actual = perm;
	snprintf(r->v->detail, sizeof(r->v->detail), "%s %s pfn 0x%" PRIx64 " (%s) at 0x%" PRIx64 " via %s", whom,
		 excess_text(perm, may), pfn, whose, in_addr, r->via);
	r->found = true;
}

/* The leaf desc maps the page pfn with a memory type the contract does not
 * give it (ref_attr.h). */
static void report_mem_type(struct reach *r, uint64_t in_addr, uint64_t pfn, unsigned want, unsigned got)
{
	violation_init(r->v, V_MEM_TYPE);
	r->v->cpu = r->cpu;
	r->v->vm = principal_vm(r);
	r->v->page = pfn;
	r->v->expected = want;
	r->v->actual = got;
	snprintf(r->v->detail, sizeof(r->v->detail), "%s pfn 0x%" PRIx64 " mapped %s, contract %s, at 0x%" PRIx64
		 " via %s", ref_is_mmio(r->s, pfn) ? "MMIO" : "RAM", pfn, ref_mem_name(got), ref_mem_name(want),
		 in_addr, r->via);
	r->found = true;
}

/* [in, in + size) -> [pa, pa + size) by the leaf desc: within the reach
 * and of the memory type the contract allows, page by page. */
bool iso_check_range(struct reach *r, uint64_t in, uint64_t pa, uint64_t size, uint64_t desc)
{
	unsigned perm = iso_leaf_perm(desc), mem = ref_desc_mem(desc);

	if (perm == 0)
		return false;
	for (uint64_t off = 0; off < size; off += PAGE_SIZE) {
		uint64_t pfn = (pa + off) >> PAGE_SHIFT;
		unsigned may;

		if (!ref_is_ram(r->s, pfn) && !ref_is_mmio(r->s, pfn))
			continue; /* the access would abort: nothing is reached */
		may = allowed(r, (in + off) >> PAGE_SHIFT, pfn);
		if ((perm & ~may) != 0) {
			report(r, in + off, pfn, perm, may);
			return true;
		}
		if (mem != ref_mem_of(r->s, pfn)) {
			report_mem_type(r, in + off, pfn, ref_mem_of(r->s, pfn), mem);
			return true;
		}
	}
	return false;
}

/* Every principal's table pages are KCore's alone: one in a page the
 * model gives anybody else is reachable by them (KServ takes its own
 * pages by a fault, a VM or unit reaches what it owns). */
static bool table_frame_bad(struct reach *r, uint64_t table, unsigned level)
{
	uint64_t pfn = table >> PAGE_SHIFT;
	char whose[32];

	if (ref_kcore_private(r->s, pfn))
		return false;
	page_text(r->s, pfn, whose, sizeof(whose));
	violation_init(r->v, V_TABLE_REACH);
	r->v->cpu = r->cpu;
	r->v->vm = principal_vm(r);
	r->v->page = pfn;
	if (level != 0)
		snprintf(r->v->detail, sizeof(r->v->detail), "level-%u table of %s in pfn 0x%" PRIx64 " (%s), not KCore's",
			 level, r->via, pfn, whose);
	else
		snprintf(r->v->detail, sizeof(r->v->detail), "a table of %s in pfn 0x%" PRIx64 " (%s), not KCore's",
			 r->via, pfn, whose);
	r->found = true;
	return true;
}

bool iso_check_frames(struct reach *r, const struct s2_tree *tree)
{
	for (unsigned f = 0; f < tree->nframes; f++)
		if (table_frame_bad(r, tree->frame[f].pa, 0))
			return true;
	return false;
}

bool iso_check_tree(struct reach *r, const struct s2_tree *tree, const uint32_t *which, unsigned n)
{
	return iso_check_frames(r, tree) || iso_check_leaves(r, tree, which, n);
}

bool iso_check_leaves(struct reach *r, const struct s2_tree *tree, const uint32_t *which, unsigned n)
{
	unsigned count = which ? n : tree->nleaves;
	for (unsigned k = 0; k < count; k++) {
		const struct s2_leaf *l = &tree->leaf[which ? which[k] : k];
		if (iso_check_range(r, l->ipa, l->pa, l->size, l->desc))
			return true;
	}
	return false;
}

static bool on_leaf(void *ctx, const struct s2_leaf *leaf)
{
	struct reach *r = ctx;

	return !iso_check_range(r, leaf->ipa, leaf->pa, leaf->size, leaf->desc);
}

static bool on_table(void *ctx, uint64_t table, unsigned level)
{
	return !table_frame_bad(ctx, table, level);
}

static bool scan_as(struct reach *r, uint64_t root)
{
	s2_scan_frames(root, S2_SCAN_TABLES_DEFAULT, on_leaf, on_table, r);
	return r->found;
}

static bool check_tables(const struct ref_state *s, const struct hyp_target *t, struct violation *v)
{
	struct kcore_region_view region;
	struct reach r = { .s = s, .v = v, .who = P_KSERV, .cpu = -1, .via = "KServ's stage-2" };

	t->view_region(&region);
	if (scan_as(&r, region.kserv_root))
		return true;
	r.who = P_VM;
	r.via = "the VM's stage-2";
	for (unsigned vm = 1; vm <= KCORE_MAX_VMS; vm++) {
		struct kcore_vm_brief b;
		if (!hyp_target_vm_brief(t, vm, &b) || b.state == VM_UNUSED)
			continue;
		r.id = vm;
		if (scan_as(&r, b.npt_root))
			return true;
	}
	r.who = P_SMMU;
	r.via = "the unit's table";
	for (unsigned u = 0; u < SIM_SMMU_UNITS; u++) {
		struct sim_smmu_unit unit;
		sim_smmu_unit(u, &unit);
		if (!unit.attached)
			continue;
		r.id = u;
		if (scan_as(&r, unit.root))
			return true;
	}
	return false;
}

/* The next live VM after vm holding vmid, 0 if none.  live[vm] is its
 * VMID + 1, or 0.  KCore gives live VMs distinct VMIDs, but a TLB entry
 * serves whoever runs with its tag, so with a VMID held twice an entry
 * must suit every holder. */
static unsigned next_vm_with_vmid(const uint32_t live[KCORE_MAX_VMS + 1], uint16_t vmid, unsigned vm)
{
	for (vm++; vm <= KCORE_MAX_VMS; vm++)
		if (live[vm] == (uint32_t)vmid + 1)
			return vm;
	return 0;
}

/* Check cpu's TLB entries tagged vmid as r's principal. */
static bool check_tlb_as(struct reach *r, unsigned cpu, uint16_t vmid)
{
	unsigned slots = sim_tlb_slots();

	for (unsigned i = 0; i < slots; i++) {
		struct sim_tlb_entry e;
		if (sim_tlb_slot(cpu, i, &e, NULL) && e.vmid == vmid &&
		    iso_check_range(r, e.ipa, e.pa, e.size, e.desc))
			return true;
	}
	return false;
}

/* A TLB entry: VMID 0 is KServ's, a live VM's VMID that VM's (each
 * holder's, if two hold it); other VMIDs are nobody's until KCore hands
 * them out. */
bool iso_check_tlb_entry(const struct ref_state *s, const uint32_t live[KCORE_MAX_VMS + 1], unsigned cpu,
			 const struct sim_tlb_entry *e, struct violation *v)
{
	struct reach r = { .s = s, .v = v, .who = P_KSERV, .cpu = (int)cpu, .via = "a TLB entry" };
	if (e->vmid == 0)
		return iso_check_range(&r, e->ipa, e->pa, e->size, e->desc);
	r.who = P_VM;
	for (r.id = next_vm_with_vmid(live, e->vmid, 0); r.id != 0; r.id = next_vm_with_vmid(live, e->vmid, r.id))
		if (iso_check_range(&r, e->ipa, e->pa, e->size, e->desc))
			return true;
	return false;
}

void iso_live_vmids(const struct hyp_target *t, uint32_t live[KCORE_MAX_VMS + 1])
{
	live[0] = 0;
	for (unsigned vm = 1; vm <= KCORE_MAX_VMS; vm++) {
		struct kcore_vm_brief b;
		live[vm] = hyp_target_vm_brief(t, vm, &b) && b.state != VM_UNUSED ? (uint32_t)b.vmid + 1 : 0;
	}
}

/* One pass over every slot of every CPU's TLB. */
static bool check_tlbs(const struct ref_state *s, const struct hyp_target *t, struct violation *v)
{
	uint32_t live[KCORE_MAX_VMS + 1];
	unsigned slots = sim_tlb_slots();

	iso_live_vmids(t, live);
	for (unsigned c = 0; c < s->boot.ncpus; c++)
		for (unsigned i = 0; i < slots; i++) {
			struct sim_tlb_entry e;
			if (sim_tlb_slot(c, i, &e, NULL) && iso_check_tlb_entry(s, live, c, &e, v))
				return true;
		}
	return false;
}

/* The context a CPU should have loaded for whoever the model says runs
 * there; anything else it has loaded counts as that principal's. */
bool iso_check_contexts(const struct ref_state *s, const struct hyp_target *t, struct s2_trees *trees,
			struct violation *v)
{
	struct kcore_region_view region;
	struct iso_contexts want = { 0 };

	t->view_region(&region);
	want.kserv_root = region.kserv_root;
	for (unsigned vm = 1; vm <= KCORE_MAX_VMS; vm++) {
		struct kcore_vm_brief b;
		want.known[vm] = hyp_target_vm_brief(t, vm, &b);
		want.vm_root[vm] = want.known[vm] ? b.npt_root : 0;
		want.vmid[vm] = want.known[vm] ? b.vmid : 0;
	}
	return iso_check_contexts_as(s, &want, trees, NULL, v);
}

bool iso_check_contexts_as(const struct ref_state *s, const struct iso_contexts *want, struct s2_trees *trees,
			   bool *plain, struct violation *v)
{
	bool all_wanted = true;
	for (unsigned c = 0; c < s->boot.ncpus; c++) {
		struct reach r = { .s = s, .v = v, .who = P_KSERV, .cpu = (int)c, .via = "a stale CPU context" };
		uint64_t root = want->kserv_root;
		uint16_t vmid = 0;
		struct sim_stage2 st;

		sim_cpu_stage2(c, &st);
		if (!st.enabled)
			continue;
		if (s->cpu[c].vm != 0) {
			r.who = P_VM;
			r.id = (unsigned)s->cpu[c].vm;
			if (r.id <= KCORE_MAX_VMS && want->known[r.id]) {
				root = want->vm_root[r.id];
				vmid = want->vmid[r.id];
			}
		}
		all_wanted &= st.root == root && st.vmid == vmid;
		if (st.root != root && (trees ? iso_check_tree(&r, s2_trees_get(trees, st.root), NULL, 0)
					      : scan_as(&r, st.root)))
			return true;
		if (st.vmid != vmid && check_tlb_as(&r, c, st.vmid))
			return true;
	}
	if (plain)
		*plain = all_wanted;
	return false;
}

bool isolation_check(const struct ref_state *model, const struct hyp_target *t, struct violation *v)
{
	return check_tables(model, t, v) || check_tlbs(model, t, v) || iso_check_contexts(model, t, NULL, v);
}

bool isolation_check_tlbs(const struct ref_state *model, const struct hyp_target *t, struct violation *v)
{
	return check_tlbs(model, t, v) || iso_check_contexts(model, t, NULL, v);
}
