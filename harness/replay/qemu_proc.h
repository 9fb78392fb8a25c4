/* Running QEMU as a child process: its console to a file, a watchdog. */
#ifndef HARNESS_QEMU_PROC_H
#define HARNESS_QEMU_PROC_H
#include <stdbool.h>
#include <sys/types.h>

/* In the forked child: stdin from /dev/null, stdout and stderr to console,
 * then exec argv.  Never returns (exit 127 if QEMU cannot be run). */
_Noreturn void qemu_proc_exec(const char *who, const char *console, const char *const *argv);

/* Wait for pid, killing it after timeout_s: a watchdog only, the results
 * never depend on time.  Returns its wait status, or -1. */
int qemu_proc_wait(pid_t pid, unsigned timeout_s, bool *timed_out);

#endif
