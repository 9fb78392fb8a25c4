/* Arm semihosting (QEMU -semihosting): the run's command line in, the
 * verdict out. */
#ifndef ARCH_AARCH64_SEMIHOST_H
#define ARCH_AARCH64_SEMIHOST_H

#include <stddef.h>

/* Copy the command line (NUL-terminated) into buf; 0 on success, -1 if
 * the debugger has none or it does not fit. */
int semihost_cmdline(char *buf, size_t len);

/* Files on the machine running QEMU.  open returns a handle >= 0 or -1;
 * mode is the semihosting one (SEMIHOST_RB, SEMIHOST_WB).  read and write
 * return the bytes moved (a short count at the end of a file), or -1. */
#define SEMIHOST_RB 1
#define SEMIHOST_WB 5
long semihost_open(const char *path, unsigned mode);
long semihost_flen(long handle);
long semihost_read(long handle, void *buf, size_t len);
long semihost_write(long handle, const void *buf, size_t len);

/* End the run: QEMU exits with status. */
_Noreturn void semihost_exit(unsigned status);

#endif
