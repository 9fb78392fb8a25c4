/* AFL++ entry point: persistent mode with test cases in shared memory.
 * Built with afl-clang-fast, which defines the __AFL_* macros. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "engines/fuzz_one.h"

#ifndef __AFL_FUZZ_TESTCASE_LEN
#error "build this file with afl-clang-fast or afl-clang-lto"
#endif

__AFL_FUZZ_INIT();

/* The fork server leaves afl-fuzz's process group (setsid) and the
 * persistent child stops itself between inputs: when its parent dies,
 * nothing else would end it, and a stopped process waits forever. */
static void die_with_parent(void)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() == 1)
		_exit(0);
}

int main(void)
{
	die_with_parent(); /* the fork server, child of afl-fuzz */
	if (fuzz_init() != 0)
		return 2;
#ifdef __AFL_HAVE_MANUAL_CONTROL
	__AFL_INIT();
#endif
	die_with_parent(); /* each child the fork server forks */
	unsigned char *buf = __AFL_FUZZ_TESTCASE_BUF;
	while (__AFL_LOOP(100000)) {
		size_t len = (size_t)__AFL_FUZZ_TESTCASE_LEN;
		fuzz_one(buf, len);
	}
	return 0;
}
