/* The cache check's owner tracking (see check_transfers.h). */
#include "exec/checks/track/check_transfers.h"

#include <stdlib.h>
#include <string.h>

#include "hyp/addr.h"
#include "sim/machine.h"

bool transfers_setup(struct transfers *x, uint64_t ram_pages)
{
	x->ram_pages = ram_pages;
	x->owner = calloc(ram_pages ? ram_pages : 1, sizeof(*x->owner));
	return x->owner && page_log_size(&x->changed, ram_pages);
}

void transfers_release(struct transfers *x)
{
	free(x->owner);
	page_log_release(&x->changed);
	memset(x, 0, sizeof(*x));
}

/* Only the pages whose entry changed, unless too many did. */
void transfers_reset(struct transfers *x, const struct ref_state *model)
{
	const struct page_log *l = &x->changed;

	if (l->all)
		for (uint64_t i = 0; i < x->ram_pages; i++)
			x->owner[i] = model->page[i].owner;
	else
		for (unsigned j = 0; j < l->n; j++)
			x->owner[l->idx[j]] = model->page[l->idx[j]].owner;
	page_log_clear(&x->changed);
	writes_clear(&x->writes);
}

/* A successful write by a CPU (vmid 0 is KServ) or a device. */
void transfers_note_write(struct transfers *x, const struct hyp_target *t, const struct sim_event *ev)
{
	if (!(ev->d & SIM_ACC_WRITE) || (ev->d >> 8) != SIM_OK || ev->c == ~0ull)
		return;
	bool kserv = ev->a == 0;
	if (ev->kind == EV_DMA_ACCESS) {
		struct kcore_smmu_view u;
		kserv = t->view_smmu((unsigned)ev->a, &u) && u.allocated && u.owner == 0;
	}
	struct page_writes *e = writes_slot(&x->writes, ev->c >> PAGE_SHIFT);
	if (!e)
		return;
	uint64_t bit = 1ull << ((ev->c & PAGE_MASK) / CACHE_LINE_SIZE);
	if (kserv)
		e->kserv_lines |= bit;
	else
		e->vm_lines |= bit;
}

/* judge: no violation yet (after one, owners are still brought up to
 * date). */
static bool check_page(struct transfers *x, const struct ref_state *model, struct hw_oracles *hw, uint64_t i,
		       bool judge)
{
	uint32_t now = model->page[i].owner;
	if (now == x->owner[i])
		return false;
	uint64_t pfn = model->boot.ram_base_pfn + i, skip = 0;
	const struct page_writes *e = x->writes.n ? writes_find(&x->writes, pfn) : NULL;
	if (e)
		skip = now == KCORE_OWNER_KSERV ? e->kserv_lines : e->vm_lines;
	bool bad = judge && !x->writes.overflow && hw_oracles_check_transfer_skip(hw, pfn, x->owner[i], now, skip);
	x->owner[i] = now;
	page_log_add(&x->changed, i);
	return bad;
}

bool transfers_check(struct transfers *x, const struct page_log *dirty, const struct ref_state *model,
		     struct hw_oracles *hw)
{
	bool bad = false;
	if (dirty->all)
		for (uint64_t i = 0; i < x->ram_pages; i++)
			bad |= check_page(x, model, hw, i, !bad);
	else
		for (unsigned j = 0; j < dirty->n; j++)
			bad |= check_page(x, model, hw, dirty->idx[j], !bad);
	return bad;
}
