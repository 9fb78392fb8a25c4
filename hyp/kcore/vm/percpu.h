/* KCore's CPUs (struct hyp_percpu of hyp/common/hyp_guest.h): which vCPU,
 * if any, each is running.  Each CPU touches only its own entry, so no
 * lock protects it. */
#ifndef KCORE_PERCPU_H
#define KCORE_PERCPU_H

#include "hyp_guest.h"

extern struct hyp_percpu kcore_percpu;

#endif
