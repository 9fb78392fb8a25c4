/* The target's views of its VMs, read once and kept while the target's
 * code does not run: the abstraction, the isolation check and its context
 * check all ask for them after every step, and the target's state (its
 * VM slots live in its own memory, not the machine's) changes only inside
 * its calls and its setup. */
#ifndef HARNESS_CHECK_VIEWS_H
#define HARNESS_CHECK_VIEWS_H

#include "hyp_target.h"

/* t with view_vm, peek_vm and view_vm_brief answered from a cache, valid until
 * check_views_forget (or another t). */
const struct hyp_target *check_views(const struct hyp_target *t);
/* The target's code is about to run (a call begins, or a run sets it up
 * again): the views are read anew at the next question. */
void check_views_forget(void);

#endif
