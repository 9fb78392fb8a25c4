/* The context interrupted by an exception taken to EL2. */
#ifndef ARCH_AARCH64_TRAP_H
#define ARCH_AARCH64_TRAP_H

#include <stdint.h>

#include "boot/start_defs.h"

struct trap_frame {
	uint64_t x[31];
	uint64_t elr;
	uint64_t spsr;
	uint64_t pad;
};

_Static_assert(sizeof(struct trap_frame) == FRAME_SIZE, "frame layout");
_Static_assert(__builtin_offsetof(struct trap_frame, elr) == FRAME_ELR, "frame layout");
_Static_assert(__builtin_offsetof(struct trap_frame, spsr) == FRAME_SPSR, "frame layout");

/* Called from the vectors with the saved frame; returns to the frame. */
void hyp_trap_lower(struct trap_frame *f);
/* Called from the vectors for an unexpected exception; never returns. */
_Noreturn void hyp_bad_exception(struct trap_frame *f, uint64_t kind);

/* ESR_ELx exception classes this hypervisor handles. */
#define ESR_EC_SHIFT 26
#define ESR_EC_UNKNOWN 0x00
#define ESR_EC_HVC64 0x16
#define ESR_EC_SMC64 0x17
#define ESR_EC_IABT_LOW 0x20
#define ESR_EC_IABT_CUR 0x21
#define ESR_EC_DABT_LOW 0x24
#define ESR_EC_DABT_CUR 0x25
#define ESR_IL (1ull << 25)
#define ESR_ISS_MASK 0x1ffffffull
/* Data and instruction abort ISS fields. */
#define ESR_ABT_FSC_MASK 0x3full
#define ESR_ABT_S1PTW (1ull << 7)
#define ESR_ABT_WNR (1ull << 6)
#define ESR_ABT_FNV (1ull << 10)
#define FSC_EXTERNAL 0x10ull

static inline unsigned esr_ec(uint64_t esr) { return (unsigned)(esr >> ESR_EC_SHIFT) & 0x3f; }

#endif
