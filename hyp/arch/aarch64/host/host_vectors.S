/* EL1 vectors of the host and its fault-tolerant accesses.
 *
 * host_probe_read64/host_probe_write64 make one access that may fault:
 * the hypervisor refuses a stage-2 fault by injecting a synchronous abort,
 * which arrives here.  If it interrupted one of the two probe instructions,
 * the handler resumes at that probe's fixup, which returns ESR_EL1 (never
 * 0) instead of 0.  Any other exception is a bug in the host or in the
 * hypervisor: it is reported and the run fails.
 */
	.text

	/* uint64_t host_probe_read64(uint64_t va, uint64_t *val) */
	.globl host_probe_read64
	.type host_probe_read64, %function
host_probe_read64:
probe_read_insn:
	ldr	x2, [x0]
	str	x2, [x1]
	mov	x0, #0
	ret
probe_read_fixup:
	mrs	x0, esr_el1
	ret
	.size host_probe_read64, . - host_probe_read64

	/* uint64_t host_probe_write64(uint64_t va, uint64_t val) */
	.globl host_probe_write64
	.type host_probe_write64, %function
host_probe_write64:
probe_write_insn:
	str	x1, [x0]
	mov	x0, #0
	ret
probe_write_fixup:
	mrs	x0, esr_el1
	ret
	.size host_probe_write64, . - host_probe_write64

.macro bad_entry kind
	.balign 0x80
	mov	x0, #\kind
	b	host_bad_vector
.endm

	.balign 0x800
	.globl host_vectors
host_vectors:
	bad_entry 0
	bad_entry 1
	bad_entry 2
	bad_entry 3
	/* Current EL with SP_EL1: where the host runs. */
	.balign 0x80
	b	el1_sync
	bad_entry 5
	bad_entry 6
	bad_entry 7
	bad_entry 8
	bad_entry 9
	bad_entry 10
	bad_entry 11
	bad_entry 12
	bad_entry 13
	bad_entry 14
	bad_entry 15

el1_sync:
	stp	x0, x1, [sp, #-16]!
	mrs	x0, elr_el1
	adr	x1, probe_read_insn
	cmp	x0, x1
	b.eq	1f
	adr	x1, probe_write_insn
	cmp	x0, x1
	b.eq	2f
	ldp	x0, x1, [sp], #16
	mov	x0, #4
	b	host_bad_vector
1:	adr	x1, probe_read_fixup
	b	3f
2:	adr	x1, probe_write_fixup
3:	msr	elr_el1, x1
	ldp	x0, x1, [sp], #16
	eret

	/* x0 = vector kind; x0 is lost, which is acceptable for a report. */
host_bad_vector:
	mrs	x1, esr_el1
	mrs	x2, elr_el1
	mrs	x3, far_el1
	mov	x4, x30
	bl	host_bad_exception
	b	.
