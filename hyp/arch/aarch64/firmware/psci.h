/* PSCI calls to the firmware (QEMU's built-in PSCI, SMC conduit when the
 * board runs with EL2). */
#ifndef ARCH_AARCH64_PSCI_H
#define ARCH_AARCH64_PSCI_H

#include <stdint.h>

#define PSCI_SUCCESS 0
#define PSCI_NOT_SUPPORTED (-1)
#define PSCI_INVALID_PARAMETERS (-2)
#define PSCI_ALREADY_ON (-4)

#define PSCI_AFF_ON 0
#define PSCI_AFF_OFF 1
#define PSCI_AFF_ON_PENDING 2

/* Start the CPU with this MPIDR at entry (physical address, current EL),
 * with context in x0. */
int64_t psci_cpu_on(uint64_t mpidr, uint64_t entry, uint64_t context);
/* State of the CPU with this MPIDR, or PSCI_INVALID_PARAMETERS if there
 * is no such CPU. */
int64_t psci_affinity_info(uint64_t mpidr);

#endif
