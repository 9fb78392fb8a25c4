/* Arch types of the bare-metal aarch64 build. */
#ifndef ARCH_AARCH64_TYPES_H
#define ARCH_AARCH64_TYPES_H

#include <stdint.h>

#define ARCH_MAX_CPUS 8

/* Ticket lock: next and owner share one 32-bit word so a single exclusive
 * load/store pair takes a ticket. */
struct arch_spinlock {
	volatile uint16_t owner;
	volatile uint16_t next;
	uint32_t id;
};

#endif
