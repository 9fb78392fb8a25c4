/* A small test framework: one binary holds many cases; meson registers each
 * case as its own test by passing its name, so `meson test` counts cases.
 *
 *   TEST(walk_block) { CHECK_EQ(1, 1); }
 *   static const struct test_case cases[] = { CASE(walk_block), };
 *   int main(int argc, char **argv) { return test_main(argc, argv, cases, N_CASES(cases)); }
 *
 * With no argument every case runs.  A failed CHECK prints file:line and the
 * values, and fails the case.
 */
#ifndef TESTS_CHECK_H
#define TESTS_CHECK_H

#include <inttypes.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct test_case {
	const char *name;
	void (*fn)(void);
};

#define TEST(name) static void test_##name(void)
#define CASE(name) { #name, test_##name }
#define N_CASES(a) (sizeof(a) / sizeof((a)[0]))

extern jmp_buf check_fail_jmp;

#define CHECK_FAIL_(...)                                   \
	do {                                                   \
		fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);    \
		fprintf(stderr, __VA_ARGS__);                      \
		fputc('\n', stderr);                               \
		longjmp(check_fail_jmp, 1);                        \
	} while (0)

#define CHECK(cond)                                        \
	do {                                                   \
		if (!(cond))                                       \
			CHECK_FAIL_("check failed: %s", #cond);        \
	} while (0)

#define CHECK_EQ(a, b)                                                     \
	do {                                                                   \
		uint64_t a_ = (uint64_t)(a), b_ = (uint64_t)(b);                   \
		if (a_ != b_)                                                      \
			CHECK_FAIL_("%s == %s: 0x%" PRIx64 " != 0x%" PRIx64, #a, #b, a_, b_); \
	} while (0)

#define CHECK_STR_EQ(a, b)                                                 \
	do {                                                                   \
		const char *a_ = (a), *b_ = (b);                                   \
		if (strcmp(a_, b_) != 0)                                           \
			CHECK_FAIL_("%s == %s: \"%s\" != \"%s\"", #a, #b, a_, b_);      \
	} while (0)

int test_main(int argc, char **argv, const struct test_case *cases, size_t n);

#endif
