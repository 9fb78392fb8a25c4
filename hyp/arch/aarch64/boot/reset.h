/* Resetting KCore under a running host, between replayed programs.
 *
 * Every CPU but the one asking parks at EL2 (a host CPU by PLAT_PARK, a
 * guest because the reset tells it to leave); the asking CPU then sets
 * KCore up again with kcore_init and the boot layout, forgets every vCPU,
 * and releases the others, each of which rejoins the host with
 * kcore_init_cpu.  Memory keeps what the last program left: a fresh
 * machine's is zero, so the host then has the pages the next program
 * names scrubbed (reset_scrub_page). */
#ifndef ARCH_AARCH64_RESET_H
#define ARCH_AARCH64_RESET_H

#include <stdbool.h>
#include <stdint.h>

#include "hyp/kcore.h"

/* The boot layout, for resets (boot.c keeps it). */
void reset_set_layout(const struct kcore_boot *boot);

/* Park this CPU until the next reset is done; it is then on KCore's fresh
 * stage-2. */
void reset_park(void);
/* Capacities from reset's argument (platform_call.h), or false if they
 * are not ones KCore takes. */
bool reset_caps(uint64_t word, struct kcore_caps *caps);
/* The reset itself, with the boot layout and caps (valid, see
 * reset_caps): 0 (a layout KCore refuses is a panic). */
int64_t reset_run(const struct kcore_caps *caps);
/* Zero a page the host owns, and clean it to the point of coherency, where
 * non-cacheable readers look: what the host could do with its own stores,
 * without mapping the page.  PLAT_E_ARG for any other page. */
int64_t reset_scrub_page(uint64_t pfn);

#endif
