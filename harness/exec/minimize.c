/* Delta debugging over steps (chunks halving down to single steps), then
 * over the schedule, repeated until nothing more can go. */
#include "exec/minimize.h"

#include <string.h>

#include "exec/exec.h"

struct mini {
	enum violation_kind kind;
	unsigned runs, max_runs;
};

static bool still_fails(struct mini *m, const struct program *p)
{
	static struct exec_result r;
	if (m->runs >= m->max_runs)
		return false;
	m->runs++;
	return exec_run(p, &r) && r.v.kind == m->kind;
}

static bool drop_steps(struct mini *m, struct program *p, unsigned at, unsigned n)
{
	static struct program t;
	t = *p;
	memmove(&t.step[at], &t.step[at + n], (t.nsteps - at - n) * sizeof(t.step[0]));
	t.nsteps -= n;
	if (!still_fails(m, &t))
		return false;
	*p = t;
	return true;
}

static bool drop_choices(struct mini *m, struct program *p, unsigned at, unsigned n)
{
	static struct program t;
	t = *p;
	memmove(&t.sched[at], &t.sched[at + n], t.nsched - at - n);
	t.nsched -= n;
	if (!still_fails(m, &t))
		return false;
	*p = t;
	return true;
}

/* One pass of chunk removal over count items; true if anything went. */
static bool pass(struct mini *m, struct program *p, bool steps)
{
	bool progress = false;
	unsigned count = steps ? p->nsteps : p->nsched;
	for (unsigned chunk = count / 2 ? count / 2 : 1; chunk >= 1; chunk /= 2) {
		for (unsigned at = 0; at + chunk <= (steps ? p->nsteps : p->nsched);) {
			bool ok = steps ? drop_steps(m, p, at, chunk) : drop_choices(m, p, at, chunk);
			if (ok)
				progress = true;
			else
				at += chunk;
			if (m->runs >= m->max_runs)
				return progress;
		}
		if (chunk == 1)
			break;
	}
	return progress;
}

/* Fewer CPUs: fold every step onto the CPUs below n. */
static void fewer_cpus(struct mini *m, struct program *p)
{
	static struct program t;
	while (p->ncpus > 1) {
		t = *p;
		t.ncpus--;
		for (unsigned i = 0; i < t.nsteps; i++)
			t.step[i].cpu %= t.ncpus;
		if (!still_fails(m, &t))
			return;
		*p = t;
	}
}

bool minimize_program(struct program *p, enum violation_kind kind, unsigned max_runs,
		      struct minimize_stats *st)
{
	struct mini m = { .kind = kind, .max_runs = max_runs };
	memset(st, 0, sizeof(*st));
	st->steps_before = p->nsteps;
	st->sched_before = p->nsched;
	if (!still_fails(&m, p))
		return false;
	bool progress = true;
	while (progress && m.runs < m.max_runs) {
		progress = pass(&m, p, true);
		progress |= pass(&m, p, false);
	}
	fewer_cpus(&m, p);
	st->runs = m.runs;
	st->steps_after = p->nsteps;
	st->sched_after = p->nsched;
	return true;
}
