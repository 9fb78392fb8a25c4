/* Constants shared by the hypervisor's assembly and C. */
#ifndef ARCH_AARCH64_START_DEFS_H
#define ARCH_AARCH64_START_DEFS_H

/* CPUs the image supports: ARCH_MAX_CPUS of arch/types.h, which assembly
 * cannot include (checked equal in boot.c). */
#define HYP_MAX_CPUS 8

/* MPIDR_EL1 affinity fields Aff3 [39:32], Aff2 [23:16], Aff1, Aff0. */
#define MPIDR_AFF_MASK 0xff00ffffff

#define HYP_STACK_SIZE 0x4000

/* SPSR for EL1h (SP_EL1) with D, A, I and F masked. */
#define SPSR_EL1H_MASKED 0x3c5

/* struct trap_frame (trap.h): x0-x30, elr, spsr, padding to 16 bytes. */
#define FRAME_ELR 248
#define FRAME_SPSR 256
#define FRAME_SIZE 272

#endif
