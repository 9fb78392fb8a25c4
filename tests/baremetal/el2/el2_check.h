/* Checks for tests that run at EL2: a failed check reports file, line and
 * values and leaves the test function with HYP_EXIT_FAIL. */
#ifndef EL2_CHECK_H
#define EL2_CHECK_H

#include <stdint.h>

#include "arch_aarch64.h"
#include "lib/console.h"

#define ECHECK(cond)                                                                  \
	do {                                                                          \
		if (!(cond)) {                                                        \
			kprintf("isofuzz-hyp: %s:%d: check failed: %s\n", __FILE__,   \
				__LINE__, #cond);                                     \
			return HYP_EXIT_FAIL;                                         \
		}                                                                     \
	} while (0)

#define ECHECK_EQ(a, b)                                                               \
	do {                                                                          \
		uint64_t a_ = (uint64_t)(a), b_ = (uint64_t)(b);                      \
		if (a_ != b_) {                                                       \
			kprintf("isofuzz-hyp: %s:%d: check failed: %s == %s: 0x%lx != 0x%lx\n", \
				__FILE__, __LINE__, #a, #b, a_, b_);                  \
			return HYP_EXIT_FAIL;                                         \
		}                                                                     \
	} while (0)

/* Run a sub-check returning a status; stop at the first failure. */
#define ERUN(call)                                                                    \
	do {                                                                          \
		unsigned s_ = (call);                                                 \
		if (s_ != HYP_EXIT_PASS)                                              \
			return s_;                                                    \
	} while (0)

#endif
