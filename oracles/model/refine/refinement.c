/* Refinement: return codes and abstract states, first difference wins. */
#include "model/refine/refinement.h"

#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#include "hyp/addr.h"
#include "hyp/kcore.h"
#include "model/state/ref_attr.h"

static void report(struct violation *v, enum violation_kind kind, int vm, uint64_t page,
		   uint64_t expected, uint64_t actual, const char *fmt, ...)
{
	va_list ap;

	violation_init(v, kind);
	v->vm = vm;
	v->page = page;
	v->expected = expected;
	v->actual = actual;
	va_start(ap, fmt);
	vsnprintf(v->detail, sizeof(v->detail), fmt, ap);
	va_end(ap);
}

static void ret_name(char *buf, size_t len, int64_t ret)
{
	if (ret >= 0)
		snprintf(buf, len, "0x%" PRIx64, (uint64_t)ret);
	else
		snprintf(buf, len, "%s", kcore_err_name(ret));
}

bool refine_check_ret(const char *what, int64_t model_ret, int64_t target_ret, struct violation *v)
{
	char want[24], got[24];

	if (model_ret == target_ret)
		return false;
	ret_name(want, sizeof(want), model_ret);
	ret_name(got, sizeof(got), target_ret);
	report(v, V_RET_MISMATCH, 0, VIOLATION_NO_PAGE, (uint64_t)model_ret, (uint64_t)target_ret,
	       "%s returned %s, model %s", what, got, want);
	return true;
}

static const char *owner_name(uint32_t owner, char *buf, size_t len)
{
	if (owner == KCORE_OWNER_KSERV)
		return "KServ";
	if (owner == KCORE_OWNER_KCORE)
		return "KCore";
	if (owner == REF_OWNER_NONE)
		return "no entry";
	snprintf(buf, len, "VM %" PRIu32, owner);
	return buf;
}

/* The VM a page belongs to, 0 for KServ, KCore or none. */
static int vm_of(uint32_t owner)
{
	return owner >= 1 && owner <= KCORE_MAX_VMS ? (int)owner : 0;
}

static bool diff_page(const struct ref_state *m, const struct ref_state *k, uint64_t i, struct violation *v)
{
	const struct ref_page *a = &m->page[i], *b = &k->page[i];
	uint64_t pfn = m->boot.ram_base_pfn + i;
	char x[16], y[16];

	if (a->owner != b->owner) {
		report(v, V_STATE_MISMATCH, vm_of(a->owner != KCORE_OWNER_KSERV ? a->owner : b->owner), pfn, a->owner, b->owner,
		       "page 0x%" PRIx64 " owner: target %s, model %s", pfn,
		       owner_name(b->owner, y, sizeof(y)), owner_name(a->owner, x, sizeof(x)));
		return true;
	}
	if (a->share != b->share || a->dma != b->dma || a->gfn != b->gfn) {
		const char *field = a->share != b->share ? "grant count" : a->dma != b->dma ? "dma count" : "gfn";
		uint64_t want = a->share != b->share ? a->share : a->dma != b->dma ? a->dma : a->gfn;
		uint64_t got = a->share != b->share ? b->share : a->dma != b->dma ? b->dma : b->gfn;
		report(v, V_STATE_MISMATCH, vm_of(a->owner), pfn, want, got,
		       "page 0x%" PRIx64 " (%s) %s: target 0x%" PRIx64 ", model 0x%" PRIx64, pfn,
		       owner_name(a->owner, x, sizeof(x)), field, got, want);
		return true;
	}
	return false;
}

static void entry_text(const struct ref_map_entry *e, char *buf, size_t len)
{
	char perm[4];

	if (e == NULL) {
		snprintf(buf, len, "unmapped");
		return;
	}
	snprintf(buf, len, "pa 0x%" PRIx64 "%s %s %s", e->pa, e->pages > 1 ? " block" : "",
		 ref_mem_name(e->mem), ref_perm_text(e->perm, perm));
}

static bool entries_equal(const struct ref_map_entry *a, const struct ref_map_entry *b)
{
	return a->key == b->key && a->pa == b->pa && a->pages == b->pages && a->perm == b->perm &&
	       a->mem == b->mem;
}

/* The keys of a map, for people: "VM 2 gfn", "SMMU 1 iova page".  Kept
 * in parts and put together only for a report: checks run after every
 * call, reports almost never. */
struct map_label {
	const char *space; /* "VM", "SMMU" */
	unsigned id;
	const char *key;   /* "gfn", "iova page" */
};

/* Merge the two sorted maps; report the lowest key where they differ. */
static bool diff_map(const struct ref_map_entry *a, unsigned na, const struct ref_map_entry *b, unsigned nb,
		     int vm, struct map_label label, struct violation *v)
{
	unsigned i = 0, j = 0;

	while (i < na || j < nb) {
		const struct ref_map_entry *ea = i < na ? &a[i] : NULL, *eb = j < nb ? &b[j] : NULL;
		char want[64], got[64];
		uint64_t key;

		if (ea != NULL && eb != NULL && entries_equal(ea, eb)) {
			i++, j++;
			continue;
		}
		/* With different keys, only the lower one is known to differ. */
		if (ea != NULL && eb != NULL && ea->key != eb->key) {
			if (ea->key < eb->key)
				eb = NULL;
			else
				ea = NULL;
		}
		key = ea != NULL ? ea->key : eb->key;
		entry_text(ea, want, sizeof(want));
		entry_text(eb, got, sizeof(got));
		report(v, V_STATE_MISMATCH, vm, key, ea != NULL ? ea->pa : UINT64_MAX, eb != NULL ? eb->pa : UINT64_MAX,
		       "%s %u %s 0x%" PRIx64 ": target %s, model %s", label.space, label.id, label.key, key, got,
		       want);
		return true;
	}
	return false;
}

static bool diff_field(struct violation *v, unsigned vm, const char *name, uint64_t want, uint64_t got)
{
	if (want == got)
		return false;
	report(v, V_STATE_MISMATCH, (int)vm, VIOLATION_NO_PAGE, want, got,
	       "VM %u %s: target 0x%" PRIx64 ", model 0x%" PRIx64, vm, name, got, want);
	return true;
}

static bool diff_vcpus(const struct ref_vm *a, const struct ref_vm *b, unsigned vm, struct violation *v)
{
	char name[32];

	for (unsigned c = 0; c < KCORE_MAX_VCPUS; c++) {
		if (a->vcpu[c] == b->vcpu[c] && a->vcpu_cpu[c] == b->vcpu_cpu[c])
			continue;
		snprintf(name, sizeof(name), "vcpu %u state", c);
		if (diff_field(v, vm, name, a->vcpu[c], b->vcpu[c]))
			return true;
		snprintf(name, sizeof(name), "vcpu %u cpu", c);
		if (diff_field(v, vm, name, (uint64_t)(int64_t)a->vcpu_cpu[c], (uint64_t)(int64_t)b->vcpu_cpu[c]))
			return true;
	}
	return false;
}

/* A VM's fields; its map is looked at only if they pass and it is in use. */
static bool diff_vm_fields(const struct ref_vm *a, const struct ref_vm *b, unsigned vm, struct violation *v)
{
	char label[32];

	if (diff_field(v, vm, "state", a->state, b->state))
		return true;
	if (a->state == VM_UNUSED)
		return false;
	if (diff_vcpus(a, b, vm, v) ||
	    diff_field(v, vm, "boot info set", a->boot_set, b->boot_set) ||
	    diff_field(v, vm, "boot gfn", a->boot_gfn, b->boot_gfn) ||
	    diff_field(v, vm, "boot pages", a->boot_npages, b->boot_npages))
		return true;
	for (unsigned i = 0; i < KCORE_MAX_IMAGE_PAGES; i++) {
		if (a->image_pfn[i] == b->image_pfn[i])
			continue;
		snprintf(label, sizeof(label), "image slot %u pfn", i);
		return diff_field(v, vm, label, a->image_pfn[i], b->image_pfn[i]);
	}
	return diff_field(v, vm, "pool pages used", a->pool_used, b->pool_used);
}

static bool diff_vm_map(const struct ref_vm *a, const struct ref_vm *b, unsigned vm, struct violation *v)
{
	if (diff_field(v, vm, "stage-2 leaves beyond any pool", a->map.overflow, b->map.overflow))
		return true;
	return diff_map(a->map.e, a->map.n, b->map.e, b->map.n, (int)vm,
			(struct map_label){ "VM", vm, "gfn" }, v);
}

static bool diff_vm(const struct ref_vm *a, const struct ref_vm *b, unsigned vm, struct violation *v)
{
	if (diff_vm_fields(a, b, vm, v))
		return true;
	return a->state != VM_UNUSED && diff_vm_map(a, b, vm, v);
}

static bool diff_smmu_fields(const struct ref_smmu *a, const struct ref_smmu *b, unsigned u, struct violation *v)
{
	const char *field = NULL;
	uint64_t want = 0, got = 0;

	if (a->allocated != b->allocated)
		field = "allocated", want = a->allocated, got = b->allocated;
	else if (!a->allocated)
		return false;
	else if (a->owner != b->owner)
		field = "owner", want = a->owner, got = b->owner;
	else if (a->pool_used != b->pool_used)
		field = "pool pages used", want = a->pool_used, got = b->pool_used;
	if (field == NULL)
		return false;
	report(v, V_STATE_MISMATCH, (int)a->owner, VIOLATION_NO_PAGE, want, got,
	       "SMMU %u %s: target 0x%" PRIx64 ", model 0x%" PRIx64, u, field, got, want);
	return true;
}

static bool diff_smmu_map(const struct ref_smmu *a, const struct ref_smmu *b, unsigned u, struct violation *v)
{
	if (b->map.overflow) {
		report(v, V_STATE_MISMATCH, (int)a->owner, VIOLATION_NO_PAGE, 0, 1,
		       "SMMU %u %s: target 0x%" PRIx64 ", model 0x%" PRIx64, u, "table leaves beyond any pool",
		       (uint64_t)1, (uint64_t)0);
		return true;
	}
	return diff_map(a->map.e, a->map.n, b->map.e, b->map.n, (int)a->owner,
			(struct map_label){ "SMMU", u, "iova page" }, v);
}

static bool diff_smmu(const struct ref_smmu *a, const struct ref_smmu *b, unsigned u, struct violation *v)
{
	if (diff_smmu_fields(a, b, u, v))
		return true;
	return a->allocated && diff_smmu_map(a, b, u, v);
}

static bool diff_cpu(const struct ref_cpu *a, const struct ref_cpu *b, unsigned c, struct violation *v)
{
	if (a->vm == b->vm && (a->vm == 0 || a->vcpu == b->vcpu))
		return false;
	report(v, V_STATE_MISMATCH, a->vm, VIOLATION_NO_PAGE, (uint64_t)a->vm, (uint64_t)b->vm,
	       "CPU %u runs: target VM %d vcpu %d, model VM %d vcpu %d (VM 0: host)", c, b->vm, b->vcpu, a->vm, a->vcpu);
	v->cpu = (int)c;
	return true;
}

/* KServ's pool and the CPUs: a few numbers, compared every time. */
static bool diff_kserv_and_cpus(const struct ref_state *m, const struct ref_state *k, struct violation *v)
{
	if (m->kserv_pool_used != k->kserv_pool_used) {
		report(v, V_STATE_MISMATCH, 0, VIOLATION_NO_PAGE, m->kserv_pool_used, k->kserv_pool_used,
		       "KServ pool pages used: target %" PRIu64 ", model %" PRIu64, k->kserv_pool_used, m->kserv_pool_used);
		return true;
	}
	for (unsigned c = 0; c < m->boot.ncpus; c++)
		if (diff_cpu(&m->cpu[c], &k->cpu[c], c, v))
			return true;
	return false;
}

/* Everything but the pages and KServ's map. */
static bool diff_rest(const struct ref_state *m, const struct ref_state *k, struct violation *v)
{
	for (unsigned vm = 1; vm <= KCORE_MAX_VMS; vm++)
		if (diff_vm(&m->vm[vm], &k->vm[vm], vm, v))
			return true;
	for (unsigned u = 0; u < KCORE_SMMU_UNITS; u++)
		if (diff_smmu(&m->smmu[u], &k->smmu[u], u, v))
			return true;
	return diff_kserv_and_cpus(m, k, v);
}

/* Whether the two sides, named by their generations, were found equal
 * last time this part was compared. */
static bool agreed(const struct refine_agreed *last, uint64_t model, uint64_t target)
{
	return model != 0 && target != 0 && last->model == model && last->target == target;
}

/* diff_vm, skipping a part whose two sides were found equal before. */
static bool diff_vm_since(struct refine_memo *memo, const struct ref_vm *a, const struct ref_vm *b, unsigned vm,
			  struct violation *v)
{
	if (!agreed(&memo->vm[vm], a->gen, b->gen)) {
		if (diff_vm_fields(a, b, vm, v))
			return true;
		memo->vm[vm] = (struct refine_agreed){ a->gen, b->gen };
	}
	if (a->state == VM_UNUSED || agreed(&memo->vm_map[vm], a->map.gen, b->map.from_tree))
		return false;
	if (diff_vm_map(a, b, vm, v))
		return true;
	memo->vm_map[vm] = (struct refine_agreed){ a->map.gen, b->map.from_tree };
	return false;
}

static bool diff_smmu_since(struct refine_memo *memo, const struct ref_smmu *a, const struct ref_smmu *b,
			    unsigned u, struct violation *v)
{
	if (!agreed(&memo->smmu[u], a->gen, b->gen)) {
		if (diff_smmu_fields(a, b, u, v))
			return true;
		memo->smmu[u] = (struct refine_agreed){ a->gen, b->gen };
	}
	if (!a->allocated || agreed(&memo->smmu_map[u], a->map.gen, b->map.from_tree))
		return false;
	if (diff_smmu_map(a, b, u, v))
		return true;
	memo->smmu_map[u] = (struct refine_agreed){ a->map.gen, b->map.from_tree };
	return false;
}

static bool diff_rest_since(struct refine_memo *memo, const struct ref_state *m, const struct ref_state *k,
			    struct violation *v)
{
	for (unsigned vm = 1; vm <= KCORE_MAX_VMS; vm++)
		if (diff_vm_since(memo, &m->vm[vm], &k->vm[vm], vm, v))
			return true;
	for (unsigned u = 0; u < KCORE_SMMU_UNITS; u++)
		if (diff_smmu_since(memo, &m->smmu[u], &k->smmu[u], u, v))
			return true;
	return diff_kserv_and_cpus(m, k, v);
}

void refine_memo_release(struct refine_memo *memo)
{
	refine_kserv_memo_release(&memo->kserv);
	memset(memo, 0, sizeof(*memo));
}

void refine_memo_forget(struct refine_memo *memo)
{
	struct refine_kserv_memo kserv = memo->kserv;
	memset(memo, 0, sizeof(*memo));
	memo->kserv = kserv;
	refine_kserv_memo_forget(&memo->kserv);
}

bool refine_check_state(const struct ref_state *m, const struct ref_state *k, struct violation *v)
{
	for (uint64_t i = 0; i < m->boot.ram_pages; i++)
		if (diff_page(m, k, i, v))
			return true;
	return refine_check_kserv_map(m, k, v) || diff_rest(m, k, v);
}

bool refine_check_state_pages(const struct ref_state *m, const struct ref_state *k, const uint32_t *idx,
			      unsigned n, struct violation *v)
{
	for (unsigned j = 0; j < n; j++)
		if (diff_page(m, k, idx[j], v))
			return true;
	return refine_check_kserv_map(m, k, v) || diff_rest(m, k, v);
}

bool refine_check_state_since(struct refine_memo *memo, struct ref_state *m, const struct ref_state *k,
			      const uint32_t *idx, unsigned n, struct violation *v)
{
	unsigned nmoved;
	const uint32_t *moved = ref_state_take_unchecked(m, &nmoved);
	for (unsigned j = 0; j < n; j++)
		if (diff_page(m, k, idx[j], v))
			return true;
	return refine_check_kserv_since(&memo->kserv, m, k, moved, nmoved, v) || diff_rest_since(memo, m, k, v);
}
