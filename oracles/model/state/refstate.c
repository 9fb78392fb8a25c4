/* The abstract state: storage, and reset to the boot state. */
#include "model/state/refstate.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "hyp/addr.h"

/* Page numbers of 64-bit physical addresses. */
#define PFN_LIMIT (1ull << (64 - PAGE_SHIFT))

/* Page i may have moved: the logs of its followers hear of it. */
static void log_moved(struct ref_state *s, uint64_t i)
{
	page_log_add(&s->recent, i);
	page_log_add(&s->unchecked, i);
}

/* One sequence for every state in the process: a generation names one
 * set of values wherever it is found. */
uint64_t ref_gen_fresh(void)
{
	static uint64_t last;
	return ++last;
}

/* A layout the state can represent: RAM non-empty and bounded, KCore's
 * region inside it, MMIO outside it, and pfn 0 not RAM (image slots use 0
 * for "empty", as the view does). */
static bool layout_ok(const struct kcore_boot *b)
{
	uint64_t ram_end = b->ram_base_pfn + b->ram_pages;
	uint64_t mmio_end = b->mmio_base_pfn + b->mmio_pages;

	if (b->ram_pages == 0 || b->ram_pages > KCORE_MAX_RAM_PAGES || b->ram_base_pfn == 0)
		return false;
	if (b->ram_base_pfn > PFN_LIMIT - b->ram_pages)
		return false;
	if (b->kcore_pages == 0 || b->kcore_base_pfn < b->ram_base_pfn ||
	    b->kcore_pages > ram_end - b->kcore_base_pfn)
		return false;
	if (b->mmio_pages > PFN_LIMIT || b->mmio_base_pfn > PFN_LIMIT - b->mmio_pages)
		return false;
	if (b->mmio_pages != 0 && b->mmio_base_pfn < ram_end && mmio_end > b->ram_base_pfn)
		return false;
	if (!kcore_caps_valid(&b->caps))
		return false;
	return b->ncpus >= 1 && b->ncpus <= REF_MAX_CPUS;
}

/* The layout fields the boot state of the pages depends on. */
static bool same_pages_layout(const struct kcore_boot *a, const struct kcore_boot *b)
{
	return a->ram_base_pfn == b->ram_base_pfn && a->ram_pages == b->ram_pages &&
	       a->kcore_base_pfn == b->kcore_base_pfn && a->kcore_pages == b->kcore_pages;
}

/* Page array and change log for boot; pages of a new layout are unknown. */
static bool size_pages(struct ref_state *s, const struct kcore_boot *boot)
{
	bool known = s->page != NULL && same_pages_layout(&s->boot, boot);

	if (boot->ram_pages > s->page_cap) {
		struct ref_page *p = realloc(s->page, boot->ram_pages * sizeof(*p));
		if (p == NULL)
			return false;
		s->page = p;
		s->page_cap = boot->ram_pages;
	}
	if (!page_log_size(&s->changed, boot->ram_pages) || !page_log_size(&s->recent, boot->ram_pages) ||
	    !page_log_size(&s->unchecked, boot->ram_pages))
		return false;
	if (!known) {
		page_log_set_all(&s->changed);
		page_log_set_all(&s->recent);
		page_log_set_all(&s->unchecked);
	}
	return true;
}

static struct ref_page boot_page(const struct ref_state *s, uint64_t i)
{
	uint64_t pfn = s->boot.ram_base_pfn + i;

	return (struct ref_page){
		.gfn = KCORE_NO_GFN,
		.owner = ref_in_kcore_region(s, pfn) ? KCORE_OWNER_KCORE : KCORE_OWNER_KSERV,
	};
}

/* A reset or copy writes only what differs: a part already holding its
 * value is only read, and reading leaves a page a forked process shares
 * with its parent uncopied.  Each part's generation then still names its
 * values, so it stands (0, no generation, is replaced). */
#define SET_IF_DIFFERS(lhs, value) do { if ((lhs) != (value)) (lhs) = (value); } while (0)

static void copy_if_differs(void *dst, const void *src, size_t n)
{
	if (n != 0 && memcmp(dst, src, n) != 0)
		memcpy(dst, src, n);
}

static bool vm_fields_boot(const struct ref_vm *v)
{
	if (v->gen == 0 || v->state != VM_UNUSED || v->boot_set || v->boot_gfn != 0 || v->boot_npages != 0 ||
	    v->pool_used != 0)
		return false;
	for (unsigned c = 0; c < KCORE_MAX_VCPUS; c++)
		if (v->vcpu[c] != VCPU_UNUSED || v->vcpu_cpu[c] != -1)
			return false;
	for (unsigned i = 0; i < KCORE_MAX_IMAGE_PAGES; i++)
		if (v->image_pfn[i] != 0)
			return false;
	return true;
}

static void reset_vm(struct ref_vm *v)
{
	if (!vm_fields_boot(v)) {
		v->state = VM_UNUSED;
		for (unsigned c = 0; c < KCORE_MAX_VCPUS; c++) {
			v->vcpu[c] = VCPU_UNUSED;
			v->vcpu_cpu[c] = -1;
		}
		v->boot_set = false;
		v->boot_gfn = v->boot_npages = 0;
		memset(v->image_pfn, 0, sizeof(v->image_pfn));
		v->pool_used = 0;
		ref_vm_moved(v);
	}
	if (v->map.gen == 0 || v->map.n != 0 || v->map.overflow) {
		v->map.n = 0;
		v->map.overflow = false;
		ref_vm_map_moved(v);
	}
}

static void reset_smmu(struct ref_smmu *u)
{
	if (u->gen == 0 || u->allocated || u->owner != 0 || u->pool_used != 0) {
		u->allocated = false;
		u->owner = 0;
		u->pool_used = 0;
		ref_smmu_moved(u);
	}
	if (u->map.gen == 0 || u->map.n != 0 || u->map.overflow) {
		u->map.n = 0;
		u->map.overflow = false;
		ref_smmu_map_moved(u);
	}
}

static bool shape(struct ref_state *s, const struct kcore_boot *boot)
{
	if (!layout_ok(boot) || !size_pages(s, boot))
		return false;
	copy_if_differs(&s->boot, boot, sizeof(*boot));
	for (unsigned v = 0; v <= KCORE_MAX_VMS; v++)
		reset_vm(&s->vm[v]);
	for (unsigned u = 0; u < KCORE_SMMU_UNITS; u++)
		reset_smmu(&s->smmu[u]);
	SET_IF_DIFFERS(s->kserv_pool_used, 1); /* the root; faults fill the rest */
	if (s->kserv != NULL) {
		SET_IF_DIFFERS(s->kserv->n, 0); /* not the whole map: it is large */
		SET_IF_DIFFERS(s->kserv->overflow, false);
	}
	for (unsigned c = 0; c < REF_MAX_CPUS; c++) {
		SET_IF_DIFFERS(s->cpu[c].vm, 0);
		SET_IF_DIFFERS(s->cpu[c].vcpu, 0);
	}
	return true;
}

bool ref_state_shape(struct ref_state *s, const struct kcore_boot *boot, bool fills_all)
{
	if (!shape(s, boot))
		return false;
	if (fills_all)
		page_log_set_all(&s->changed);
	return true;
}

bool ref_state_reset(struct ref_state *s, const struct kcore_boot *boot)
{
	if (!shape(s, boot))
		return false;
	if (s->changed.all)
		for (uint64_t i = 0; i < boot->ram_pages; i++)
			s->page[i] = boot_page(s, i);
	else
		for (unsigned j = 0; j < s->changed.n; j++) {
			s->page[s->changed.idx[j]] = boot_page(s, s->changed.idx[j]);
			log_moved(s, s->changed.idx[j]);
		}
	if (s->changed.all) {
		page_log_set_all(&s->recent);
		page_log_set_all(&s->unchecked);
	}
	page_log_clear(&s->changed);
	return true;
}

void ref_state_release(struct ref_state *s)
{
	free(s->page);
	s->page = NULL;
	s->page_cap = 0;
	page_log_release(&s->changed);
	page_log_release(&s->recent);
	page_log_release(&s->unchecked);
	free(s->kserv);
	s->kserv = NULL;
}

static const uint32_t *take(struct page_log *l, unsigned *n)
{
	*n = 0;
	if (l->mark == NULL)
		return NULL;
	if (l->all) {
		page_log_clear(l);
		return NULL;
	}
	*n = l->n;
	const uint32_t *idx = l->idx;
	/* forget the marks but keep the entries readable until the next add */
	for (unsigned j = 0; j < l->n; j++)
		l->mark[l->idx[j]] = 0;
	l->n = 0;
	return idx;
}

const uint32_t *ref_state_take_recent(struct ref_state *s, unsigned *n)
{
	return take(&s->recent, n);
}

const uint32_t *ref_state_take_unchecked(struct ref_state *s, unsigned *n)
{
	return take(&s->unchecked, n);
}

const uint32_t *ref_state_changed(const struct ref_state *s, unsigned *n)
{
	*n = s->changed.n;
	return s->changed.all ? NULL : s->changed.idx;
}

/* dst's pages become src's: between states of one layout whose logs are
 * both short, only the pages either changed (a page only dst changed
 * takes src's, which is its boot state). */
static bool copy_pages(struct ref_state *dst, const struct ref_state *src)
{
	uint64_t n = src->boot.ram_pages;
	bool sparse = dst->page != NULL && same_pages_layout(&dst->boot, &src->boot) &&
		      !dst->changed.all && !src->changed.all && dst->changed.npages == n;

	if (!sparse) {
		if (!size_pages(dst, &src->boot))
			return false;
		if (n != 0)
			memcpy(dst->page, src->page, n * sizeof(*src->page));
		page_log_copy(&dst->changed, &src->changed);
		page_log_set_all(&dst->recent);
		page_log_set_all(&dst->unchecked);
		return true;
	}
	for (unsigned j = 0; j < dst->changed.n; j++) {
		dst->page[dst->changed.idx[j]] = src->page[dst->changed.idx[j]];
		log_moved(dst, dst->changed.idx[j]);
	}
	for (unsigned j = 0; j < src->changed.n; j++) {
		dst->page[src->changed.idx[j]] = src->page[src->changed.idx[j]];
		log_moved(dst, src->changed.idx[j]);
	}
	page_log_copy(&dst->changed, &src->changed);
	return true;
}

static bool copy_kserv_map(struct ref_state *dst, const struct ref_state *src)
{
	if (src->kserv == NULL) {
		if (dst->kserv != NULL) {
			SET_IF_DIFFERS(dst->kserv->n, 0);
			SET_IF_DIFFERS(dst->kserv->overflow, false);
		}
		return true;
	}
	if (dst->kserv == NULL && (dst->kserv = malloc(sizeof(*dst->kserv))) == NULL)
		return false;
	dst->kserv->n = src->kserv->n;
	dst->kserv->overflow = src->kserv->overflow;
	dst->kserv->from_tree = 0;
	memcpy(dst->kserv->e, src->kserv->e, src->kserv->n * sizeof(src->kserv->e[0]));
	return true;
}

/* The head of a VM or unit, then the entries of its map in use. */
#define COPY_PART(d, s, type)                                                        \
	do {                                                                         \
		copy_if_differs((d), (s), offsetof(type, map));                      \
		SET_IF_DIFFERS((d)->map.n, (s)->map.n);                              \
		SET_IF_DIFFERS((d)->map.overflow, (s)->map.overflow);                \
		copy_if_differs((d)->map.e, (s)->map.e, (s)->map.n * sizeof((s)->map.e[0])); \
		SET_IF_DIFFERS((d)->map.from_tree, 0);                               \
		SET_IF_DIFFERS((d)->map.gen, (s)->map.gen);                          \
	} while (0)

bool ref_state_copy(struct ref_state *dst, const struct ref_state *src)
{
	if (!copy_pages(dst, src))
		return false;
	copy_if_differs(&dst->boot, &src->boot, sizeof(src->boot));
	for (unsigned v = 0; v <= KCORE_MAX_VMS; v++)
		COPY_PART(&dst->vm[v], &src->vm[v], struct ref_vm);
	for (unsigned u = 0; u < KCORE_SMMU_UNITS; u++)
		COPY_PART(&dst->smmu[u], &src->smmu[u], struct ref_smmu);
	SET_IF_DIFFERS(dst->kserv_pool_used, src->kserv_pool_used);
	copy_if_differs(dst->cpu, src->cpu, sizeof(dst->cpu));
	return copy_kserv_map(dst, src);
}

bool ref_is_ram(const struct ref_state *s, uint64_t pfn)
{
	return pfn >= s->boot.ram_base_pfn && pfn - s->boot.ram_base_pfn < s->boot.ram_pages;
}

bool ref_is_mmio(const struct ref_state *s, uint64_t pfn)
{
	return pfn >= s->boot.mmio_base_pfn && pfn - s->boot.mmio_base_pfn < s->boot.mmio_pages;
}

bool ref_in_kcore_region(const struct ref_state *s, uint64_t pfn)
{
	return pfn >= s->boot.kcore_base_pfn && pfn - s->boot.kcore_base_pfn < s->boot.kcore_pages;
}

struct ref_page *ref_page_of(struct ref_state *s, uint64_t pfn)
{
	if (!ref_is_ram(s, pfn))
		return NULL;
	page_log_add(&s->changed, pfn - s->boot.ram_base_pfn);
	log_moved(s, pfn - s->boot.ram_base_pfn);
	return &s->page[pfn - s->boot.ram_base_pfn];
}

const struct ref_page *ref_page_get(const struct ref_state *s, uint64_t pfn)
{
	return ref_is_ram(s, pfn) ? &s->page[pfn - s->boot.ram_base_pfn] : NULL;
}
