/* TLBIs and DSBs moving pending entries toward INVALID_CLEAN.
 *
 * A DSB on a CPU publishes the table writes that CPU made and completes the
 * TLBIs it issued before.  A TLBI counts for an entry only once the change
 * is published: a walker may still read the old descriptor before that and
 * refill what the TLBI just removed. */
#include "hw/tlb/tlb_oracle_priv.h"

static bool covers(const struct tlb_oracle *o, const struct tlb_table *t, unsigned idx,
		   uint16_t kind, uint16_t vmid, uint64_t ipa)
{
	const struct tlb_table *r = tlb_root_of(o, t);
	uint64_t base;

	if (!r->is_root || r->kind != TLB_REGIME_S2)
		return false;
	if (kind == EV_TLBI_ALL)
		return true;
	if (r->id != vmid)
		return false;
	if (kind == EV_TLBI_VMID)
		return true;
	base = tlb_entry_ipa(t, idx);
	return ipa >= base && ipa - base < tlb_entry_size(t);
}

void tlb_on_tlbi(struct tlb_oracle *o, unsigned cpu, uint16_t kind, uint16_t vmid, uint64_t ipa)
{
	struct tlb_store *s = &o->store;
	bool hit = false, waiting = false;

	for (unsigned i = 0; i < s->npending; i++) {
		struct tlb_table *t = tlb_pending_table(s, i);
		unsigned idx = tlb_pending_idx(s, i);
		struct tlb_entry *e = &t->e[idx];

		if (!covers(o, t, idx, kind, vmid, ipa)) {
			waiting |= e->writer == cpu && e->state != TLB_TLBI_ISSUED;
			continue;
		}
		hit = true;
		if (e->state == TLB_INVALID_UNPUBLISHED) {
			if (e->writer == cpu)
				e->flags |= TLB_F_EARLY_TLBI;
		} else {
			e->state = TLB_TLBI_ISSUED;
			e->tlbi_cpus |= (uint8_t)(1u << cpu);
			e->flags &= (uint8_t)~TLB_F_EARLY_TLBI;
		}
	}
	if (kind != EV_TLBI_ALL && !hit && waiting)
		o->stray[cpu] = (struct tlb_stray){ .at = o->clock, .kind = kind, .vmid = vmid, .ipa = ipa };

	if (kind == EV_TLBI_VMID)
		tlb_ctx_tlbi_vmid(&o->ctx, cpu, vmid);
	else if (kind == EV_TLBI_ALL)
		tlb_ctx_tlbi_all(&o->ctx, cpu);
}

/* The unit's invalidation includes its own synchronisation, and the arch
 * layer orders earlier table writes before it, so it completes at once. */
void tlb_on_smmu_tlbi(struct tlb_oracle *o, unsigned unit)
{
	struct tlb_store *s = &o->store;

	for (unsigned i = 0; i < s->npending;) {
		struct tlb_table *t = tlb_pending_table(s, i);
		const struct tlb_table *r = tlb_root_of(o, t);

		if (r->is_root && r->kind == TLB_REGIME_SMMU && r->id == unit)
			tlb_settle(o, t, tlb_pending_idx(s, i)); /* entry i is now another */
		else
			i++;
	}
}

void tlb_on_dsb(struct tlb_oracle *o, unsigned cpu)
{
	struct tlb_store *s = &o->store;
	uint8_t bit = (uint8_t)(1u << cpu);

	for (unsigned i = 0; i < s->npending;) {
		struct tlb_table *t = tlb_pending_table(s, i);
		unsigned idx = tlb_pending_idx(s, i);
		struct tlb_entry *e = &t->e[idx];

		if (e->state == TLB_TLBI_ISSUED && (e->tlbi_cpus & bit)) {
			tlb_settle(o, t, idx); /* entry i is now another */
			continue;
		}
		if (e->state == TLB_INVALID_UNPUBLISHED && e->writer == cpu)
			e->state = TLB_INVALID_PUBLISHED;
		i++;
	}
	tlb_ctx_dsb(&o->ctx, cpu);
}

enum violation_kind tlb_misordering(const struct tlb_oracle *o, const struct tlb_entry *e)
{
	if (e->state == TLB_TLBI_ISSUED)
		return V_NONE;
	if (e->flags & TLB_F_EARLY_TLBI)
		return V_TLBI_BEFORE_DSB;
	if (o->stray[e->writer].at > e->since)
		return V_TLBI_WRONG_TARGET;
	return V_NONE;
}
