/* Tests that run in the hypervisor itself, at EL2, instead of entering the
 * host: they exercise the platform (arch.h, locks, the DMA engine) with
 * nothing above it.  The image supplies the table (el2_tests[]). */
#ifndef ARCH_AARCH64_EL2_TEST_H
#define ARCH_AARCH64_EL2_TEST_H

#include <stdint.h>

struct el2_test {
	const char *name;
	/* Runs on the boot CPU once every CPU is up; returns the exit status
	 * (HYP_EXIT_PASS or HYP_EXIT_FAIL). */
	unsigned (*run)(void);
	/* Runs on every other CPU at the same time, or NULL. */
	void (*secondary)(unsigned cpu);
};

extern const struct el2_test el2_tests[];
extern const unsigned el2_test_count;

#endif
