/* What each principal may reach, by the abstract state: the permissions
 * (REF_PERM_*) the isolation check holds concrete tables and TLBs to,
 * execute included, as the attribute contract (ref_attr.h) gives them for
 * the page's kind of mapping.
 *
 *   KServ      RAM pages it owns, pages their VM granted (count > 0), MMIO.
 *   VM n       RAM pages it owns, MMIO pages it ioremapped.
 *   SMMU unit  RAM pages its owner owns, while the unit is allocated.
 *   nobody     KCore's region and pages KCore holds (image pages).
 *
 * Reach is about pages, not addresses: a VM reaching its own page at a gfn
 * the model does not have is a refinement failure, not an isolation one,
 * and becomes an isolation failure as soon as the page changes hands.
 */
#ifndef ORACLES_MODEL_REF_REACH_H
#define ORACLES_MODEL_REF_REACH_H

#include <stdbool.h>
#include <stdint.h>

#include "model/state/refstate.h"

unsigned ref_kserv_may(const struct ref_state *s, uint64_t pfn);
/* For the 4 KiB page gfn -> pfn (or iova page -> pfn). */
unsigned ref_vm_may(const struct ref_state *s, unsigned vm, uint64_t gfn, uint64_t pfn);
unsigned ref_smmu_may(const struct ref_state *s, unsigned unit, uint64_t iova_pfn, uint64_t pfn);
/* A page only KCore may touch: its region, or a page it owns. */
bool ref_kcore_private(const struct ref_state *s, uint64_t pfn);

#endif
