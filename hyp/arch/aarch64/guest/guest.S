/* The guest program: one page of position-independent code that runs at
 * EL1 inside a VM, with its MMU off, wherever its page is mapped.
 *
 * It carries out the commands the platform hands it (guest_abi.h) and
 * reports each result: the value read or the hypercall's answer in x1,
 * and in x2/x3 the syndrome and address of an exception its own access
 * raised at EL1 (an address the stage-1 cannot reach, an external abort
 * from a device).  Stage-2 faults never reach it: the hypervisor takes
 * them, records them for the command and skips the access, which then
 * reads as zero.  It uses no memory of its own, so any page can hold it.
 */
#include "guest_abi.h"
#include "traps/platform_call.h"

	.section .text.guest, "ax"
	.globl guest_start
guest_start:
	adr	x9, guest_vectors
	msr	vbar_el1, x9
	isb

next:
	ldr	x0, =PLAT_GUEST_WAIT
	hvc	#0
	mov	x4, x0
	mov	x10, xzr		/* ESR of a fault at EL1, set by the vectors */
	mov	x11, xzr		/* its FAR */
	mov	x3, xzr			/* a faulting load leaves this */
	cmp	x4, #GUEST_CMD_READ
	b.eq	do_read
	cmp	x4, #GUEST_CMD_WRITE
	b.eq	do_write
	cmp	x4, #GUEST_CMD_CALL
	b.eq	do_call
	cmp	x4, #GUEST_CMD_POWER_OFF
	b.eq	do_power_off
	b	report			/* an unknown command does nothing */

do_read:
	ldr	x3, [x1]
	b	report

do_write:
	str	x2, [x1]
	mov	x3, xzr
	b	report

do_call:
	mov	x0, x1
	mov	x1, x2
	hvc	#0
	mov	x3, x0
	b	report

do_power_off:
	ldr	x0, =PSCI_0_2_SYSTEM_OFF
	hvc	#0
	mov	x3, x0			/* only if KCore refused */

report:
	ldr	x0, =PLAT_GUEST_DONE
	mov	x1, x3
	mov	x2, x10
	mov	x3, x11
	hvc	#0
	b	next

/* Any exception taken at EL1: note its syndrome and address, and go on
 * after the instruction that raised it. */
el1_exception:
	mrs	x10, esr_el1
	mrs	x11, far_el1
	mrs	x12, elr_el1
	add	x12, x12, #4
	msr	elr_el1, x12
	eret

	.ltorg

.macro vector
	.balign 0x80
	b	el1_exception
.endm

	.org GUEST_VECTORS_OFFSET
guest_vectors:
	.rept 16
	vector
	.endr
	.balign 4096
