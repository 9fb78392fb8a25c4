/* Entry of the hypervisor image.
 *
 * QEMU enters _start on the boot CPU at EL2 with the MMU off.  Secondary
 * CPUs enter secondary_entry, also at EL2 with the MMU off, when the boot
 * CPU asks the firmware (PSCI CPU_ON) to start them.  Each CPU gets the
 * stack of its MPIDR Aff0 index; a CPU outside the supported range parks.
 */
#include "start_defs.h"

	.section .text.boot, "ax"

	.globl _start
	.type _start, %function
_start:
	mrs	x9, CurrentEL
	cmp	x9, #(2 << 2)
	b.ne	park

	adrp	x9, hyp_vectors
	add	x9, x9, :lo12:hyp_vectors
	msr	vbar_el2, x9
	isb

	/* .bss is 16-byte aligned and sized (hyp.ld); nothing has run yet, so
	 * no variable or stack lives there. */
	adrp	x9, __bss_start
	add	x9, x9, :lo12:__bss_start
	adrp	x10, __bss_end
	add	x10, x10, :lo12:__bss_end
1:	cmp	x9, x10
	b.hs	2f
	stp	xzr, xzr, [x9], #16
	b	1b
2:
	bl	set_cpu_stack
	bl	mmu_build_tables
	bl	mmu_enable
	b	hyp_main_primary
	.size _start, . - _start

	.globl secondary_entry
	.type secondary_entry, %function
secondary_entry:
	mrs	x9, CurrentEL
	cmp	x9, #(2 << 2)
	b.ne	park
	adrp	x9, hyp_vectors
	add	x9, x9, :lo12:hyp_vectors
	msr	vbar_el2, x9
	isb
	bl	set_cpu_stack
	bl	mmu_enable
	b	hyp_main_secondary
	.size secondary_entry, . - secondary_entry

/* sp = top of this CPU's stack; parks CPUs whose MPIDR is not
 * 0.0.0.n with n < HYP_MAX_CPUS.  Clobbers x9-x11. */
	.type set_cpu_stack, %function
set_cpu_stack:
	mrs	x9, mpidr_el1
	ldr	x10, =MPIDR_AFF_MASK
	and	x10, x9, x10
	and	x11, x9, #0xff
	cmp	x10, x11
	b.ne	park
	cmp	x11, #HYP_MAX_CPUS
	b.hs	park
	adrp	x10, hyp_stacks
	add	x10, x10, :lo12:hyp_stacks
	add	x11, x11, #1
	mov	x9, #HYP_STACK_SIZE
	madd	x10, x11, x9, x10
	mov	sp, x10
	ret
	.size set_cpu_stack, . - set_cpu_stack

	.globl park
	.type park, %function
park:
	wfi
	b	park
	.size park, . - park

/* void hyp_enter_el1(uint64_t entry, uint64_t arg0, uint64_t arg1,
 *                    uint64_t stack_top)
 * Leaves the hypervisor for EL1h with interrupts masked, at entry with x0 =
 * arg0 and x1 = arg1, every other general register zero.  The EL2 stack
 * restarts at stack_top: from now on this CPU only comes back to EL2
 * through the exception vectors, which build their frame there. */
	.text
	.globl hyp_enter_el1
	.type hyp_enter_el1, %function
hyp_enter_el1:
	mov	sp, x3
	msr	elr_el2, x0
	mov	x9, #SPSR_EL1H_MASKED
	msr	spsr_el2, x9
	mov	x0, x1
	mov	x1, x2
	mov	x2, xzr
	mov	x3, xzr
	mov	x4, xzr
	mov	x5, xzr
	mov	x6, xzr
	mov	x7, xzr
	mov	x8, xzr
	mov	x9, xzr
	mov	x10, xzr
	mov	x11, xzr
	mov	x12, xzr
	mov	x13, xzr
	mov	x14, xzr
	mov	x15, xzr
	mov	x16, xzr
	mov	x17, xzr
	mov	x18, xzr
	mov	x19, xzr
	mov	x20, xzr
	mov	x21, xzr
	mov	x22, xzr
	mov	x23, xzr
	mov	x24, xzr
	mov	x25, xzr
	mov	x26, xzr
	mov	x27, xzr
	mov	x28, xzr
	mov	x29, xzr
	mov	x30, xzr
	eret
	.size hyp_enter_el1, . - hyp_enter_el1
