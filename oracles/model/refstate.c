/* The abstract state: storage, reset to the boot state, and sorted maps. */
#include "refstate.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "hyp/addr.h"

/* Page numbers of 64-bit physical addresses. */
#define PFN_LIMIT (1ull << (64 - PAGE_SHIFT))

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
	return b->ncpus >= 1 && b->ncpus <= REF_MAX_CPUS;
}

bool ref_state_shape(struct ref_state *s, const struct kcore_boot *boot)
{
	if (!layout_ok(boot))
		return false;
	if (boot->ram_pages > s->page_cap) {
		struct ref_page *p = realloc(s->page, boot->ram_pages * sizeof(*p));
		if (p == NULL)
			return false;
		s->page = p;
		s->page_cap = boot->ram_pages;
	}
	s->boot = *boot;
	for (unsigned v = 0; v <= KCORE_MAX_VMS; v++) {
		s->vm[v].state = VM_UNUSED;
		for (unsigned c = 0; c < KCORE_MAX_VCPUS; c++) {
			s->vm[v].vcpu[c] = VCPU_UNUSED;
			s->vm[v].vcpu_cpu[c] = -1;
		}
		s->vm[v].boot_set = false;
		s->vm[v].boot_gfn = s->vm[v].boot_npages = 0;
		memset(s->vm[v].image_pfn, 0, sizeof(s->vm[v].image_pfn));
		s->vm[v].pool_used = 0;
		s->vm[v].map.n = 0;
		s->vm[v].map.overflow = false;
	}
	for (unsigned u = 0; u < KCORE_SMMU_UNITS; u++) {
		s->smmu[u].allocated = false;
		s->smmu[u].owner = 0;
		s->smmu[u].pool_used = 0;
		s->smmu[u].map.n = 0;
		s->smmu[u].map.overflow = false;
	}
	s->kserv_pool_used = 1; /* the root; faults fill the rest */
	for (unsigned c = 0; c < REF_MAX_CPUS; c++)
		s->cpu[c] = (struct ref_cpu){ .vm = 0, .vcpu = 0 };
	return true;
}

bool ref_state_reset(struct ref_state *s, const struct kcore_boot *boot)
{
	if (!ref_state_shape(s, boot))
		return false;
	for (uint64_t i = 0; i < boot->ram_pages; i++) {
		uint64_t pfn = boot->ram_base_pfn + i;
		s->page[i] = (struct ref_page){
			.gfn = KCORE_NO_GFN,
			.owner = ref_in_kcore_region(s, pfn) ? KCORE_OWNER_KCORE : KCORE_OWNER_KSERV,
		};
	}
	return true;
}

void ref_state_release(struct ref_state *s)
{
	free(s->page);
	s->page = NULL;
	s->page_cap = 0;
}

/* Pages: grow the array when needed, copy the used part. */
static bool copy_pages(struct ref_state *dst, const struct ref_state *src)
{
	uint64_t n = src->boot.ram_pages;

	if (n > dst->page_cap) {
		struct ref_page *p = realloc(dst->page, n * sizeof(*p));
		if (p == NULL)
			return false;
		dst->page = p;
		dst->page_cap = n;
	}
	if (n != 0)
		memcpy(dst->page, src->page, n * sizeof(*src->page));
	return true;
}

bool ref_state_copy(struct ref_state *dst, const struct ref_state *src)
{
	if (!copy_pages(dst, src))
		return false;
	dst->boot = src->boot;
	for (unsigned v = 0; v <= KCORE_MAX_VMS; v++) {
		struct ref_vm *d = &dst->vm[v];
		const struct ref_vm *s = &src->vm[v];
		memcpy(d, s, offsetof(struct ref_vm, map));
		d->map.n = s->map.n;
		d->map.overflow = s->map.overflow;
		memcpy(d->map.e, s->map.e, s->map.n * sizeof(s->map.e[0]));
	}
	for (unsigned u = 0; u < KCORE_SMMU_UNITS; u++) {
		struct ref_smmu *d = &dst->smmu[u];
		const struct ref_smmu *s = &src->smmu[u];
		memcpy(d, s, offsetof(struct ref_smmu, map));
		d->map.n = s->map.n;
		d->map.overflow = s->map.overflow;
		memcpy(d->map.e, s->map.e, s->map.n * sizeof(s->map.e[0]));
	}
	dst->kserv_pool_used = src->kserv_pool_used;
	memcpy(dst->cpu, src->cpu, sizeof(dst->cpu));
	return true;
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
	return ref_is_ram(s, pfn) ? &s->page[pfn - s->boot.ram_base_pfn] : NULL;
}

const struct ref_page *ref_page_get(const struct ref_state *s, uint64_t pfn)
{
	return ref_is_ram(s, pfn) ? &s->page[pfn - s->boot.ram_base_pfn] : NULL;
}

/* Index of the first entry whose key is >= key. */
static unsigned lower_bound(const struct ref_map_entry *e, unsigned n, uint64_t key)
{
	unsigned lo = 0, hi = n;

	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		if (e[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct ref_map_entry *ref_map_find(const struct ref_map_entry *e, unsigned n, uint64_t key)
{
	unsigned i = lower_bound(e, n, key);
	return i < n && e[i].key == key ? &e[i] : NULL;
}

const struct ref_map_entry *ref_map_covering(const struct ref_map_entry *e, unsigned n, uint64_t key)
{
	unsigned i = lower_bound(e, n, key);

	if (i < n && e[i].key == key)
		return &e[i];
	/* Otherwise only the entry before can reach over key. */
	if (i > 0 && key - e[i - 1].key < e[i - 1].pages)
		return &e[i - 1];
	return NULL;
}

bool ref_map_insert(struct ref_map_entry *e, unsigned *n, unsigned cap, struct ref_map_entry ent)
{
	unsigned i = lower_bound(e, *n, ent.key);

	if ((i < *n && e[i].key == ent.key) || *n == cap)
		return false;
	memmove(&e[i + 1], &e[i], (*n - i) * sizeof(*e));
	e[i] = ent;
	(*n)++;
	return true;
}

bool ref_map_remove(struct ref_map_entry *e, unsigned *n, uint64_t key)
{
	unsigned i = lower_bound(e, *n, key);

	if (i == *n || e[i].key != key)
		return false;
	memmove(&e[i], &e[i + 1], (*n - i - 1) * sizeof(*e));
	(*n)--;
	return true;
}
