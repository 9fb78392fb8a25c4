/* Running QEMU as a child process (qemu_proc.h). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "replay/qemu_proc.h"

#define POLL_NS 20000000L /* 20 ms between looks at QEMU */

void qemu_proc_exec(const char *who, const char *console, const char *const *argv)
{
	int fd = open(console, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	int null = open("/dev/null", O_RDONLY);

	if (fd < 0 || null < 0 || dup2(null, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
		_exit(127);
	execvp(argv[0], (char *const *)argv);
	fprintf(stderr, "%s: cannot run %s: %s\n", who, argv[0], strerror(errno));
	_exit(127);
}

int qemu_proc_wait(pid_t pid, unsigned timeout_s, bool *timed_out)
{
	const struct timespec pause = { 0, POLL_NS };
	unsigned long polls = 0, limit = (unsigned long)timeout_s * (1000000000L / POLL_NS);
	int status = 0;

	*timed_out = false;
	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			return status;
		if (r < 0 && errno != EINTR)
			return -1;
		if (++polls > limit) {
			*timed_out = true;
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return status;
		}
		nanosleep(&pause, NULL);
	}
}
