/* The page-table roots the TLB oracle must know, to tell whose table a
 * write or a walk touches. */
#ifndef HARNESS_CHECK_ROOTS_H
#define HARNESS_CHECK_ROOTS_H

#include "hw/hw_oracles.h"
#include "hyp_target.h"

/* Tell the TLB oracle which tables are whose: KServ's, each live VM's and
 * each allocated SMMU unit's.  Cheap, and idempotent for known roots. */
void roots_register(struct hw_oracles *hw, const struct hyp_target *t);

#endif
