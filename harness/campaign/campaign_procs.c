/* Engine processes.  Each engine runs in its own process group, so one
 * signal reaches it and every worker it forks; it dies with the campaign
 * (a parent-death signal), and whatever is left in its group when it
 * ends is killed, so no job outlives the session.
 *
 * A parent-death signal reaches only the engine itself: libFuzzer's fork
 * jobs are grandchildren (through sh), and would run on for their whole
 * job time.  So a guard process, forked once, holds the read end of a
 * pipe from the campaign: when the campaign dies, however it dies, the
 * pipe closes and the guard kills every engine group still registered.
 * Workers that leave the group (AFL++'s fork server calls setsid) set
 * their own parent-death signal in the fuzz target, and the target's
 * processes that are not the engine's children (libFuzzer's jobs, through
 * sh) follow the engine named in ISOFUZZ_ENGINE_PID (fuzz_lifetime.h):
 * a kill -9 of every process of the campaign leaves none it had not yet
 * listed. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "campaign/campaign.h"

/* How long an engine may take to save its state after SIGTERM before its
 * whole group is killed: short enough that a stop takes under 2 s. */
#define STOP_GRACE_MS 700

static int guard_fd = -1;

/* The guard's loop: a positive number registers an engine group, a
 * negative one forgets it (reaped), end of file kills what is left. */
static void guard(int fd)
{
	int groups[64] = { 0 };
	int g;
	while (read(fd, &g, sizeof(g)) == (ssize_t)sizeof(g)) {
		for (unsigned i = 0; i < 64; i++)
			if (g > 0 ? groups[i] == 0 : groups[i] == -g) {
				groups[i] = g > 0 ? g : 0;
				break;
			}
	}
	for (unsigned i = 0; i < 64; i++)
		if (groups[i] > 0)
			kill(-groups[i], SIGKILL);
	_exit(0);
}

static void guard_tell(int g)
{
	if (guard_fd >= 0 && write(guard_fd, &g, sizeof(g)) != (ssize_t)sizeof(g)) {
		close(guard_fd);
		guard_fd = -1;
	}
}

static void guard_start(void)
{
	int fds[2];
	if (guard_fd >= 0 || pipe2(fds, O_CLOEXEC) != 0)
		return;
	pid_t pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return;
	}
	if (pid == 0) {
		/* ignore the stop signals the campaign handles: it lives until
		 * the campaign does, and no longer */
		signal(SIGINT, SIG_IGN);
		signal(SIGTERM, SIG_IGN);
		signal(SIGHUP, SIG_IGN);
		/* nothing of the campaign's open files: a reader of its
		 * output sees the end when the campaign ends */
		if (fds[0] != 3)
			dup2(fds[0], 3);
		close_range(4, ~0U, 0);
		int null = open("/dev/null", O_RDWR);
		for (int fd = 0; fd < 3 && null >= 0; fd++)
			dup2(null, fd);
		if (null > 3)
			close(null);
		guard(3);
	}
	close(fds[0]);
	guard_fd = fds[1];
}

int campaign_spawn(char *const argv[], int log_fd, int *out_pipe)
{
	guard_start();
	int fds[2] = { -1, -1 };
	if (out_pipe && pipe2(fds, O_CLOEXEC) != 0)
		return -1;
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(127);
		/* the target's processes follow the engine (fuzz_lifetime.h) */
		char self[32];
		snprintf(self, sizeof(self), "%ld", (long)getpid());
		setenv("ISOFUZZ_ENGINE_PID", self, 1);
		/* the campaign's own handlers are not the engine's */
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		int fd = out_pipe ? fds[1] : log_fd;
		if (fd >= 0) {
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
		}
		int null = open("/dev/null", O_RDONLY);
		if (null >= 0)
			dup2(null, STDIN_FILENO);
		execvp(argv[0], argv);
		fprintf(stderr, "isofuzz run: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid);
	guard_tell(pid);
	if (out_pipe) {
		close(fds[1]);
		*out_pipe = fds[0];
	}
	return pid;
}

bool campaign_reap(int pid, bool block, int *status)
{
	siginfo_t info;
	memset(&info, 0, sizeof(info));
	int flags = WEXITED | WNOWAIT | (block ? 0 : WNOHANG);
	while (waitid(P_PID, (id_t)pid, &info, flags) != 0)
		if (errno != EINTR)
			return true;
	if (info.si_pid == 0)
		return false;
	/* The leader is a zombie, so its group id cannot be reused yet:
	 * anything still in the group is a leftover job. */
	kill(-pid, SIGKILL);
	guard_tell(-pid);
	int st = 0;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (status)
		*status = st;
	return true;
}

void campaign_stop_children(int *pids, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (pids[i] > 0)
			kill(-pids[i], SIGTERM);
	for (unsigned waited = 0; waited < STOP_GRACE_MS; waited += 20) {
		unsigned alive = 0;
		for (unsigned i = 0; i < n; i++) {
			if (pids[i] > 0 && campaign_reap(pids[i], false, NULL))
				pids[i] = -1;
			alive += pids[i] > 0;
		}
		if (!alive)
			return;
		usleep(20000);
	}
	for (unsigned i = 0; i < n; i++)
		if (pids[i] > 0) {
			kill(-pids[i], SIGKILL);
			campaign_reap(pids[i], true, NULL);
			pids[i] = -1;
		}
}
