/* AFL++ entry point: persistent mode with test cases in shared memory.
 * Built with afl-clang-fast, which defines the __AFL_* macros. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "fuzz_one.h"

#ifndef __AFL_FUZZ_TESTCASE_LEN
#error "build this file with afl-clang-fast or afl-clang-lto"
#endif

__AFL_FUZZ_INIT();

int main(void)
{
	if (fuzz_init() != 0)
		return 2;
#ifdef __AFL_HAVE_MANUAL_CONTROL
	__AFL_INIT();
#endif
	unsigned char *buf = __AFL_FUZZ_TESTCASE_BUF;
	while (__AFL_LOOP(100000)) {
		size_t len = (size_t)__AFL_FUZZ_TESTCASE_LEN;
		fuzz_one(buf, len);
	}
	return 0;
}
