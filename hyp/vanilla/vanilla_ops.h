/* The baseline's operations, one function each (vanilla_op_register_vm and
 * the rest of hyp/common/hyp_ops.h), as vanilla_dispatch.c calls them.
 * Each makes the checks of hyp/kcore.h that still mean something without
 * page ownership, in KCore's order, changes nothing when one fails, and
 * returns with every lock released. */
#ifndef VANILLA_OPS_H
#define VANILLA_OPS_H

#include "hyp_ops.h"

HYP_OPS_DECLARE(vanilla_op);

#endif
