/* Arch types of the bare-metal aarch64 build. */
#ifndef ARCH_AARCH64_TYPES_H
#define ARCH_AARCH64_TYPES_H

#include <stdbool.h>
#include <stdint.h>

#define ARCH_MAX_CPUS 8

/* Ticket lock: owner and next share one 32-bit word (owner in the low
 * half) so a single exclusive load/store pair takes a ticket and reads the
 * owner (spinlock.S).  id names the lock for the machine model's events;
 * here it is only kept for a debugger. */
struct arch_spinlock {
	volatile uint16_t owner;
	volatile uint16_t next;
	uint32_t id;
};

/* On hardware there is nothing to record: defined here, before hyp/arch.h
 * declares it, so every call compiles to nothing. */
static inline void arch_note_access(uint32_t obj, bool write)
{
	(void)obj;
	(void)write;
}

#endif
