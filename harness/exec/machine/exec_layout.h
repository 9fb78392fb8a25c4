#ifndef HARNESS_EXEC_LAYOUT_H
#define HARNESS_EXEC_LAYOUT_H

#include "hyp/kcore.h"
#include "hyp_target.h"
#include "sim/machine.h"

void exec_layout(const struct sim_config *cfg, const struct hyp_target *t, struct kcore_boot *boot);

#endif
