/* The refinement check: after each step the target's (KCore's) return
 * code equals the model's, and the abstraction of its state equals the
 * model's state.  A difference becomes a violation naming the first
 * differing field, with the page, gfn or iova and the VM (expected = the
 * model's value, actual = the target's). */
#ifndef ORACLES_MODEL_REFINEMENT_H
#define ORACLES_MODEL_REFINEMENT_H

#include <stdbool.h>
#include <stdint.h>

#include "refstate.h"
#include "violation.h"

/* what names the step in the detail ("hvc map_vm_page", "kserv fault"). */
bool refine_check_ret(const char *what, int64_t model_ret, int64_t target_ret, struct violation *v);
bool refine_check_state(const struct ref_state *model, const struct ref_state *target, struct violation *v);

/* The same, comparing only the RAM pages at the indexes idx[0..n). */
bool refine_check_state_pages(const struct ref_state *m, const struct ref_state *k, const uint32_t *idx,
			      unsigned n, struct violation *v);

/* KServ's stage-2 (target->kserv, NULL: nothing to check) against the
 * contract: every entry maps a page at its own address, one page at a
 * time, with the attributes of the kind of mapping the model allows KServ
 * for that page (ref_attr.h).  Entries for pages the model does not allow
 * KServ are isolation's to report.  Part of both state checks above. */
bool refine_check_kserv_map(const struct ref_state *model, const struct ref_state *target, struct violation *v);

#endif
