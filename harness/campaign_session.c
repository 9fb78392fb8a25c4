/* The session around an engine: the clock, stop requests, engine
 * processes and the bookkeeping done once a second. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "campaign.h"

static volatile sig_atomic_t stop_requested;

uint64_t campaign_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec;
}

static void on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

void campaign_catch_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

bool campaign_stop_requested(void)
{
	return stop_requested != 0;
}

void campaign_tick(struct campaign *c, const struct engine_stats *fresh)
{
	uint64_t now = campaign_now();
	c->st.spent = c->session_start + (now - c->clock_start);
	if (fresh && fresh->valid) {
		c->last = *fresh;
		campaign_stats_append(c, fresh, false);
	}
	campaign_state_save(c);
	uint64_t left = c->st.spent < c->st.budget ? c->st.budget - c->st.spent : 0;
	progress_show(&c->prog, c->st.spent, left, c->st.execs_before + c->last.execs, &c->last, false);
}

int campaign_spawn(char *const argv[], int log_fd, int *out_pipe)
{
	int fds[2] = { -1, -1 };
	if (out_pipe && pipe2(fds, O_CLOEXEC) != 0)
		return -1;
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		/* Its own process group, so one signal reaches the engine and
		 * every worker it forks; SIGTERM to it when we die. */
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != parent)
			_exit(127);
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
	if (out_pipe) {
		close(fds[1]);
		*out_pipe = fds[0];
	}
	return pid;
}

void campaign_stop_children(const int *pids, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (pids[i] > 0)
			kill(-pids[i], SIGTERM);
	/* Engines save their state on SIGTERM; give them ten seconds. */
	for (unsigned tries = 0; tries < 100; tries++) {
		unsigned alive = 0;
		for (unsigned i = 0; i < n; i++)
			if (pids[i] > 0 && waitpid(pids[i], NULL, WNOHANG) == 0)
				alive++;
		if (!alive)
			return;
		usleep(100000);
	}
	for (unsigned i = 0; i < n; i++)
		if (pids[i] > 0) {
			kill(-pids[i], SIGKILL);
			waitpid(pids[i], NULL, 0);
		}
}
