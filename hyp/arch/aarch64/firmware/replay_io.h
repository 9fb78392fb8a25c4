/* The replay's input and output: files on the machine running QEMU, named
 * on the command line as in=PATH and out=PATH and reached by semihosting.
 * The whole input is read into REPLAY_INPUT_BASE (layout.h), above the
 * hypervisor, on first use; output is written as it comes, so whatever a
 * run reported survives a crash. */
#ifndef ARCH_AARCH64_REPLAY_IO_H
#define ARCH_AARCH64_REPLAY_IO_H

#include <stdint.h>

/* 0 and the input's size, or PLAT_E_NO_INPUT. */
int64_t replay_input_size(uint64_t *size);
/* The three 64-bit words at offset (zero past the end; offset is rounded
 * down to 8). */
int64_t replay_input_read(uint64_t offset, uint64_t w[3]);
int64_t replay_output(const uint64_t w[3]);

#endif
