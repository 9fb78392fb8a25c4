/* The measurements: one long-lived worker process per configuration sets
 * up its machine once, warms up on an untimed chunk, and then runs each
 * chunk the parent asks for, reporting through a pipe, as a fuzz target
 * runs input after input in one process.  Only the runs are timed.
 * Benchmarks are the one place besides campaign budgets where the harness
 * reads a clock. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench/bench.h"
#include "exec/exec.h"

struct chunk_request {
	unsigned first, count, reps;
};

struct chunk_result {
	uint64_t execs, violations, nanoseconds;
};

/* The worker's own CPU time: on a shared machine, time other processes
 * take from it is not its cost. */
static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
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
				     const struct chunk_request *q)
{
	static struct program p;
	static struct exec_result r;
	struct chunk_result res = { 0 };

	for (unsigned k = 0; k < q->count; k++) {
		const struct program *run = &in->prog[(q->first + k) % in->n];
		if (c->ncpus) { /* a copy only then: a program is large */
			p = *run;
			force_cpus(&p, c->ncpus);
			run = &p;
		}
		for (unsigned rep = 0; rep < q->reps; rep++) {
			uint64_t t0 = now_ns();
			res.violations += exec_run(run, &r);
			res.nanoseconds += now_ns() - t0;
			res.execs++;
		}
	}
	return res;
}

static bool read_all(int fd, void *buf, size_t n)
{
	ssize_t got;
	do
		got = read(fd, buf, n);
	while (got < 0 && errno == EINTR);
	return got == (ssize_t)n;
}

/* The worker: machine set up once, warmed up on the first inputs, then
 * requests until the parent closes the pipe. */
static _Noreturn void worker(int cmd, int res, const struct bench_config *c, const struct bench_inputs *in)
{
	struct exec_options opt = { .target = &target_kcore, .oracles = c->oracles, .ram_bytes = c->ram_bytes,
				    .strict_order = c->strict_order };
	struct chunk_request q;

	if (exec_setup(&opt) != 0)
		_exit(3);
	struct chunk_request warm = { 0, in->n < 32 ? in->n : 32, 1 };
	run_chunk(c, in, &warm);
	while (read_all(cmd, &q, sizeof(q))) {
		struct chunk_result r = run_chunk(c, in, &q);
		if (write(res, &r, sizeof(r)) != (ssize_t)sizeof(r))
			_exit(4);
	}
	exec_teardown();
	_exit(0);
}

int bench_worker_start(struct bench_config *c, const struct bench_inputs *in)
{
	int cmd[2], res[2];

	if (pipe(cmd) != 0)
		return -1;
	if (pipe(res) != 0) {
		close(cmd[0]);
		close(cmd[1]);
		return -1;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		/* only its own pipe ends: a worker holding another's command
		 * pipe open would keep that one from seeing the end */
		for (int fd = 3; fd < 1024; fd++)
			if (fd != cmd[0] && fd != res[1])
				close(fd);
		worker(cmd[0], res[1], c, in);
	}
	close(cmd[0]);
	close(res[1]);
	c->pid = pid;
	c->cmd_fd = cmd[1];
	c->res_fd = res[0];
	return 0;
}

int bench_run_chunk(struct bench_config *c, unsigned first, unsigned count, unsigned reps)
{
	struct chunk_request q = { first, count, reps ? reps : 1 };
	struct chunk_result r;

	if (write(c->cmd_fd, &q, sizeof(q)) != (ssize_t)sizeof(q) || !read_all(c->res_fd, &r, sizeof(r))) {
		fprintf(stderr, "isofuzz bench: the worker for %s failed\n", c->name);
		return -1;
	}
	c->execs += r.execs;
	c->violations += r.violations;
	c->nanoseconds += r.nanoseconds;
	return 0;
}

int bench_worker_stop(struct bench_config *c)
{
	int st;

	if (c->pid <= 0)
		return 0;
	close(c->cmd_fd);
	close(c->res_fd);
	pid_t pid = c->pid;
	c->pid = 0;
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return -1;
	return 0;
}
