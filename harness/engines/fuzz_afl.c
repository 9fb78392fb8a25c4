/* AFL++ entry point: persistent mode with test cases in shared memory.
 * Built with afl-clang-fast, which defines the __AFL_* macros.
 *
 * Two ways to take inputs once the fork server has forked this process:
 *
 * - AFL++'s persistent loop (__AFL_LOOP): after each input the process
 *   stops itself (SIGSTOP), the fork server sees the stop in waitpid,
 *   tells afl-fuzz, reads the next request and resumes it (SIGCONT).
 *   Every input passes through three processes and four wake-ups.
 *
 * - Direct: the process answers afl-fuzz on the fork server's own pipes
 *   (kept open by a dup before the fork server starts): it reads the
 *   request, writes its pid, runs the input and writes a "still alive"
 *   (stopped) status, as the fork server would.  The fork server only
 *   waits for it to die: a crash or a kill mid-input ends it, and the
 *   fork server reports that death and forks a fresh process for the
 *   next request, as it does for any child.  Two wake-ups per input.
 *
 * Direct needs one guarantee: afl-fuzz kills the process on a timeout,
 * and a timeout can fire just as the process has written its status.
 * A death after an answered input would make the fork server write a
 * second status for it and shift every later answer by one.  So the
 * process only takes inputs itself when afl-fuzz's timeout signal is one
 * it can catch (AFL_KILL_SIGNAL, which the campaign sets): caught while
 * the input is unanswered, the process dies (SIGKILL) and the fork server
 * reports it; caught once the answer is written or being written, it is
 * ignored, and afl-fuzz reads that answer after its kill.  With SIGKILL
 * (afl-fuzz's default, and afl-showmap's) the persistent loop runs. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engines/fuzz_one.h"

#ifndef __AFL_FUZZ_TESTCASE_LEN
#error "build this file with afl-clang-fast or afl-clang-lto"
#endif

__AFL_FUZZ_INIT();

/* AFL++'s fork server pipes: requests in, pids and statuses out. */
enum { FORKSRV_CTL_FD = 198, FORKSRV_ST_FD = 199 };

/* The coverage map, AFL++'s runtime's. */
extern unsigned char *__afl_area_ptr;

/* Whether the input in flight has its status written (or about to be):
 * a timeout signal then is late and changes nothing. */
static volatile sig_atomic_t answered;

/* The fork server leaves afl-fuzz's process group (setsid) and the
 * persistent child stops itself between inputs: when its parent dies,
 * nothing else would end it, and a stopped process waits forever. */
static void die_with_parent(void)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() == 1)
		_exit(0);
}

static void on_timeout_signal(int sig)
{
	(void)sig;
	if (!answered)
		raise(SIGKILL);
}

/* afl-fuzz's timeout signal when the process can catch it, else 0. */
static int catchable_kill_signal(void)
{
	const char *s = getenv("AFL_KILL_SIGNAL");
	if (!s || !*s)
		return 0;
	char *end;
	long sig = strtol(s, &end, 10);
	if (*end || sig <= 0 || sig >= NSIG || sig == SIGKILL || sig == SIGSTOP)
		return 0;
	return (int)sig;
}

static int exact_io(ssize_t (*io)(int, void *, size_t), int fd, void *word)
{
	for (;;) {
		ssize_t n = io(fd, word, 4);
		if (n == 4)
			return 0;
		if (n < 0 && errno == EINTR)
			continue;
		return -1;
	}
}

static ssize_t write_word(int fd, void *word, size_t len)
{
	return write(fd, word, len);
}

/* Takes every input after the first request, which the fork server read
 * and answered with this process's pid before forking it. */
static void direct_loop(int ctl, int st, int sig, unsigned char *buf)
{
	struct sigaction sa = { .sa_handler = on_timeout_signal, .sa_flags = SA_RESTART };
	sigemptyset(&sa.sa_mask);
	answered = 0;
	sigaction(sig, &sa, NULL);
	uint32_t alive = (uint32_t)W_STOPCODE(SIGSTOP), request;
	int32_t self = (int32_t)getpid();
	for (;;) {
		__afl_area_ptr[0] = 1;
		fuzz_one(buf, (size_t)__AFL_FUZZ_TESTCASE_LEN);
		answered = 1;
		if (exact_io(write_word, st, &alive) != 0 || exact_io(read, ctl, &request) != 0)
			_exit(0); /* afl-fuzz is gone */
		answered = 0;
		if (exact_io(write_word, st, &self) != 0)
			_exit(0);
	}
}

int main(void)
{
	die_with_parent(); /* the fork server, child of afl-fuzz */
	if (fuzz_init() != 0)
		return 2;
	int sig = catchable_kill_signal();
	int ctl = sig ? dup(FORKSRV_CTL_FD) : -1, st = sig ? dup(FORKSRV_ST_FD) : -1;
	pid_t before = getpid();
#ifdef __AFL_HAVE_MANUAL_CONTROL
	__AFL_INIT();
#endif
	die_with_parent(); /* each child the fork server forks */
	unsigned char *buf = __AFL_FUZZ_TESTCASE_BUF;
	/* forked by a fork server, with its pipes and a catchable timeout */
	if (ctl >= 0 && st >= 0 && getpid() != before)
		direct_loop(ctl, st, sig, buf);
	if (ctl >= 0)
		close(ctl);
	if (st >= 0)
		close(st);
	while (__AFL_LOOP(100000)) {
		size_t len = (size_t)__AFL_FUZZ_TESTCASE_LEN;
		fuzz_one(buf, len);
	}
	return 0;
}
