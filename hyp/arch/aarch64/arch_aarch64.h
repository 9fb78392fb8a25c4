/* What the boot code tells the arch layer about the machine. */
#ifndef ARCH_AARCH64_ARCH_AARCH64_H
#define ARCH_AARCH64_ARCH_AARCH64_H

#include <stdbool.h>
#include <stdint.h>

/* Exit statuses of a run, as the host sees QEMU exit. */
#define HYP_EXIT_PASS 0
#define HYP_EXIT_FAIL 1
#define HYP_EXIT_PANIC 2

/* Number of CPUs present and the VMID width (8 or 16 bits).  Called once
 * by the boot CPU before KCore is set up. */
void arch_aarch64_boot(unsigned ncpus, unsigned vmid_bits);

/* End the run with this status, printing it first; the test runner checks
 * both.  Any CPU may call it. */
_Noreturn void hyp_exit(unsigned status);

/* The command line without the program name: the test, then key=value
 * options ("" before boot reads it). */
const char *hyp_cmdline_args(void);

/* True if [pa, pa + len) lies in RAM. */
bool arch_is_ram(uint64_t pa, uint64_t len);

#endif
