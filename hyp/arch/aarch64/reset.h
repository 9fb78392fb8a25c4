/* Resetting KCore under a running host, between replayed programs.
 *
 * Every CPU but the one asking parks at EL2 (a host CPU by PLAT_PARK, a
 * guest because the reset tells it to leave); the asking CPU then scrubs
 * the RAM KServ may reach outside the host's own range (a fresh machine's
 * memory is zero), sets KCore up again with kcore_init and the boot
 * layout, forgets every vCPU, and releases the others, each of which
 * rejoins the host with kcore_init_cpu. */
#ifndef ARCH_AARCH64_RESET_H
#define ARCH_AARCH64_RESET_H

#include <stdint.h>

#include "hyp/kcore.h"

/* The boot layout, for resets (boot.c keeps it). */
void reset_set_layout(const struct kcore_boot *boot);

/* Park this CPU until the next reset is done; it is then on KCore's fresh
 * stage-2. */
void reset_park(void);
/* The reset itself: 0, or PLAT_E_BUSY if the other CPUs do not all park
 * in time, or a negative KCore error. */
int64_t reset_run(void);

#endif
