/* Programs as values: construction, validity, equality, and the meaning of
 * a schedule choice. */
#include "program/program.h"

#include <string.h>

void program_init(struct program *p)
{
	p->ncpus = PROGRAM_DEFAULT_CPUS;
	memset(&p->caps, 0, sizeof(p->caps));
	p->nsteps = 0;
	p->nsched = 0;
}

const char *program_check_step(const struct program *p, const struct program_step *s)
{
	const struct step_info *info = program_step_info(s->kind);

	if (!info)
		return "unknown step kind";
	if (s->cpu >= p->ncpus)
		return "cpu beyond the config";
	for (unsigned i = 0; i < PROGRAM_MAX_ARGS; i++) {
		const struct arg_type_info *t = program_arg_type_info(info->arg[i].type);
		/* Unused operands are zero so that equal programs compare equal
		 * field by field and encode to the same bytes. */
		if (s->arg[i] > t->max)
			return info->arg[i].type == ARG_NONE ? "unused argument not zero"
							     : "argument out of range";
	}
	return 0;
}

const char *program_check(const struct program *p)
{
	if (p->ncpus < 1 || p->ncpus > ARCH_MAX_CPUS)
		return "cpu count out of range";
	if (!kcore_caps_valid(&p->caps))
		return "capacity out of range";
	if (p->nsteps > PROGRAM_MAX_STEPS)
		return "too many steps";
	if (p->nsched > PROGRAM_MAX_SCHEDULE)
		return "schedule too long";
	for (unsigned i = 0; i < p->nsteps; i++) {
		const char *why = program_check_step(p, &p->step[i]);
		if (why)
			return why;
	}
	return 0;
}

int program_append(struct program *p, const struct program_step *s)
{
	if (p->nsteps >= PROGRAM_MAX_STEPS || program_check_step(p, s))
		return -1;
	p->step[p->nsteps++] = *s;
	return 0;
}

bool program_step_equal(const struct program_step *a, const struct program_step *b)
{
	if (a->kind != b->kind || a->cpu != b->cpu)
		return false;
	for (unsigned i = 0; i < PROGRAM_MAX_ARGS; i++)
		if (a->arg[i] != b->arg[i])
			return false;
	return true;
}

bool program_equal(const struct program *a, const struct program *b)
{
	if (a->ncpus != b->ncpus || a->nsteps != b->nsteps || a->nsched != b->nsched)
		return false;
	for (unsigned i = 0; i < PROGRAM_NCAPS; i++)
		if (program_cap_get(&a->caps, i) != program_cap_get(&b->caps, i))
			return false;
	for (unsigned i = 0; i < a->nsteps; i++)
		if (!program_step_equal(&a->step[i], &b->step[i]))
			return false;
	for (unsigned i = 0; i < a->nsched; i++)
		if (a->sched[i] != b->sched[i])
			return false;
	return true;
}

unsigned program_sched_pick(uint8_t choice, uint32_t runnable)
{
	unsigned n = 0, k;

	for (uint32_t m = runnable; m; m &= m - 1)
		n++;
	if (n == 0)
		return 0;
	k = choice % n;
	for (unsigned cpu = 0;; cpu++) {
		if (!(runnable & (1u << cpu)))
			continue;
		if (k-- == 0)
			return cpu;
	}
}
