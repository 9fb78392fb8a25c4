/* KCore's operations, one function each (kcore_op_register_vm and the
 * rest of hyp/common/hyp_ops.h), in the table init.c hands to hyp/common.
 * Each makes the checks of hyp/kcore.h in the listed order, changes
 * nothing when one fails, and returns with every lock released. */
#ifndef KCORE_OPS_H
#define KCORE_OPS_H

#include "hyp_ops.h"

HYP_OPS_DECLARE(kcore_op);

#endif
