/* The physical layout of QEMU's "virt" board as this image uses it.
 *
 * RAM starts at 0x40000000 (the board's fixed RAM base); its size is what
 * the image is run with (-m 128M).  KCore manages the first 64 MiB, with
 * its own region at the start: the machine model's default layout, so a
 * program's addresses mean the same pages on both (isofuzz replay-qemu
 * relies on it).  QEMU's device tree also lands at the start of RAM; no
 * one reads it, and KCore's region replaces it.  The EL1 host lives in a
 * fixed range of that RAM, where none of the programs' operand pools point.
 * The hypervisor is linked above KCore's RAM, so KServ's stage-2 can never
 * map it, and the replay input it reads lies above the hypervisor.
 */
#ifndef ARCH_AARCH64_LAYOUT_H
#define ARCH_AARCH64_LAYOUT_H

#define RAM_BASE 0x40000000ull
#define RAM_SIZE (128ull << 20)
#define RAM_END (RAM_BASE + RAM_SIZE)

/* The RAM KCore manages (kcore_boot.ram_*). */
#define KRAM_BASE RAM_BASE
#define KRAM_SIZE (64ull << 20)
#define KRAM_END (KRAM_BASE + KRAM_SIZE)

/* The low GiB holds the board's devices (GIC, PL011, RTC, fw_cfg...). */
#define DEVICE_BASE 0x0ull
#define DEVICE_SIZE (1ull << 30)

#define UART_BASE 0x09000000ull
/* MMIO KServ and VMs may map: the PL011 page and three pages above it. */
#define MMIO_BASE UART_BASE
#define MMIO_PAGES 4ull

/* The EL1 host: its boot arguments, its image, then pages it hands out,
 * all inside one 4 MiB range of KServ's RAM. */
#define HOST_REGION_BASE 0x41000000ull
#define HOST_REGION_SIZE (4ull << 20)
#define HOST_ARGS_PA HOST_REGION_BASE
#define HOST_BASE (HOST_REGION_BASE + 0x1000ull)

/* The hypervisor image, then the buffer the replay input is read into. */
#define HYP_BASE KRAM_END
#define REPLAY_INPUT_BASE 0x45000000ull
#define REPLAY_INPUT_MAX (32ull << 20)

#endif
