/* The model's side of an incremental isolation check
 * (isolation_watch_state.h): which pages, grants and statuses moved. */
#include "model/isolation/isolation_watch_state.h"

#include <stdlib.h>
#include <string.h>

/* The model's page entries against page[]: which pfns moved. */
static bool same_page(const struct ref_page *a, const struct ref_page *b)
{
	return a->owner == b->owner && a->share == b->share && a->gfn == b->gfn && a->dma == b->dma;
}

static void note_page(struct isolation_watch *w, const struct ref_state *m, uint64_t i)
{
	if (same_page(&w->page[i], &m->page[i]))
		return;
	w->page[i] = m->page[i];
	page_log_add(&w->differs, i);
	if (w->ntouched == WATCH_TOUCHED_MAX)
		w->all_touched = true;
	else
		w->touched[w->ntouched++] = m->boot.ram_base_pfn + i;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* page[] as model's pages, whole. */
static bool pages_sync_all(struct isolation_watch *w, const struct ref_state *m)
{
	if (w->npages != m->boot.ram_pages || !w->page) {
		free(w->page);
		w->page = malloc((m->boot.ram_pages ? m->boot.ram_pages : 1) * sizeof(*w->page));
		w->npages = w->page ? m->boot.ram_pages : 0;
		if (!w->page || !page_log_size(&w->differs, m->boot.ram_pages))
			return w->pages_ready = false;
	}
	memcpy(w->page, m->page, m->boot.ram_pages * sizeof(*w->page));
	page_log_clear(&w->differs);
	return w->pages_ready = true;
}

/* Fills touched[] with the pages whose model entry moved since the last
 * check; false when everything must be checked. */
bool watch_model_delta(struct isolation_watch *w, struct ref_state *m)
{
	unsigned n;
	const uint32_t *idx = ref_state_take_recent(m, &n);

	w->ntouched = 0;
	w->all_touched = false;
	if (!w->pages_ready || w->npages != m->boot.ram_pages || idx == NULL || w->differs.all) {
		pages_sync_all(w, m);
		return false;
	}
	for (unsigned j = 0; j < n; j++)
		note_page(w, m, idx[j]);
	if (w->all_touched || w->differs.all)
		return false;
	if (w->ntouched) /* touched may be unallocated; qsort takes no NULL */
		qsort(w->touched, w->ntouched, sizeof(w->touched[0]), cmp_u64);
	return true;
}

void isolation_watch_reset(struct isolation_watch *w, struct ref_state *model)
{
	unsigned n;
	ref_state_take_recent(model, &n); /* the reset itself: page[] follows below */
	w->primed = false;
	if (!w->pages_ready || w->npages != model->boot.ram_pages || w->differs.all) {
		pages_sync_all(w, model);
		return;
	}
	for (unsigned j = 0; j < w->differs.n; j++)
		w->page[w->differs.idx[j]] = model->page[w->differs.idx[j]];
	page_log_clear(&w->differs);
}

/* The model's MMIO grants may have moved: a VM's map changed size or the
 * VM its state (its map only grows while it lives). */
bool watch_mmio_delta(struct isolation_watch *w, const struct ref_state *m)
{
	bool moved = false;
	for (unsigned vm = 1; vm <= KCORE_MAX_VMS; vm++) {
		uint64_t sig = (uint64_t)m->vm[vm].state << 32 | m->vm[vm].map.n;
		moved |= sig != w->mmio_sig[vm];
		w->mmio_sig[vm] = sig;
	}
	return moved;
}

uint32_t watch_unit_status(const struct ref_state *m, unsigned u)
{
	if (u >= KCORE_SMMU_UNITS)
		return 0;
	return (uint32_t)m->smmu[u].allocated << 20 | m->smmu[u].owner;
}

/* Whether a unit's status in the model moved since the last look. */
bool watch_units_delta(struct isolation_watch *w, const struct ref_state *m)
{
	bool moved = false;
	for (unsigned u = 0; u < SIM_SMMU_UNITS; u++) {
		uint32_t sig = watch_unit_status(m, u);
		moved |= sig != w->unit_sig[u];
		w->unit_sig[u] = sig;
	}
	return moved;
}
