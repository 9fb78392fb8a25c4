/* System register access and barriers for the bare-metal aarch64 build. */
#ifndef ARCH_AARCH64_SYSREG_H
#define ARCH_AARCH64_SYSREG_H

#include <stdint.h>

#define read_sysreg(reg)                                          \
	({                                                            \
		uint64_t v_;                                              \
		__asm__ volatile("mrs %0, " #reg : "=r"(v_));             \
		v_;                                                       \
	})

#define write_sysreg(v, reg)                                      \
	__asm__ volatile("msr " #reg ", %0" : : "r"((uint64_t)(v)) : "memory")

static inline void isb(void) { __asm__ volatile("isb" : : : "memory"); }
static inline void dsb_ish(void) { __asm__ volatile("dsb ish" : : : "memory"); }
static inline void dsb_ishst(void) { __asm__ volatile("dsb ishst" : : : "memory"); }
static inline void dsb_sy(void) { __asm__ volatile("dsb sy" : : : "memory"); }

/* MPIDR_EL1 Aff0: on QEMU virt with up to 8 CPUs, the CPU's index. */
static inline unsigned mpidr_aff0(void)
{
	return (unsigned)(read_sysreg(mpidr_el1) & 0xff);
}

#endif
