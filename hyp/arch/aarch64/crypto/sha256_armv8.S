/* SHA-256 blocks with the Armv8 SHA-2 instructions (FEAT_SHA256).
 *
 *   void sha256_armv8_blocks(uint32_t h[8], const uint8_t *blocks,
 *                            size_t nblocks, const uint32_t k[64]);
 *
 * SHA256H and SHA256H2 do four rounds on the halves abcd and efgh of the
 * state (a in lane 0), from four W+K words; SHA256SU0 and SHA256SU1 make
 * the next four schedule words from the sixteen before them (FIPS 180-4
 * 6.2.2).  The rest of the image never touches FP/SIMD registers, and
 * neither EL2's trap entry nor the world switch saves them: they hold the
 * host's (or a guest's) values, so every vector register used here is
 * saved on the stack first and restored before returning.
 *
 * Registers: v0/v1 state abcd/efgh, v2/v3 their values at the block's
 * start, v4-v7 the schedule (four words each, rotating), v16 W+K, v17 abcd
 * before the rounds (SHA256H2 needs it), v18 four round constants.
 */
	.arch_extension sha2
	.text

/* Four rounds from schedule register w0; with sched=1 also the schedule
 * words twelve rounds on (w0 <- W[t+16..t+19] from w0..w3). */
.macro rounds4 w0, w1, w2, w3, sched
	ld1	{v18.4s}, [x4], #16
	add	v16.4s, \w0\().4s, v18.4s
	.if \sched
	sha256su0	\w0\().4s, \w1\().4s
	.endif
	mov	v17.16b, v0.16b
	sha256h	q0, q1, v16.4s
	sha256h2	q1, q17, v16.4s
	.if \sched
	sha256su1	\w0\().4s, \w2\().4s, \w3\().4s
	.endif
.endm

	.global	sha256_armv8_blocks
	.type	sha256_armv8_blocks, %function
	.balign	16
sha256_armv8_blocks:
	cbz	x2, 3f
	sub	sp, sp, #176
	stp	q0, q1, [sp]
	stp	q2, q3, [sp, #32]
	stp	q4, q5, [sp, #64]
	stp	q6, q7, [sp, #96]
	stp	q16, q17, [sp, #128]
	str	q18, [sp, #160]

	ld1	{v0.4s, v1.4s}, [x0]
1:	mov	x4, x3
	ld1	{v4.16b, v5.16b, v6.16b, v7.16b}, [x1], #64
	rev32	v4.16b, v4.16b		/* the message's words are big-endian */
	rev32	v5.16b, v5.16b
	rev32	v6.16b, v6.16b
	rev32	v7.16b, v7.16b
	mov	v2.16b, v0.16b
	mov	v3.16b, v1.16b

	.rept	3
	rounds4	v4, v5, v6, v7, 1
	rounds4	v5, v6, v7, v4, 1
	rounds4	v6, v7, v4, v5, 1
	rounds4	v7, v4, v5, v6, 1
	.endr
	rounds4	v4, v5, v6, v7, 0
	rounds4	v5, v6, v7, v4, 0
	rounds4	v6, v7, v4, v5, 0
	rounds4	v7, v4, v5, v6, 0

	add	v0.4s, v0.4s, v2.4s
	add	v1.4s, v1.4s, v3.4s
	subs	x2, x2, #1
	b.ne	1b
	st1	{v0.4s, v1.4s}, [x0]

	ldp	q0, q1, [sp]
	ldp	q2, q3, [sp, #32]
	ldp	q4, q5, [sp, #64]
	ldp	q6, q7, [sp, #96]
	ldp	q16, q17, [sp, #128]
	ldr	q18, [sp, #160]
	add	sp, sp, #176
3:	ret
	.size	sha256_armv8_blocks, . - sha256_armv8_blocks
