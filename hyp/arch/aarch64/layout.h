/* The physical layout of QEMU's "virt" board as this image uses it.
 *
 * RAM starts at 0x40000000 (the board's fixed RAM base); its size is what
 * the image is run with (-m 128M).  QEMU puts the device tree at the start
 * of RAM, so the hypervisor is linked above it; KCore's region follows the
 * hypervisor image; the EL1 host is linked at HOST_BASE and receives its
 * boot arguments in the page below it.  Everything from KCore's region to
 * the end of RAM is the RAM KCore manages.
 */
#ifndef ARCH_AARCH64_LAYOUT_H
#define ARCH_AARCH64_LAYOUT_H

#define RAM_BASE 0x40000000ull
#define RAM_SIZE (128ull << 20)
#define RAM_END (RAM_BASE + RAM_SIZE)

/* The low GiB holds the board's devices (GIC, PL011, RTC, fw_cfg...). */
#define DEVICE_BASE 0x0ull
#define DEVICE_SIZE (1ull << 30)

#define UART_BASE 0x09000000ull
/* MMIO KServ and VMs may map: the PL011 page and three pages above it. */
#define MMIO_BASE UART_BASE
#define MMIO_PAGES 4ull

#define HOST_BASE 0x44000000ull
#define HOST_ARGS_PA (HOST_BASE - 0x1000ull)

#endif
