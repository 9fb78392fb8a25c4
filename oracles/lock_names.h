/* Names of KCore's lock classes and lock-protected objects
 * (hyp/kcore_locks.h), for the lock discipline oracle's reports and the
 * event text alike; below both, so event text need not reach up into hw/. */
#ifndef ORACLES_LOCK_NAMES_H
#define ORACLES_LOCK_NAMES_H

#include <stdint.h>

/* "core", "vm-npt", ...; "unknown" outside the table of kcore_locks.h. */
const char *lock_class_name(uint32_t lock_id);
const char *lock_object_name(uint32_t obj_id);

#endif
