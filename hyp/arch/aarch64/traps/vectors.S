/* EL2 exception vectors.
 *
 * Exceptions from EL1 (hypercalls, stage-2 aborts, trapped instructions)
 * save the interrupted context as a struct trap_frame on this CPU's EL2
 * stack, let hyp_trap_lower() inspect and edit it, and return to whatever
 * context the frame then holds.  Anything taken from EL2 itself, and any
 * interrupt, is a hypervisor bug: it is reported and the run ends.
 */
#include "boot/start_defs.h"

.macro save_frame
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #16 * 0]
	stp	x2, x3, [sp, #16 * 1]
	stp	x4, x5, [sp, #16 * 2]
	stp	x6, x7, [sp, #16 * 3]
	stp	x8, x9, [sp, #16 * 4]
	stp	x10, x11, [sp, #16 * 5]
	stp	x12, x13, [sp, #16 * 6]
	stp	x14, x15, [sp, #16 * 7]
	stp	x16, x17, [sp, #16 * 8]
	stp	x18, x19, [sp, #16 * 9]
	stp	x20, x21, [sp, #16 * 10]
	stp	x22, x23, [sp, #16 * 11]
	stp	x24, x25, [sp, #16 * 12]
	stp	x26, x27, [sp, #16 * 13]
	stp	x28, x29, [sp, #16 * 14]
	mrs	x21, elr_el2
	mrs	x22, spsr_el2
	stp	x30, x21, [sp, #16 * 15]
	str	x22, [sp, #FRAME_SPSR]
.endm

.macro restore_frame_eret
	ldp	x30, x21, [sp, #16 * 15]
	ldr	x22, [sp, #FRAME_SPSR]
	msr	elr_el2, x21
	msr	spsr_el2, x22
	ldp	x0, x1, [sp, #16 * 0]
	ldp	x2, x3, [sp, #16 * 1]
	ldp	x4, x5, [sp, #16 * 2]
	ldp	x6, x7, [sp, #16 * 3]
	ldp	x8, x9, [sp, #16 * 4]
	ldp	x10, x11, [sp, #16 * 5]
	ldp	x12, x13, [sp, #16 * 6]
	ldp	x14, x15, [sp, #16 * 7]
	ldp	x16, x17, [sp, #16 * 8]
	ldp	x18, x19, [sp, #16 * 9]
	ldp	x20, x21, [sp, #16 * 10]
	ldp	x22, x23, [sp, #16 * 11]
	ldp	x24, x25, [sp, #16 * 12]
	ldp	x26, x27, [sp, #16 * 13]
	ldp	x28, x29, [sp, #16 * 14]
	add	sp, sp, #FRAME_SIZE
	eret
.endm

/* An exception the hypervisor never expects: report it with its kind. */
.macro bad_entry kind
	.balign 0x80
	save_frame
	mov	x0, sp
	mov	x1, #\kind
	b	hyp_bad_exception
.endm

	.text
	.balign 0x800
	.globl hyp_vectors
hyp_vectors:
	/* Current EL with SP_EL0: never used. */
	bad_entry 0
	bad_entry 1
	bad_entry 2
	bad_entry 3
	/* Current EL with SP_EL2. */
	bad_entry 4
	bad_entry 5
	bad_entry 6
	bad_entry 7
	/* Lower EL, AArch64: synchronous exceptions are the hypervisor's work. */
	.balign 0x80
	b	lower_sync
	bad_entry 9
	bad_entry 10
	bad_entry 11
	/* Lower EL, AArch32: never entered. */
	bad_entry 12
	bad_entry 13
	bad_entry 14
	bad_entry 15

lower_sync:
	save_frame
	mov	x0, sp
	bl	hyp_trap_lower
	restore_frame_eret
