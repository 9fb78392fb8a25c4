/* See fuzz_lifetime.h.  A thread waits on a pidfd of the engine: no
 * polling, and nothing on the fuzzing path. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "engines/fuzz_lifetime.h"

static void *watch(void *arg)
{
	struct pollfd p = { .fd = (int)(long)arg, .events = POLLIN };
	while (poll(&p, 1, -1) < 0 && errno == EINTR)
		;
	_exit(0);
}

void fuzz_follow_engine(void)
{
	const char *v = getenv("ISOFUZZ_ENGINE_PID");
	long engine = v ? strtol(v, NULL, 10) : 0;
	if (engine <= 0 || engine == (long)getpid())
		return;
#ifdef SYS_pidfd_open
	int fd = (int)syscall(SYS_pidfd_open, (pid_t)engine, 0);
	if (fd < 0) {
		if (errno == ESRCH)
			_exit(0); /* gone before we started */
		return;
	}
	pthread_t t;
	if (pthread_create(&t, NULL, watch, (void *)(long)fd) == 0)
		pthread_detach(t);
#endif
}
