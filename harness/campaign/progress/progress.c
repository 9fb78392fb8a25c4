/* The live progress line: redrawn in place on a terminal, printed as
 * periodic lines into logs and pipes. */
#include <stdio.h>
#include <unistd.h>

#include "campaign/progress/progress.h"

void progress_init(struct progress *p, unsigned budget_seconds)
{
	*p = (struct progress){ .tty = isatty(STDOUT_FILENO) == 1, .coverage_name = "cov" };
	/* about twenty lines per campaign in a log, but not one a second */
	p->interval = budget_seconds / 20 < 10 ? 10 : budget_seconds / 20;
}

static void hms(char *buf, size_t n, uint64_t s)
{
	snprintf(buf, n, "%llu:%02llu:%02llu", (unsigned long long)(s / 3600), (unsigned long long)(s / 60 % 60),
		 (unsigned long long)(s % 60));
}

/* 1234 as "1234", 1234567 as "1.23M": the line must stay short. */
static void count(char *buf, size_t n, uint64_t v)
{
	if (v >= 10000000)
		snprintf(buf, n, "%.1fM", (double)v / 1e6);
	else if (v >= 1000000)
		snprintf(buf, n, "%.2fM", (double)v / 1e6);
	else
		snprintf(buf, n, "%llu", (unsigned long long)v);
}

void progress_format_waiting(char *buf, size_t n, uint64_t elapsed, uint64_t left, const char *why)
{
	char e[32], l[32];
	hms(e, sizeof(e), elapsed);
	hms(l, sizeof(l), left);
	snprintf(buf, n, "elapsed %s  left %s | waiting for the engine's first statistics%s%s", e, l, why ? ": " : "",
		 why ? why : "");
}

uint64_t progress_rate(uint64_t total_execs, uint64_t seconds)
{
	return seconds ? total_execs / seconds : 0;
}

void progress_format(char *buf, size_t n, uint64_t elapsed, uint64_t left, uint64_t total_execs,
		     const char *coverage_name, const struct engine_stats *s)
{
	char e[32], l[32], x[32];
	hms(e, sizeof(e), elapsed);
	hms(l, sizeof(l), left);
	count(x, sizeof(x), total_execs);
	if (!s->valid) {
		progress_format_waiting(buf, n, elapsed, left, NULL);
		return;
	}
	snprintf(buf, n, "elapsed %s  left %s | %llu execs/s | %s %llu | corpus %llu | crashes %llu | %s execs", e, l,
		 (unsigned long long)progress_rate(total_execs, elapsed), coverage_name,
		 (unsigned long long)s->coverage,
		 (unsigned long long)s->corpus, (unsigned long long)s->crashes, x);
}

void progress_show(struct progress *p, uint64_t elapsed, uint64_t left, uint64_t total_execs,
		   const struct engine_stats *s, bool force)
{
	if (!p->tty && !force && elapsed < p->last_line + p->interval)
		return;
	char line[256];
	if (s->valid)
		progress_format(line, sizeof(line), elapsed, left, total_execs,
				p->coverage_name ? p->coverage_name : "cov", s);
	else
		progress_format_waiting(line, sizeof(line), elapsed, left, p->waiting);
	if (p->tty) {
		/* \r and erase-to-end: the line shrinks as well as grows */
		printf("\r%s\033[K", line);
		p->drawn = true;
	} else {
		printf("progress: %s\n", line);
	}
	p->last_line = elapsed;
	fflush(stdout);
}

void progress_done(struct progress *p)
{
	if (p->tty && p->drawn)
		printf("\n");
	p->drawn = false;
	fflush(stdout);
}
