/* Program to canonical text: config first, steps in order with their
 * arguments in table order, the schedule last. */
#include "program/text/text.h"

#include <inttypes.h>
#include <stdarg.h>

#include "program/text/text_images.h"

#define SCHED_PER_LINE 32

/* vsnprintf at buf + *len, counting the full length as snprintf does even
 * once buf is full. */
static int append(char *buf, size_t cap, int *len, const char *fmt, ...)
{
	size_t off = (size_t)*len < cap ? (size_t)*len : cap;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf ? buf + off : NULL, cap - off, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	*len += n;
	return 0;
}

int program_format_step(char *buf, size_t cap, const struct program_step *s,
			const struct program_images *images)
{
	const struct step_info *info = program_step_info(s->kind);
	int len = 0, rc = 0;

	if (!info)
		return -1;
	rc |= append(buf, cap, &len, "cpu%u %s", s->cpu, info->name);
	for (unsigned i = 0; i < PROGRAM_MAX_ARGS; i++) {
		const struct step_arg_info *a = &info->arg[i];
		const char *img = a->type == ARG_IMG ? text_image_name(images, s->arg[i]) : NULL;

		if (a->type == ARG_NONE)
			break;
		if (a->type == ARG_FLAG) {
			if (s->arg[i])
				rc |= append(buf, cap, &len, " %s", a->name);
		} else if (img) {
			rc |= append(buf, cap, &len, " %s=%s", a->name, img);
		} else if (program_arg_type_info(a->type)->hex) {
			rc |= append(buf, cap, &len, " %s=0x%" PRIx64, a->name, s->arg[i]);
		} else {
			rc |= append(buf, cap, &len, " %s=%" PRIu64, a->name, s->arg[i]);
		}
	}
	return rc < 0 ? -1 : len;
}

static int print_schedule(FILE *f, const struct program *p)
{
	for (unsigned i = 0; i < p->nsched; i++) {
		const char *sep = i % SCHED_PER_LINE == 0 ? "schedule " : " ";
		const char *end = (i + 1) % SCHED_PER_LINE == 0 || i + 1 == p->nsched ? "\n" : "";
		if (fprintf(f, "%s%u%s", sep, p->sched[i], end) < 0)
			return -1;
	}
	return 0;
}

int program_print(FILE *f, const struct program *p, const struct program_images *images)
{
	char line[256];

	if (program_check(p))
		return -1;
	if (fprintf(f, "config cpus=%u", p->ncpus) < 0)
		return -1;
	for (unsigned i = 0; i < PROGRAM_NCAPS; i++) {
		uint32_t v = program_cap_get(&p->caps, i);
		if (v && fprintf(f, " %s=%u", program_cap_info(i)->name, v) < 0)
			return -1;
	}
	if (fputc('\n', f) == EOF)
		return -1;
	for (unsigned i = 0; i < p->nsteps; i++) {
		int n = program_format_step(line, sizeof(line), &p->step[i], images);
		if (n < 0 || (size_t)n >= sizeof(line) || fprintf(f, "%s\n", line) < 0)
			return -1;
	}
	if (print_schedule(f, p) < 0)
		return -1;
	return fflush(f) == 0 ? 0 : -1;
}
