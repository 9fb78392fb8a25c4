/* Ticket spinlock (struct arch_spinlock in arch/types.h).
 *
 * The owner half-word sits at offset 0 and the next-ticket half-word at
 * offset 2, so on a little-endian CPU the 32-bit word at offset 0 holds
 * both: one exclusive load/store pair takes a ticket (adding 1 << 16) and
 * reads the current owner in the same access.  Tickets are served in
 * order, so no CPU starves.  Waiters sleep in WFE: the releasing store
 * clears their exclusive monitor, which is a wake-up event.
 */
	.text

	/* void arch_spin_lock(struct arch_spinlock *l) */
	.globl arch_spin_lock
	.type arch_spin_lock, %function
arch_spin_lock:
1:	ldaxr	w1, [x0]
	add	w2, w1, #0x10000
	stxr	w3, w2, [x0]
	cbnz	w3, 1b
	/* w1 = owner | my_ticket << 16 */
	lsr	w4, w1, #16
	and	w5, w1, #0xffff
	cmp	w4, w5
	b.eq	3f
	sevl
2:	wfe
	ldaxrh	w5, [x0]
	cmp	w4, w5
	b.ne	2b
3:	ret
	.size arch_spin_lock, . - arch_spin_lock

	/* void arch_spin_unlock(struct arch_spinlock *l): only the holder
	 * writes the owner half-word, so a plain increment suffices; the
	 * release store orders the critical section before it. */
	.globl arch_spin_unlock
	.type arch_spin_unlock, %function
arch_spin_unlock:
	ldrh	w1, [x0]
	add	w1, w1, #1
	stlrh	w1, [x0]
	ret
	.size arch_spin_unlock, . - arch_spin_unlock
