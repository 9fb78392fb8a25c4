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

/* HCR_EL2: EL1 is AArch64 (RW); SMC traps (TSC); set/way invalidation
 * by EL1 is upgraded to clean-and-invalidate (SWIO) so the host cannot
 * discard someone else's dirty lines; EL1's barriers and TLBIs are
 * broadcast to the inner shareable domain (FB, BSU); VM turns stage-2 on;
 * DC makes a guest's MMU-off data accesses Normal write-back. */
#define HCR_VM (1ull << 0)
#define HCR_SWIO (1ull << 1)
#define HCR_FB (1ull << 9)
#define HCR_BSU_IS (1ull << 10)
#define HCR_DC (1ull << 12)
#define HCR_TSC (1ull << 19)
#define HCR_RW (1ull << 31)
#define HCR_HOST (HCR_RW | HCR_TSC | HCR_SWIO | HCR_FB | HCR_BSU_IS)

/* SCTLR_EL1 as EL1 comes out of the hypervisor: MMU off, RES1 bits set. */
#define SCTLR_EL1_RES1 0x30d00800ull
#define SCTLR_EL1_C (1ull << 2)
#define SCTLR_EL1_I (1ull << 12)

/* MPIDR_EL1 Aff0: on QEMU virt with up to 8 CPUs, the CPU's index. */
static inline unsigned mpidr_aff0(void)
{
	return (unsigned)(read_sysreg(mpidr_el1) & 0xff);
}

#endif
