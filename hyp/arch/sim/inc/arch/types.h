/* Arch types of the machine model.
 *
 * Deliberately unlike the aarch64 ones: a simulated lock records which
 * simulated CPU holds it (so the model can yield to another CPU when it is
 * contended and the oracles can name the holder), not a ticket pair.
 */
#ifndef ARCH_SIM_TYPES_H
#define ARCH_SIM_TYPES_H

#include <stdint.h>

#define ARCH_MAX_CPUS 8

struct arch_spinlock {
	uint32_t id;     /* lock name for events */
	int32_t holder;  /* simulated CPU holding it, -1 when free */
};

#endif
