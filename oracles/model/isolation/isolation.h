/* The isolation check: what each principal can actually reach, on the
 * machine as it is now, is within what the model allows (ref_reach.h).
 *
 *   KServ      every leaf of its stage-2 tables, every TLB entry tagged
 *              VMID 0 on any CPU;
 *   VM n       every leaf of its stage-2 tables, every TLB entry tagged
 *              its current VMID (entries of a VMID no live VM holds are
 *              harmless until KCore hands that VMID out again);
 *   SMMU unit  every leaf of the table the unit is attached to;
 *   any CPU    the stage-2 context it has loaded belongs to whoever the
 *              model says runs there (KServ or one vCPU), so a table or
 *              VMID left loaded after a switch counts for that principal.
 *
 * Reach is by page (ref_reach.h).  A page outside what is allowed is
 * V_KSERV_REACH, V_VM_REACH or V_DMA_REACH; a page of KCore's region or
 * held by KCore is V_TABLE_REACH.
 * A leaf's permission (S2AP and XN) must be within the allowed one, so
 * write access to a page only readable, or execution of a page the
 * principal may only read and write, is a violation too; and its memory
 * type must be the one the contract gives the page (ref_attr.h: RAM
 * Normal write-back, MMIO Device), else V_MEM_TYPE.  Descriptors without
 * the access flag count: hardware may set it on first use.
 * Every table page a scan enters, of any principal, must be KCore's
 * (V_TABLE_REACH otherwise): a table in a page someone else owns is one
 * they can rewrite.
 *
 * Cost: one scan of the live tables (bounded by the pools) and one pass
 * over the TLBs; nothing is allocated.
 */
#ifndef ORACLES_MODEL_ISOLATION_H
#define ORACLES_MODEL_ISOLATION_H

#include <stdbool.h>

#include "hyp_target.h"
#include "model/state/refstate.h"
#include "violation.h"

/* model: the reference model's state after the step; t: the hypervisor
 * under test, whose view names its tables and VMIDs.  On the first
 * violation fill v and return true. */
bool isolation_check(const struct ref_state *model, const struct hyp_target *t, struct violation *v);

/* The TLB and loaded-context part alone: enough after steps that made no
 * call into the target, since only calls change tables and what the model
 * allows, while accesses and speculative walks fill TLBs. */
bool isolation_check_tlbs(const struct ref_state *model, const struct hyp_target *t, struct violation *v);

#endif
