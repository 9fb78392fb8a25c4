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
 *   (kept open by a dup before the fork server starts): after an input
 *   it writes a "still alive" (stopped) status, as the fork server would,
 *   and with it its pid for the next request, which afl-fuzz reads only
 *   after sending that request; then it waits for the request.  The fork
 *   server only waits for it to die: a crash or a kill mid-input ends it,
 *   and the fork server reports that death and forks a fresh process for
 *   the next request, as it does for any child.  Two wake-ups per input.
 *   A violation is not a death here: the process answers it as the fork
 *   server would answer its abort (a wait status of death by SIGABRT)
 *   and lives on to take the next request.  afl-fuzz reads one pid and
 *   one status per request, so it cannot tell; and a violation, frequent
 *   on the vanilla target, costs no new process, whose first input would
 *   copy on write every page it touches.
 *
 * Direct needs afl-fuzz's timeout kill to land on the right input: a
 * kill can come just after the answer (late), or, since afl-fuzz has the
 * pid before the process has read the request, before the process takes
 * the input it is meant for (early).  A death after an answered input
 * would make the fork server write a second status and shift every later
 * answer by one; an early kill ignored would leave a hang unbounded.  So
 * the process only takes inputs itself when the timeout signal is one it
 * can catch (AFL_KILL_SIGNAL; the campaign sets a real-time signal, which
 * the kernel queues instead of merging): caught mid-input, the process
 * dies (SIGKILL) and the fork server reports it; caught between inputs,
 * it is counted, and a request that says the input before timed out
 * accounts for one such (late) kill; any more was meant for the input
 * just requested, and the process dies before running it.  With SIGKILL
 * (afl-fuzz's default, and afl-showmap's) the persistent loop runs.
 *
 * A freshly forked process's first answer must also come after the pid
 * the fork server writes for that input, which it writes after the fork,
 * with nothing to order it against the child: a fork server preempted
 * just after the fork would let a quick first input's status reach
 * afl-fuzz first, to be read as the pid (a kill aimed at pid 0x137f) and
 * the pid as the status (a clean input read as a crash), every later
 * word one off.  Nothing tells the child that write is done but the fork
 * server's own state: with this child alive, it sleeps only in waitpid,
 * which it enters right after the write; so the first answer waits until
 * /proc shows it asleep. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
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

/* Whether no input is in flight (its status written or about to be),
 * and how many timeout signals came then. */
static volatile sig_atomic_t between_inputs, kills_between;

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
	if (!between_inputs)
		raise(SIGKILL);
	kills_between++;
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

static int read_word(int fd, uint32_t *word)
{
	for (;;) {
		ssize_t n = read(fd, word, sizeof(*word));
		if (n == (ssize_t)sizeof(*word))
			return 0;
		if (n < 0 && errno == EINTR)
			continue;
		return -1;
	}
}

/* The fork server's stat file, opened before it forks; -1 without /proc. */
static int open_fork_server_stat(void)
{
	char path[40];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)getpid());
	return open(path, O_RDONLY | O_CLOEXEC);
}

/* The state letter of /proc/PID/stat, the field after the name's ')'. */
static char process_state(int stat_fd)
{
	char text[512];
	ssize_t n = pread(stat_fd, text, sizeof(text) - 1, 0);
	if (n <= 0)
		return 0;
	text[n] = '\0';
	char *name_end = strrchr(text, ')');
	return name_end && name_end[1] == ' ' ? name_end[2] : 0;
}

/* Returns once the fork server has written this process's pid: when it
 * sleeps ('S'), in waitpid for this process.  Running, preempted or in
 * the pipe's lock it shows 'R' or 'D'. */
static void await_fork_server_in_waitpid(int stat_fd)
{
	for (unsigned tries = 0;; tries++) {
		char state = process_state(stat_fd);
		if (state == 'S')
			return;
		if (!state || state == 'Z' || state == 'X')
			_exit(0); /* the fork server is gone */
		if (tries < 64)
			sched_yield();
		else
			nanosleep(&(struct timespec){ .tv_nsec = 100000 }, NULL);
	}
}

/* Takes every input: the first, whose request the fork server read and
 * answers with this process's pid after forking it (server_stat, open:
 * the answer waits for that pid), and every next. */
static void direct_loop(int ctl, int st, int sig, int server_stat, unsigned char *buf)
{
	struct sigaction sa = { .sa_handler = on_timeout_signal, .sa_flags = SA_RESTART };
	sigemptyset(&sa.sa_mask);
	between_inputs = 0;
	sigaction(sig, &sa, NULL);
	uint32_t answer[2] = { 0, (uint32_t)getpid() }, timed_out;
	for (;;) {
		__afl_area_ptr[0] = 1;
		bool violated = fuzz_one_reported(buf, (size_t)__AFL_FUZZ_TESTCASE_LEN, NULL, 0);
		/* a violation: the status of a death by abort, but alive */
		answer[0] = (uint32_t)(violated ? W_EXITCODE(0, SIGABRT) : W_STOPCODE(SIGSTOP));
		between_inputs = 1;
		if (server_stat >= 0) {
			await_fork_server_in_waitpid(server_stat);
			close(server_stat);
			server_stat = -1;
		}
		/* 8 bytes: one write, never split in a pipe */
		if (write(st, answer, sizeof(answer)) != (ssize_t)sizeof(answer) || read_word(ctl, &timed_out) != 0)
			_exit(0); /* afl-fuzz is gone */
		/* every late kill of the input before came before this request */
		between_inputs = 0;
		if (kills_between > (timed_out != 0))
			raise(SIGKILL); /* an early kill: this input timed out */
		kills_between = 0;
	}
}

int main(void)
{
	die_with_parent(); /* the fork server, child of afl-fuzz */
	if (fuzz_init() != 0)
		return 2;
	int sig = catchable_kill_signal();
	int ctl = sig ? dup(FORKSRV_CTL_FD) : -1, st = sig ? dup(FORKSRV_ST_FD) : -1;
	int server_stat = sig ? open_fork_server_stat() : -1;
	pid_t before = getpid();
#ifdef __AFL_HAVE_MANUAL_CONTROL
	__AFL_INIT();
#endif
	die_with_parent(); /* each child the fork server forks */
	unsigned char *buf = __AFL_FUZZ_TESTCASE_BUF;
	/* forked by a fork server, with its pipes and a catchable timeout */
	if (ctl >= 0 && st >= 0 && server_stat >= 0 && getpid() != before)
		direct_loop(ctl, st, sig, server_stat, buf);
	if (server_stat >= 0)
		close(server_stat);
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
