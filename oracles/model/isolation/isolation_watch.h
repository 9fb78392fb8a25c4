/* The isolation check (isolation.h) made incremental: the same verdicts
 * as isolation_check at every point it is asked, at the cost of what
 * changed since it was last asked.
 *
 * What can change a verdict, and what is re-checked for it:
 *   a table frame (its generation moved)   the leaves new in its tree, and
 *                                          its table frames if its tree was read again;
 *   a principal's root, VMID or life       all of its leaves and TLB entries;
 *   the model's entry for a page           every leaf and TLB entry that reaches it,
 *                                          every tree's table frames if it was read as one;
 *   the model's MMIO grants (after calls)  every leaf and TLB entry outside RAM;
 *   a TLB slot (refilled)                  that entry;
 *   a unit's registers (sim_smmu_epoch)    that unit's leaves, if its root or life moved;
 *   a CPU's context (sim_context_epoch)    the contexts, against the wanted ones.
 * A check where none of the tables' inputs moved (no page entry, grant,
 * status, root, frame or unit register) skips the principals altogether,
 * and one where no status, no model CPU's VM and no context moved skips
 * the contexts if every CPU last had the wanted one loaded.
 * Leaves are checked in the order the full sweep checks them, so the first
 * violation found is the one the full sweep would report.
 */
#ifndef ORACLES_MODEL_ISOLATION_WATCH_H
#define ORACLES_MODEL_ISOLATION_WATCH_H

#include <stdbool.h>

#include "hyp_target.h"
#include "model/s2/s2tree.h"
#include "model/state/refstate.h"
#include "violation.h"

struct isolation_watch;

struct isolation_watch *isolation_watch_new(void);
void isolation_watch_delete(struct isolation_watch *w);
/* A new run: model has just been reset to the boot state; the next check
 * is a full one. */
void isolation_watch_reset(struct isolation_watch *w, struct ref_state *model);
/* model: the reference model's state now; model_moved: it may have
 * changed since the last check (calls were replayed on it).  trees: the
 * kept trees (shared with the abstraction).  The model's log of recent
 * page changes (ref_state_take_recent) is this check's to take.  On the first violation fill
 * v and return true. */
bool isolation_watch_check(struct isolation_watch *w, struct ref_state *model, bool model_moved,
			   const struct hyp_target *t, struct s2_trees *trees, struct violation *v);
/* Whether the last check found moved anything an IOTLB entry's verdict
 * rests on: a model page entry, an MMIO grant, a unit's or a VM's status
 * (or it was a full check).  For isolation_iotlb_watch's model_moved. */
bool isolation_watch_reach_moved(const struct isolation_watch *w);

#endif
