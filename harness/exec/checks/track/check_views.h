/* The target's views of its VMs, read once per check: the abstraction,
 * the isolation check and its context check all ask for them, and
 * nothing changes while no call is in flight. */
#ifndef HARNESS_CHECK_VIEWS_H
#define HARNESS_CHECK_VIEWS_H

#include "hyp_target.h"

/* t with view_vm answered from a cache, valid until the next call of
 * check_views (one check at a time). */
const struct hyp_target *check_views(const struct hyp_target *t);

#endif
