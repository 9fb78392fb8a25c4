/* Arm semihosting (QEMU -semihosting): the run's command line in, the
 * verdict out. */
#ifndef ARCH_AARCH64_SEMIHOST_H
#define ARCH_AARCH64_SEMIHOST_H

#include <stddef.h>

/* Copy the command line (NUL-terminated) into buf; 0 on success, -1 if
 * the debugger has none or it does not fit. */
int semihost_cmdline(char *buf, size_t len);

/* End the run: QEMU exits with status. */
_Noreturn void semihost_exit(unsigned status);

#endif
