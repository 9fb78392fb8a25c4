/* Inside the TLB discipline oracle: shared by its source files only. */
#ifndef ORACLES_HW_TLB_ORACLE_PRIV_H
#define ORACLES_HW_TLB_ORACLE_PRIV_H

#include "hw/tlb/tlb_contexts.h"
#include "hw/tlb/tlb_discipline.h"
#include "hw/tlb/tlb_store.h"

/* A TLBI by IPA or VMID that covered no pending entry while its CPU had
 * entries awaiting one: evidence for tlbi-wrong-target if they are never
 * invalidated. */
struct tlb_stray {
	uint64_t at;   /* oracle clock, 0 for none */
	uint16_t kind; /* EV_TLBI_IPA or EV_TLBI_VMID */
	uint16_t vmid;
	uint64_t ipa;
};

struct tlb_oracle {
	struct tlb_store store;
	struct tlb_contexts ctx;
	uint64_t clock; /* events fed since the reset; orders stray TLBIs */
	struct tlb_stray stray[ARCH_MAX_CPUS];
};

static inline struct tlb_table *tlb_root_of(const struct tlb_oracle *o, const struct tlb_table *t)
{
	return &o->store.tables[t->root];
}

/* Can a TLB (or IOTLB) hold translations read from t's tree now? */
bool tlb_may_hold(const struct tlb_oracle *o, const struct tlb_table *t);

/* tlb_entries.c: descriptor writes and what they do to tables. */
bool tlb_on_pte_write(struct tlb_oracle *o, unsigned cpu, uint64_t table_pa, uint64_t idx,
		      uint64_t old, uint64_t desc, struct violation *v);
bool tlb_on_page_zero(struct tlb_oracle *o, unsigned cpu, uint64_t pa, struct violation *v);
bool tlb_on_phys_write(struct tlb_oracle *o, unsigned cpu, uint64_t pa, uint64_t len,
		       struct violation *v);
/* Make t a root of its own tree (known, reachable, level 1). */
void tlb_make_root(struct tlb_oracle *o, struct tlb_table *t);
/* The entry's invalidation is over (or no longer tracked). */
void tlb_settle(struct tlb_oracle *o, struct tlb_table *t, unsigned idx);

/* tlb_barriers.c: TLBIs and DSBs moving pending entries along. */
void tlb_on_tlbi(struct tlb_oracle *o, unsigned cpu, uint16_t kind, uint16_t vmid, uint64_t ipa);
void tlb_on_smmu_tlbi(struct tlb_oracle *o, unsigned unit);
void tlb_on_dsb(struct tlb_oracle *o, unsigned cpu);
/* The kind that explains why a pending entry was never invalidated, if the
 * history shows more than its absence: tlbi-before-dsb, tlbi-wrong-target,
 * else V_NONE. */
enum violation_kind tlb_misordering(const struct tlb_oracle *o, const struct tlb_entry *e);

/* tlb_report.c */
void tlb_report(const struct tlb_oracle *o, struct violation *v, enum violation_kind kind,
		unsigned cpu, const struct tlb_table *t, unsigned idx, const char *what);

#endif
