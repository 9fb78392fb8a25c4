/* Console on the board's PL011 UART, shared by the hypervisor and the EL1
 * host (each links its own copy; the UART is at the same address in both
 * identity maps).  One kprintf call prints atomically with respect to the
 * other CPUs of the same side. */
#ifndef ARCH_AARCH64_CONSOLE_H
#define ARCH_AARCH64_CONSOLE_H

#include <stdarg.h>
#include <stdint.h>

/* Formats: %s %c %d %u %x %p, with an optional '0' pad and width and the
 * length modifiers l and ll (all integers are taken as 64-bit with l/ll,
 * 32-bit without). */
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kvprintf(const char *fmt, va_list ap);

/* Print without taking the console lock: for a panic, which may happen on
 * a CPU that already holds it. */
void kprintf_unlocked(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
