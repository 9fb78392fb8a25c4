/* The TLB discipline oracle's interface: events in, violations out. */
#include "hw/tlb/tlb_discipline.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "hw/tlb/tlb_oracle_priv.h"
#include "hyp/addr.h"

struct tlb_oracle *tlb_oracle_create(void)
{
	struct tlb_oracle *o = calloc(1, sizeof(*o));

	if (!o)
		return NULL;
	if (tlb_store_init(&o->store) != 0) {
		free(o);
		return NULL;
	}
	tlb_ctx_init(&o->ctx);
	return o;
}

void tlb_oracle_destroy(struct tlb_oracle *o)
{
	if (!o)
		return;
	tlb_store_fini(&o->store);
	free(o);
}

void tlb_oracle_reset(struct tlb_oracle *o)
{
	tlb_store_reset(&o->store);
	tlb_ctx_reset(&o->ctx);
	o->clock = 0;
	for (unsigned cpu = 0; cpu < ARCH_MAX_CPUS; cpu++)
		o->stray[cpu] = (struct tlb_stray){ 0 };
}

bool tlb_may_hold(const struct tlb_oracle *o, const struct tlb_table *t)
{
	const struct tlb_table *r = tlb_root_of(o, t);

	if (!r->is_root)
		return false;
	if (r->kind == TLB_REGIME_S2)
		return tlb_ctx_s2_may_hold(&o->ctx, r->id, r->pa);
	return tlb_ctx_unit_may_hold(&o->ctx, r->id, r->pa);
}

/* Declared or learned, a root keeps the VM handle it was declared with. */
static struct tlb_table *root(struct tlb_oracle *o, uint64_t pa, uint8_t kind, uint16_t id)
{
	struct tlb_table *t = tlb_table_get(&o->store, pa);

	if (!t)
		return NULL;
	if (!t->is_root) {
		t->vm = 0;
		tlb_make_root(o, t);
	}
	t->kind = kind;
	t->id = id;
	return t;
}

int tlb_oracle_add_root(struct tlb_oracle *o, uint64_t root_pa, uint16_t vmid, int vm)
{
	struct tlb_table *t = root(o, root_pa, TLB_REGIME_S2, vmid);

	if (!t)
		return -1;
	t->vm = vm;
	return 0;
}

int tlb_oracle_add_smmu_root(struct tlb_oracle *o, uint64_t root_pa, unsigned unit, int vm)
{
	struct tlb_table *t;

	if (unit >= SIM_SMMU_UNITS)
		return -1;
	t = root(o, root_pa, TLB_REGIME_SMMU, (uint16_t)unit);
	if (!t)
		return -1;
	t->vm = vm;
	return 0;
}

static bool set_stage2(struct tlb_oracle *o, unsigned cpu, uint16_t vmid, uint64_t root_pa,
		       struct violation *v)
{
	uint64_t prev = 0;
	const struct tlb_table *t;

	root_pa &= ~PAGE_MASK; /* the table's page; low VTTBR bits are not its address */
	t = root(o, root_pa, TLB_REGIME_S2, vmid);

	if (!tlb_ctx_load(&o->ctx, cpu, vmid, root_pa, &prev))
		return false;
	violation_init(v, V_VMID_REUSE);
	v->cpu = (int)cpu;
	v->vm = t ? t->vm : 0;
	v->expected = prev;
	v->actual = root_pa;
	violation_detail(v, "vmid %u loaded with root 0x%" PRIx64 " while TLBs may hold its "
			 "entries from root 0x%" PRIx64 " (no completed TLBI VMID/ALL since)",
			 (unsigned)vmid, root_pa, prev);
	return true;
}

/* The kinds the switch of tlb_oracle_event acts on. */
static const bool reads[EV__COUNT] = {
	[EV_PTE_WRITE] = true,   [EV_TLBI_IPA] = true,    [EV_TLBI_VMID] = true,   [EV_TLBI_ALL] = true,
	[EV_DSB] = true,         [EV_SET_STAGE2] = true,  [EV_SMMU_ATTACH] = true, [EV_SMMU_DETACH] = true,
	[EV_SMMU_TLBI] = true,   [EV_PAGE_ZERO] = true,   [EV_PHYS_WRITE] = true,
};

bool tlb_oracle_reads(unsigned kind)
{
	return kind < EV__COUNT && reads[kind];
}

bool tlb_oracle_event(struct tlb_oracle *o, const struct sim_event *ev, struct violation *v)
{
	unsigned cpu = ev->cpu;

	/* The clock counts only the events read, so a caller that skips the
	 * others sees the same order of writes and TLBIs. */
	if (cpu >= ARCH_MAX_CPUS || !tlb_oracle_reads(ev->kind))
		return false;
	o->clock++;
	switch (ev->kind) {
	case EV_PTE_WRITE:
		return tlb_on_pte_write(o, cpu, ev->a, ev->b, ev->c, ev->d, v);
	case EV_TLBI_IPA:
	case EV_TLBI_VMID:
	case EV_TLBI_ALL:
		tlb_on_tlbi(o, cpu, ev->kind, (uint16_t)ev->a, ev->b);
		return false;
	case EV_DSB:
		tlb_on_dsb(o, cpu);
		return false;
	case EV_SET_STAGE2:
		return set_stage2(o, cpu, (uint16_t)ev->a, ev->b, v);
	case EV_SMMU_ATTACH:
		if (ev->a < SIM_SMMU_UNITS) {
			root(o, ev->b, TLB_REGIME_SMMU, (uint16_t)ev->a);
			tlb_ctx_unit_attach(&o->ctx, (unsigned)ev->a, ev->b & ~PAGE_MASK);
		}
		return false;
	case EV_SMMU_DETACH:
		if (ev->a < SIM_SMMU_UNITS)
			tlb_ctx_unit_detach(&o->ctx, (unsigned)ev->a);
		return false;
	case EV_SMMU_TLBI:
		if (ev->a < SIM_SMMU_UNITS)
			tlb_on_smmu_tlbi(o, (unsigned)ev->a);
		return false;
	case EV_PAGE_ZERO:
		return tlb_on_page_zero(o, cpu, ev->a, v);
	case EV_PHYS_WRITE:
		return tlb_on_phys_write(o, cpu, ev->a, ev->b, v);
	default:
		return false;
	}
}

/* An entry its operation left pending: say what went wrong with it.
 * expected/actual: for a wrong target, the entry's IPA (or VMID) and the
 * one the TLBI named; otherwise the entry's IPA and its state. */
static void report_boundary(const struct tlb_oracle *o, unsigned cpu, const struct tlb_table *t,
			    unsigned idx, struct violation *v)
{
	const struct tlb_entry *e = &t->e[idx];
	const struct tlb_stray *st = &o->stray[cpu];
	enum violation_kind k = e->state == TLB_TLBI_ISSUED ? V_TLBI_NOT_COMPLETED : tlb_misordering(o, e);
	uint64_t expected = tlb_entry_ipa(t, idx), actual = e->state;
	char what[64];

	switch (k) {
	case V_TLBI_NOT_COMPLETED:
		snprintf(what, sizeof(what), "operation ended before a DSB completed its TLBI");
		break;
	case V_TLBI_BEFORE_DSB:
		snprintf(what, sizeof(what), "TLBI came before the DSB publishing the change");
		break;
	case V_TLBI_WRONG_TARGET:
		if (st->kind == EV_TLBI_IPA) {
			snprintf(what, sizeof(what), "TLBI ipa 0x%" PRIx64 " vmid %u missed it",
				 st->ipa, (unsigned)st->vmid);
			actual = st->ipa;
		} else {
			snprintf(what, sizeof(what), "TLBI vmid %u missed it", (unsigned)st->vmid);
			expected = tlb_root_of(o, t)->id;
			actual = st->vmid;
		}
		break;
	default:
		k = V_TLBI_MISSING;
		snprintf(what, sizeof(what), "operation ended with the change never invalidated");
		break;
	}
	tlb_report(o, v, k, cpu, t, idx, what);
	v->expected = expected;
	v->actual = actual;
}

bool tlb_oracle_op_end(struct tlb_oracle *o, unsigned cpu, struct violation *v)
{
	struct tlb_store *s = &o->store;
	bool found = false;

	if (cpu >= ARCH_MAX_CPUS)
		return false;
	for (unsigned i = 0; i < s->npending;) {
		struct tlb_table *t = tlb_pending_table(s, i);
		unsigned idx = tlb_pending_idx(s, i);
		const struct tlb_entry *e = &t->e[idx];

		if (e->writer != cpu) {
			i++;
			continue;
		}
		if (!found)
			report_boundary(o, cpu, t, idx, v);
		found = true;
		tlb_settle(o, t, idx); /* entry i is now another */
	}
	o->stray[cpu].at = 0;
	return found;
}

bool tlb_oracle_overflowed(const struct tlb_oracle *o)
{
	return o->store.overflow || o->ctx.overflow;
}

int tlb_oracle_entry_state(const struct tlb_oracle *o, uint64_t table_pa, unsigned idx)
{
	const struct tlb_table *t = tlb_table_find(&o->store, table_pa);

	if (!t || !t->known || idx >= S2_ENTRIES)
		return -1;
	return t->e[idx].state;
}
