/* A machine with KCore booted on it, for tests that run KCore on the
 * machine model.  Plain C (no test framework): failures of the set-up
 * itself abort with a message. */
#ifndef TESTS_KCORE_SETUP_H
#define TESTS_KCORE_SETUP_H

#include <stdint.h>

#include "hyp/kcore.h"
#include "sim/machine.h"

/* KCore's layout on the machine currently configured: RAM and MMIO as the
 * machine has them, KCore's region the first kcore_region_pages_needed()
 * pages of RAM, every CPU. */
void kt_layout(struct kcore_boot *boot);

/* A fresh default machine (64 MiB of RAM at 0x40000000, 4 CPUs) with
 * KCore initialised and kcore_init_cpu run on every CPU; CPU 0 is current.
 * No event sink, yield or panic hook is installed. */
void kt_up(void);
/* The same on a machine built from cfg. */
void kt_up_with(const struct sim_config *cfg);

/* Page frame numbers of the default layout. */
uint64_t kt_ram_pfn(void);       /* first RAM page (KCore's region starts here) */
uint64_t kt_mmio_pfn(void);      /* first MMIO page */

#endif
