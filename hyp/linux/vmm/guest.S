/* The guest the VMM runs: a command loop at EL1 with its MMU off, so every
 * address is an IPA.  It asks for each command by reading the command
 * page, which no memory slot backs: every access there exits to the VMM
 * (KVM_EXIT_MMIO), which answers it.  State lives in x19 and up: an HVC
 * may clobber x0-x17.
 *
 *   read  [CMD+0]  the operation (GUEST_OP_*)
 *   read  [CMD+8]  the address
 *   read  [CMD+16] the value
 *   write [CMD+24] the value a read found
 *   write [CMD+32] an exception the guest took (ESR_EL1)
 *
 * The cost operations bracket one event with HINT #0x7a / #0x7b, which
 * the EL2-cost plugin takes as the start and end of a window. */
#include "guest_abi.h"

	.text
	.balign 2048
	.globl guest_start
guest_start:
	b	guest_main
	.balign 2048
guest_vectors:
	.rept 16
	b	guest_exception
	.balign 128
	.endr
guest_exception:
	/* An access the guest cannot make (an IPA past its address size):
	 * report the syndrome and go on after the instruction. */
	mrs	x24, esr_el1
	str	x24, [x19, #GUEST_CMD_EXCEPTION]
	mrs	x24, elr_el1
	add	x24, x24, #4
	msr	elr_el1, x24
	eret

guest_main:
	adr	x24, guest_vectors
	msr	vbar_el1, x24
	isb
	mov	x19, #GUEST_CMD_IPA
next:
	ldr	x20, [x19, #GUEST_CMD_OP]
	ldr	x21, [x19, #GUEST_CMD_ADDR]
	ldr	x22, [x19, #GUEST_CMD_VAL]
	cmp	x20, #GUEST_OP_READ
	b.eq	op_read
	cmp	x20, #GUEST_OP_WRITE
	b.eq	op_write
	cmp	x20, #GUEST_OP_POWER_OFF
	b.eq	op_power_off
	cmp	x20, #GUEST_OP_COST_HVC
	b.eq	op_cost_hvc
	cmp	x20, #GUEST_OP_COST_TOUCH
	b.eq	op_cost_touch
	cmp	x20, #GUEST_OP_COST_MMIO
	b.eq	op_cost_mmio
	cmp	x20, #GUEST_OP_FILL
	b.eq	op_fill
	b	next
op_read:
	mov	x23, #0
	ldr	x23, [x21]
	str	x23, [x19, #GUEST_CMD_RESULT]
	b	next
op_write:
	str	x22, [x21]
	b	next
op_power_off:
	mov	x0, #0x0008
	movk	x0, #0x8400, lsl #16	/* PSCI SYSTEM_OFF */
	hvc	#0
	b	op_power_off
op_cost_hvc:
	mov	x0, #0
	movk	x0, #0x8400, lsl #16	/* PSCI_VERSION: handled in the kernel */
	hint	#0x7a
	hvc	#0
	hint	#0x7b
	b	next
op_cost_touch:
	hint	#0x7a
	ldr	x23, [x21]		/* a page no one has touched yet */
	hint	#0x7b
	b	next
op_cost_mmio:
	hint	#0x7a
	ldr	x23, [x19, #GUEST_CMD_PROBE]	/* exits to the VMM and back */
	hint	#0x7b
	b	next
op_fill:
	/* the value is the VMM's xor GUEST_FILL_MASK: the filled value
	 * never exists in the VMM's memory, so a scan for it finds only
	 * what the guest wrote */
	mov	x24, #(GUEST_FILL_MASK & 0xffff)
	movk	x24, #((GUEST_FILL_MASK >> 16) & 0xffff), lsl #16
	movk	x24, #((GUEST_FILL_MASK >> 32) & 0xffff), lsl #32
	movk	x24, #((GUEST_FILL_MASK >> 48) & 0xffff), lsl #48
	eor	x23, x22, x24
	mov	x25, #512
1:	str	x23, [x21], #8
	subs	x25, x25, #1
	b.ne	1b
	mov	x23, #0
	b	next
	.globl guest_end
guest_end:
