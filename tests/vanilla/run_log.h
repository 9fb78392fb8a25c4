/* A record of everything one run of a script observed (return values,
 * faults, values read), so the same script run on two targets can be
 * compared step by step.  EXPECT also checks a value on the spot, naming
 * the target, so a script cannot pass on two targets that are wrong in
 * the same way. */
#ifndef TESTS_VANILLA_RUN_LOG_H
#define TESTS_VANILLA_RUN_LOG_H

#include <stdint.h>

#include "check.h"

#define RUN_LOG_MAX 4096

struct run_log {
	unsigned n;
	int64_t value[RUN_LOG_MAX];
	int line[RUN_LOG_MAX];
};

/* The log REC and EXPECT append to. */
void run_log_start(struct run_log *log);
int64_t run_log_add(int64_t value, int line);
/* Called by EXPECT on a mismatch: names the target, fails the case. */
_Noreturn void run_log_mismatch(const char *what, int line, int64_t got, int64_t want);
/* CHECK-fails at the first step where the two logs differ. */
void run_log_compare(const struct run_log *a, const char *a_name,
		     const struct run_log *b, const char *b_name);

#define REC(expr) run_log_add((int64_t)(expr), __LINE__)
#define EXPECT(expr, want)                                                  \
	do {                                                                \
		int64_t got_ = REC(expr), want_ = (int64_t)(want);          \
		if (got_ != want_)                                          \
			run_log_mismatch(#expr, __LINE__, got_, want_);     \
	} while (0)

#endif
