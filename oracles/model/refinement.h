/* The refinement check: after each step KCore's return code equals the
 * model's, and the abstraction of KCore's state equals the model's state.
 * A difference becomes a violation naming the first differing field, with
 * the page, gfn or iova and the VM (expected = model, actual = KCore). */
#ifndef ORACLES_MODEL_REFINEMENT_H
#define ORACLES_MODEL_REFINEMENT_H

#include <stdbool.h>
#include <stdint.h>

#include "violation.h"
#include "refstate.h"

/* what names the step in the detail ("hvc 7", "ghvc 1", "kserv fault"). */
bool refine_check_ret(const char *what, int64_t model_ret, int64_t kcore_ret, struct violation *v);
bool refine_check_state(const struct ref_state *model, const struct ref_state *kcore, struct violation *v);

#endif
