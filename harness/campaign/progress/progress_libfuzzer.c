/* libFuzzer's statistics as it prints them on stderr.  In fork mode only
 * the parent's status lines count: its -print_final_stats block describes
 * the parent's own (empty) fuzzing loop, not the jobs. */
#include <stdlib.h>
#include <string.h>

#include "campaign/progress/progress.h"

/* The number right after `key` in line (skipping spaces), or false. */
static bool number_after(const char *line, const char *key, uint64_t *v)
{
	const char *p = strstr(line, key);
	if (!p)
		return false;
	p += strlen(key);
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p < '0' || *p > '9')
		return false;
	*v = strtoull(p, NULL, 10);
	return true;
}

bool progress_parse_libfuzzer(const char *line, struct engine_stats *s)
{
	if (line[0] != '#' || line[1] < '0' || line[1] > '9')
		return false;
	char *end;
	uint64_t execs = strtoull(line + 1, &end, 10);
	if (*end != ':' && *end != '\t' && *end != ' ')
		return false;
	uint64_t v;
	/* A line without coverage is some other message that starts with '#'. */
	if (!number_after(end, "cov:", &v))
		return false;
	s->execs = execs;
	s->coverage = v;
	if (number_after(end, "ft:", &v))
		s->features = v;
	if (number_after(end, "corp:", &v))
		s->corpus = v;
	/* "exec/s 235" from the fork parent, "exec/s: 235" from a worker */
	if (number_after(end, "exec/s:", &v) || number_after(end, "exec/s", &v))
		s->execs_per_sec = v;
	if (number_after(end, "time:", &v))
		s->engine_seconds = v;
	const char *ctr = strstr(end, "oom/timeout/crash:");
	if (ctr) {
		const char *last = strrchr(ctr, '/');
		if (last)
			s->crashes = strtoull(last + 1, NULL, 10);
	}
	s->valid = true;
	return true;
}
