#include "exec/machine/sched.h"

#include <stdint.h>
#include <stdlib.h>

#include "exec/machine/coro.h"
#include "sim/machine.h"

#define CORO_STACK (256u * 1024u)

struct cpu_queue {
	uint16_t step[PROGRAM_MAX_STEPS]; /* indexes of this CPU's steps */
	unsigned n, pos;
	bool in_step;
};

static struct {
	const struct program *p;
	sched_step_fn step;
	sched_deadlock_fn deadlock;
	sched_resume_fn resume;
	void *ctx;
	unsigned next_choice;
	unsigned cur, next;
	bool stop;
	unsigned spins; /* contended scheduling points since the last progress */
	uint32_t runnable; /* CPUs in a step or with steps left */
	uint64_t switches; /* hash of every CPU switch: where the interleaving went */
	struct cpu_queue q[ARCH_MAX_CPUS];
	struct coro *co[ARCH_MAX_CPUS];
} S;

int sched_setup(void)
{
	for (unsigned c = 0; c < ARCH_MAX_CPUS; c++) {
		if (!S.co[c])
			S.co[c] = coro_create(CORO_STACK);
		if (!S.co[c])
			return -1;
	}
	return 0;
}

void sched_teardown(void)
{
	for (unsigned c = 0; c < ARCH_MAX_CPUS; c++) {
		coro_destroy(S.co[c]);
		S.co[c] = NULL;
	}
}

/* Kept as the queues move (queue_steps, cpu_main): asked at every
 * scheduling point. */
static uint32_t runnable(void)
{
	return S.runnable;
}

static unsigned lowest(uint32_t mask)
{
	return (unsigned)__builtin_ctz(mask);
}

/* The first CPU of mask after cur, cyclically: waiting CPUs take turns, so
 * the holder of the lock they wait for gets to run. */
static unsigned after(unsigned cur, uint32_t mask)
{
	uint32_t above = mask & ~((2u << cur) - 1);
	return above ? lowest(above) : lowest(mask);
}

/* Every CPU has waited this often in a row: nobody can make progress. */
#define DEADLOCK_SPINS 100000u

/* The next schedule choice among mask, or -1 when the choices ran out. */
static int take_choice(uint32_t mask)
{
	if (S.next_choice >= S.p->nsched)
		return -1;
	return (int)program_sched_pick(S.p->sched[S.next_choice++], mask);
}

_Noreturn void sched_abandon(void)
{
	S.stop = true;
	for (;;)
		coro_yield(); /* the scheduler never resumes a stopped run */
}

void sched_stop(void)
{
	S.stop = true;
}

uint64_t sched_switch_hash(void)
{
	return S.switches;
}

bool sched_in_cpu(void)
{
	return coro_current() != NULL;
}

/* Without schedule choices: a step that has begun (say, one that waited
 * for a lock) finishes first; then steps start in the order they are
 * listed, so a text program reads as the trace it produces. */
static int earliest_pending(void)
{
	int best = -1;
	unsigned best_idx = ~0u;
	for (unsigned c = 0; c < S.p->ncpus; c++)
		if (S.q[c].in_step)
			return (int)c;
	for (unsigned c = 0; c < S.p->ncpus; c++) {
		const struct cpu_queue *q = &S.q[c];
		if (q->pos < q->n && q->step[q->pos] < best_idx) {
			best_idx = q->step[q->pos];
			best = (int)c;
		}
	}
	return best;
}

/* A scheduling point on the running CPU.  contended: it cannot make
 * progress (waiting for a lock), so another CPU must run.  step_start: the
 * CPU is about to start its next step. */
static void sched_point(bool contended, bool step_start)
{
	if (S.stop)
		sched_abandon();
	/* The common case, once the program's choices are used up: an
	 * ordinary point where nothing would switch. */
	if (!contended && !step_start && S.next_choice >= S.p->nsched) {
		S.spins = 0;
		return;
	}
	uint32_t mask = runnable();
	if (contended)
		mask &= ~(1u << S.cur);
	S.spins = contended ? S.spins + 1 : 0;
	if (contended && (mask == 0 || S.spins > DEADLOCK_SPINS)) {
		S.deadlock(S.ctx);
		sched_abandon();
	}
	if (mask == 0)
		return;
	int pick = take_choice(mask);
	if (pick < 0 && contended)
		pick = (int)after(S.cur, mask);
	else if (pick < 0 && step_start)
		pick = earliest_pending();
	if (pick < 0)
		return;
	if ((unsigned)pick == S.cur)
		return;
	S.switches = (S.switches ^ ((uint64_t)pick << 32 | S.next_choice)) * 0x100000001b3ull;
	S.next = (unsigned)pick;
	coro_yield();
	if (S.stop)
		sched_abandon();
}

static void on_yield(void *ctx, enum sim_yield_reason why)
{
	(void)ctx;
	if (coro_current())
		sched_point(why == SIM_YIELD_CONTENDED, false);
}

static void cpu_main(void *arg)
{
	struct cpu_queue *q = arg;
	while (q->pos < q->n) {
		sched_point(false, true);
		q->in_step = true;
		S.step(S.ctx, q->step[q->pos]);
		q->in_step = false;
		q->pos++;
	}
	S.runnable &= ~(1u << (unsigned)(q - S.q));
}

static void queue_steps(const struct program *p)
{
	for (unsigned c = 0; c < ARCH_MAX_CPUS; c++)
		S.q[c] = (struct cpu_queue){ .n = 0 };
	for (unsigned i = 0; i < p->nsteps; i++) {
		struct cpu_queue *q = &S.q[p->step[i].cpu];
		q->step[q->n++] = (uint16_t)i;
	}
	S.runnable = 0;
	for (unsigned c = 0; c < p->ncpus; c++)
		if (S.q[c].n)
			S.runnable |= 1u << c;
}

void sched_run(const struct program *p, const struct sched_hooks *h, void *ctx)
{
	S.p = p;
	S.step = h->step;
	S.deadlock = h->deadlock;
	S.resume = h->resume;
	S.ctx = ctx;
	S.next_choice = 0;
	S.stop = false;
	S.spins = 0;
	S.switches = 0xcbf29ce484222325ull;
	queue_steps(p);
	for (unsigned c = 0; c < p->ncpus; c++)
		coro_start(S.co[c], cpu_main, &S.q[c]);
	sim_set_yield_hook(on_yield, NULL);

	uint32_t mask = runnable();
	int first = mask ? take_choice(mask) : -1;
	if (first < 0)
		first = earliest_pending();
	S.cur = first >= 0 ? (unsigned)first : 0;
	while (!S.stop && (mask = runnable()) != 0) {
		if (!(mask & (1u << S.cur)))
			S.cur = lowest(mask);
		S.next = S.cur;
		sim_set_cpu(S.cur);
		if (S.q[S.cur].in_step && S.resume)
			S.resume(S.ctx, S.q[S.cur].step[S.q[S.cur].pos]);
		if (coro_resume(S.co[S.cur])) {
			/* this CPU finished its steps: the next choice (or the
			 * lowest CPU with work) continues */
			mask = runnable();
			int pick = mask ? take_choice(mask) : -1;
			if (pick < 0)
				pick = earliest_pending();
			if (pick >= 0)
				S.cur = (unsigned)pick;
			continue;
		}
		S.cur = S.next;
	}
	sim_set_yield_hook(NULL, NULL);
}
