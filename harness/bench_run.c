/* One measurement: a child process sets up the machine for a
 * configuration, runs a chunk of the inputs and reports through a pipe.
 * Only the runs are timed, not the machine's setup.  Benchmarks are the
 * one place besides campaign budgets where the harness reads a clock. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "exec.h"

struct chunk_result {
	uint64_t execs, violations, nanoseconds;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Every step folded onto the forced CPU count. */
static void force_cpus(struct program *p, unsigned ncpus)
{
	p->ncpus = ncpus;
	for (unsigned i = 0; i < p->nsteps; i++)
		p->step[i].cpu %= ncpus;
}

static struct chunk_result run_chunk(const struct bench_config *c, const struct bench_inputs *in,
				     unsigned first, unsigned count)
{
	static struct program p;
	static struct exec_result r;
	struct chunk_result res = { 0 };

	/* One untimed run first: a fresh process's first reset walks every
	 * page array whole and faults its memory in, which a campaign pays
	 * once, not per input. */
	p = in->prog[first % in->n];
	if (c->ncpus)
		force_cpus(&p, c->ncpus);
	exec_run(&p, &r);
	for (unsigned k = 0; k < count; k++) {
		p = in->prog[(first + k) % in->n];
		if (c->ncpus)
			force_cpus(&p, c->ncpus);
		uint64_t t0 = now_ns();
		res.violations += exec_run(&p, &r);
		res.nanoseconds += now_ns() - t0;
		res.execs++;
	}
	return res;
}

static void child(int fd, const struct bench_config *c, const struct bench_inputs *in,
		  unsigned first, unsigned count)
{
	struct exec_options opt = { .target = &target_kcore, .oracles = c->oracles,
				    .ram_bytes = c->ram_bytes };

	if (exec_setup(&opt) != 0)
		_exit(3);
	struct chunk_result res = run_chunk(c, in, first, count);
	exec_teardown();
	_exit(write(fd, &res, sizeof(res)) == (ssize_t)sizeof(res) ? 0 : 4);
}

int bench_run_chunk(struct bench_config *c, const struct bench_inputs *in, unsigned first,
		    unsigned count)
{
	int fds[2];
	struct chunk_result res;

	if (pipe(fds) != 0)
		return -1;
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		child(fds[1], c, in, first, count);
	}
	close(fds[1]);
	ssize_t got;
	do
		got = read(fds[0], &res, sizeof(res));
	while (got < 0 && errno == EINTR);
	close(fds[0]);
	int st;
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0 ||
	    got != (ssize_t)sizeof(res)) {
		fprintf(stderr, "isofuzz bench: the run for %s failed\n", c->name);
		return -1;
	}
	c->execs += res.execs;
	c->violations += res.violations;
	c->nanoseconds += res.nanoseconds;
	return 0;
}
