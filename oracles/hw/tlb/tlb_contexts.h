/* Which translation contexts TLBs may hold entries for.
 *
 * A stage-2 TLB entry is tagged with the VMID it was walked under, and a
 * walk happens only in a context some CPU has loaded (VTTBR_EL2 = vmid:root).
 * So TLBs may hold entries of (vmid, root) only if some CPU loaded that
 * pair since the last TLBI VMALLS12 for vmid (or TLBI ALL) completed while
 * no CPU had it loaded.  Changing a table no TLB can have read needs no
 * invalidation; this is what keeps the oracle quiet when KCore rebuilds a
 * pool of tables a finished VM left behind.
 *
 * An SMMU unit walks only the table it is attached to, and an attach
 * starts it afresh (on hardware the stream-table update carries its own
 * invalidation), so only the tables a unit is attached to now can be
 * cached; an entry changed while it is attached still needs the unit's
 * TLBI, even if the unit is detached before the operation ends.
 */
#ifndef ORACLES_HW_TLB_CONTEXTS_H
#define ORACLES_HW_TLB_CONTEXTS_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/types.h"
#include "sim/machine.h"

_Static_assert(ARCH_MAX_CPUS <= 8, "CPU sets are 8-bit masks");

#define TLB_VMID_SLOTS 256u /* VMIDs seen in one run; a power of two */

struct tlb_vmid {
	uint16_t vmid;
	bool stale;         /* TLBs may hold entries tagged with it */
	uint64_t last_root; /* root it was last loaded with */
	uint8_t loaded;     /* CPUs with it in VTTBR now */
	uint8_t flushing;   /* CPUs with a TLBI covering it not yet completed */
	uint32_t loads;     /* times loaded: a load during a flush spoils it */
	uint32_t flush_loads[ARCH_MAX_CPUS]; /* loads when that CPU's TLBI was issued */
};

struct tlb_unit {
	bool attached;
	uint64_t root;
};

struct tlb_contexts {
	uint32_t gen;
	uint32_t slot_gen[TLB_VMID_SLOTS];
	uint16_t nused;
	uint16_t used[TLB_VMID_SLOTS];     /* slots in use, for whole-set walks */
	struct tlb_vmid vmids[TLB_VMID_SLOTS];
	struct tlb_unit units[SIM_SMMU_UNITS];
	int32_t cpu_slot[ARCH_MAX_CPUS];   /* VMID slot loaded on each CPU, -1 */
	uint8_t cpu_flushing;              /* CPUs with some TLBI VMID/ALL pending */
	bool overflow;
};

void tlb_ctx_init(struct tlb_contexts *c);
void tlb_ctx_reset(struct tlb_contexts *c);

/* cpu loads vmid:root.  Returns true when that reuses vmid with a new root
 * while TLBs may still hold its entries; *prev_root is the old one. */
bool tlb_ctx_load(struct tlb_contexts *c, unsigned cpu, uint16_t vmid, uint64_t root,
		  uint64_t *prev_root);
/* cpu issued TLBI VMALLS12 for vmid, or TLBI ALL. */
void tlb_ctx_tlbi_vmid(struct tlb_contexts *c, unsigned cpu, uint16_t vmid);
void tlb_ctx_tlbi_all(struct tlb_contexts *c, unsigned cpu);
/* cpu's DSB completes the TLBIs it issued before. */
void tlb_ctx_dsb(struct tlb_contexts *c, unsigned cpu);
bool tlb_ctx_s2_may_hold(const struct tlb_contexts *c, uint16_t vmid, uint64_t root);

void tlb_ctx_unit_attach(struct tlb_contexts *c, unsigned unit, uint64_t root);
void tlb_ctx_unit_detach(struct tlb_contexts *c, unsigned unit);
bool tlb_ctx_unit_may_hold(const struct tlb_contexts *c, unsigned unit, uint64_t root);

#endif
