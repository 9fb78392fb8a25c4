/* What the VMM and its guest (guest.S) agree on. */
#ifndef LINUX_VMM_GUEST_ABI_H
#define LINUX_VMM_GUEST_ABI_H

/* The guest's code page and its command page (no memory slot: MMIO).
 * Both lie outside every IPA a program names (harness/program/PROGRAM.md). */
#define GUEST_CODE_IPA 0x10000000
#define GUEST_CMD_IPA 0x20000000

#define GUEST_CMD_OP 0
#define GUEST_CMD_ADDR 8
#define GUEST_CMD_VAL 16
#define GUEST_CMD_RESULT 24
#define GUEST_CMD_EXCEPTION 32
#define GUEST_CMD_PROBE 40

#define GUEST_OP_READ 1
#define GUEST_OP_WRITE 2
#define GUEST_OP_POWER_OFF 3
#define GUEST_OP_COST_HVC 4
#define GUEST_OP_COST_TOUCH 5
#define GUEST_OP_COST_MMIO 6
#define GUEST_OP_FILL 7          /* fill the page at the address with value ^ GUEST_FILL_MASK */

#define GUEST_FILL_MASK 0xa5c396e10f1e2d3c

#endif
