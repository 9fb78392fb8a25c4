/* Entry of the EL1 host.  The hypervisor enters every CPU here at EL1 with
 * the MMU off, x0 = boot arguments, x1 = CPU index.  The boot CPU clears
 * .bss and builds the stage-1 tables; the others wait until it releases
 * them, then turn on their MMU with the same tables. */
#include "host_defs.h"

	.section .text.boot, "ax"
	.globl _start
	.type _start, %function
_start:
	mov	x19, x0
	mov	x20, x1
	cmp	x20, #HOST_MAX_CPUS
	b.hs	host_park

	adrp	x9, host_stacks
	add	x9, x9, :lo12:host_stacks
	add	x10, x20, #1
	mov	x11, #HOST_STACK_SIZE
	madd	x9, x10, x11, x9
	mov	sp, x9

	adrp	x9, host_vectors
	add	x9, x9, :lo12:host_vectors
	msr	vbar_el1, x9
	isb

	cbnz	x20, secondary

	/* Nothing lives in .bss yet: the other CPUs only hold their stack
	 * pointer until released. */
	adrp	x9, __host_bss_start
	add	x9, x9, :lo12:__host_bss_start
	adrp	x10, __host_bss_end
	add	x10, x10, :lo12:__host_bss_end
1:	cmp	x9, x10
	b.hs	2f
	stp	xzr, xzr, [x9], #16
	b	1b
2:	bl	host_mmu_build
	bl	host_mmu_enable

	/* The waiting CPUs read with their MMU off, past the caches: clean
	 * the flag to the point of coherency. */
	adrp	x9, host_release
	add	x9, x9, :lo12:host_release
	mov	w10, #1
	stlr	w10, [x9]
	dc	civac, x9
	dsb	sy
	sev

	mov	x0, x19
	mov	x1, x20
	bl	host_main
	b	host_park

secondary:
	adrp	x9, host_release
	add	x9, x9, :lo12:host_release
3:	ldar	w10, [x9]
	cbnz	w10, 4f
	wfe
	b	3b
4:	bl	host_mmu_enable
	mov	x0, x19
	mov	x1, x20
	bl	host_secondary_main
	b	host_park
	.size _start, . - _start

	.type host_park, %function
host_park:
	wfi
	b	host_park
	.size host_park, . - host_park

	.data
	.balign 64
	.globl host_release
host_release:
	.word	0
	.balign 64
