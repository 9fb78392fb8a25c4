/* Abstraction of the target's concrete state. */
#include "abstract.h"

#include "hyp/addr.h"
#include "hyp/s2desc.h"
#include "s2scan.h"

unsigned abs_desc_perm(uint64_t desc)
{
	unsigned perm = 0;

	if ((desc & S2_AF) == 0)
		return 0;
	if (desc & S2_S2AP_R)
		perm |= REF_PERM_R;
	if (desc & S2_S2AP_W)
		perm |= REF_PERM_W;
	return perm;
}

unsigned abs_desc_mem(uint64_t desc)
{
	if (s2_is_device(desc))
		return REF_MEM_DEVICE;
	return s2_is_cacheable(desc) ? REF_MEM_NORMAL : REF_MEM_OTHER;
}

struct map_sink {
	struct ref_map_entry *e;
	unsigned *n;
	unsigned cap;
	bool *overflow;
};

static bool add_leaf(void *ctx, const struct s2_leaf *leaf)
{
	struct map_sink *sink = ctx;
	struct ref_map_entry ent = {
		.key = leaf->ipa >> PAGE_SHIFT,
		.pa = leaf->pa,
		.pages = (uint32_t)(leaf->size >> PAGE_SHIFT),
		.perm = (uint8_t)abs_desc_perm(leaf->desc),
		.mem = (uint8_t)abs_desc_mem(leaf->desc),
	};

	if (!ref_map_insert(sink->e, sink->n, sink->cap, ent)) {
		*sink->overflow = true;
		return false;
	}
	return true;
}

static void scan_into(uint64_t root, struct map_sink *sink)
{
	*sink->n = 0;
	*sink->overflow = false;
	if (s2_scan(root, S2_SCAN_TABLES_DEFAULT, add_leaf, sink) == S2_SCAN_BUDGET)
		*sink->overflow = true;
}

static void abstract_vm(struct ref_vm *out, unsigned vm, const struct hyp_target *t)
{
	struct kcore_vm_view view;
	struct map_sink sink = { out->map.e, &out->map.n, REF_VM_MAP_CAP, &out->map.overflow };

	if (!t->view_vm(vm, &view))
		return;
	out->state = view.state;
	if (view.state == VM_UNUSED)
		return;
	for (unsigned c = 0; c < KCORE_MAX_VCPUS; c++) {
		out->vcpu[c] = view.vcpu[c];
		out->vcpu_cpu[c] = view.vcpu_cpu[c];
	}
	out->boot_set = view.boot_set;
	out->boot_gfn = view.boot_gfn;
	out->boot_npages = view.boot_npages;
	for (unsigned i = 0; i < KCORE_MAX_IMAGE_PAGES; i++)
		out->image_pfn[i] = view.image_pfn[i];
	out->pool_used = view.pool_used;
	scan_into(view.npt_root, &sink);
}

static void abstract_smmu(struct ref_smmu *out, unsigned unit, const struct hyp_target *t)
{
	struct kcore_smmu_view view;
	struct map_sink sink = { out->map.e, &out->map.n, REF_SMMU_MAP_CAP, &out->map.overflow };

	if (!t->view_smmu(unit, &view))
		return;
	out->allocated = view.allocated;
	if (!view.allocated)
		return;
	out->owner = view.owner;
	out->pool_used = view.pool_used;
	scan_into(view.root, &sink);
}

bool abs_from_target(struct ref_state *out, const struct kcore_boot *boot, const struct hyp_target *t)
{
	struct kcore_region_view region;

	if (!ref_state_reset(out, boot))
		return false;
	for (uint64_t i = 0; i < boot->ram_pages; i++) {
		struct kcore_page_view pv;
		if (!t->view_page(boot->ram_base_pfn + i, &pv)) {
			out->page[i].owner = REF_OWNER_NONE;
			continue;
		}
		out->page[i] = (struct ref_page){ .gfn = pv.gfn, .owner = pv.owner, .share = pv.share, .dma = pv.dma };
	}
	for (unsigned vm = 1; vm <= KCORE_MAX_VMS; vm++)
		abstract_vm(&out->vm[vm], vm, t);
	for (unsigned u = 0; u < KCORE_SMMU_UNITS; u++)
		abstract_smmu(&out->smmu[u], u, t);
	t->view_region(&region);
	out->kserv_pool_used = region.kserv_pool_used;
	for (unsigned c = 0; c < boot->ncpus; c++) {
		struct kcore_cpu_view cv;
		if (t->view_cpu(c, &cv))
			out->cpu[c] = (struct ref_cpu){ .vm = cv.vm, .vcpu = cv.vcpu };
	}
	return true;
}
