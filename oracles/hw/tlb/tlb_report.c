/* Turning an entry into a violation people can act on. */
#include <inttypes.h>

#include "hw/tlb/tlb_oracle_priv.h"
#include "hyp/addr.h"

static const char *const state_names[TLB_STATE__COUNT] = {
	[TLB_INVALID_CLEAN] = "invalid-clean",
	[TLB_VALID] = "valid",
	[TLB_INVALID_UNPUBLISHED] = "invalid-unpublished",
	[TLB_INVALID_PUBLISHED] = "invalid-published",
	[TLB_TLBI_ISSUED] = "tlbi-issued",
};

const char *tlb_entry_state_name(int state)
{
	if (state < 0 || state >= TLB_STATE__COUNT)
		return "unknown";
	return state_names[state];
}

void tlb_report(const struct tlb_oracle *o, struct violation *v, enum violation_kind kind,
		unsigned cpu, const struct tlb_table *t, unsigned idx, const char *what)
{
	const struct tlb_table *r = tlb_root_of(o, t);
	bool smmu = r->is_root && r->kind == TLB_REGIME_SMMU;
	uint64_t ipa = tlb_entry_ipa(t, idx);

	violation_init(v, kind);
	v->cpu = (int)cpu;
	v->vm = r->is_root ? r->vm : 0;
	v->page = ipa >> PAGE_SHIFT;
	violation_detail(v, "%s; %s %u table 0x%" PRIx64 "[%u] L%u %s 0x%" PRIx64 " %s",
			 what, smmu ? "smmu unit" : "vmid", (unsigned)r->id, t->pa, idx,
			 (unsigned)t->level, smmu ? "iova" : "ipa", ipa,
			 tlb_entry_state_name(t->e[idx].state));
}
