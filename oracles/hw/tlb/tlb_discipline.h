/* TLB discipline oracle: break-before-make and TLBI/DSB ordering for every
 * change of a stage-2 or SMMU translation, and VMID reuse.
 *
 * It keeps a state machine per page-table entry (see tlb_store.h), fed by
 * the machine's events.  It knows which regime each table belongs to:
 * roots are declared with tlb_oracle_add_root / tlb_oracle_add_smmu_root or
 * learned from EV_SET_STAGE2 and EV_SMMU_ATTACH; child tables are learned
 * from table descriptors written into known tables, which give each its
 * level and IPA range.  Only table pages receive descriptor writes, so the
 * oracle records every one from its first write, and a table filled before
 * it is linked (or before its root is declared) is checked from the moment
 * a known root reaches it.  Changes made before that are not judged.
 *
 * What it reports (kinds of violation.h):
 *   bbm-missing          valid -> valid with another output address, memory
 *                        type, shareability or block size (permission-only
 *                        changes are allowed by the Arm ARM)
 *   revalidate-early     made valid while its invalidation is incomplete
 *   tlbi-before-dsb      the writer's TLBI came before its DSB and no later
 *                        TLBI covered the entry
 *   tlbi-wrong-target    the entry was never invalidated, and the CPU issued
 *                        a TLBI by IPA or VMID meanwhile that covered no
 *                        entry awaiting one (wrong VMID or IPA)
 *   tlbi-missing         at an operation boundary, an entry still awaits
 *                        its TLBI (SMMU: the unit's TLBI)
 *   tlbi-not-completed   at an operation boundary, its TLBI has no DSB after
 *                        it on the issuing CPU
 *   table-freed-unclean  a table unlinked from its parent is written, zeroed
 *                        or overwritten before that unlink was invalidated,
 *                        or while entries it held may still be in TLBs
 *   vmid-reuse           a VMID loaded with a new root while TLBs may hold
 *                        its entries from the old one
 * The two misordering kinds are diagnosed when the damage shows (at the
 * boundary or at revalidation), so a sequence repaired by a later correct
 * TLBI stays silent.  Every report names the CPU, the VM handle given with
 * the root, and as page the entry's gfn (IPA >> 12; IOVA for SMMU tables).
 */
#ifndef ORACLES_HW_TLB_DISCIPLINE_H
#define ORACLES_HW_TLB_DISCIPLINE_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/event.h"
#include "violation.h"

struct tlb_oracle;

/* NULL when out of memory.  The oracle holds a few MiB, allocated here
 * once; nothing is allocated per event. */
struct tlb_oracle *tlb_oracle_create(void);
void tlb_oracle_destroy(struct tlb_oracle *o);
/* Forget everything (between fuzz inputs); costs what the run used. */
void tlb_oracle_reset(struct tlb_oracle *o);

/* root_pa is the level-1 stage-2 table of vmid (or of SMMU unit); vm is
 * the handle to name in violations (0 for KServ).  Declaring it before the
 * context is loaded or attached lets violations name the VM.  Returns 0,
 * or -1 when the oracle's tables are full (or the unit is out of range). */
int tlb_oracle_add_root(struct tlb_oracle *o, uint64_t root_pa, uint16_t vmid, int vm);
int tlb_oracle_add_smmu_root(struct tlb_oracle *o, uint64_t root_pa, unsigned unit, int vm);

/* Whether events of this kind can change the oracle's state: feeding it
 * any other kind is a no-op, so a caller may skip those. */
bool tlb_oracle_reads(unsigned kind);
/* Feed one event.  Returns true and fills *v on a violation. */
bool tlb_oracle_event(struct tlb_oracle *o, const struct sim_event *ev, struct violation *v);
/* The operation running on cpu has returned: every change it made must be
 * invalidated and completed.  Returns true and fills *v on a violation;
 * the entries found are then considered settled, so one mistake is
 * reported once. */
bool tlb_oracle_op_end(struct tlb_oracle *o, unsigned cpu, struct violation *v);

/* True once some table, entry or VMID did not fit and went unchecked. */
bool tlb_oracle_overflowed(const struct tlb_oracle *o);

/* The state (enum tlb_entry_state) of entry idx of the table at table_pa,
 * or -1 if that page is no table the oracle knows. */
int tlb_oracle_entry_state(const struct tlb_oracle *o, uint64_t table_pa, unsigned idx);
const char *tlb_entry_state_name(int state); /* "valid", "invalid-published", ... */

#endif
