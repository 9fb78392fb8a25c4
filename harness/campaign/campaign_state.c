/* What a campaign keeps between sessions: out/state and out/stats.csv. */
#define _GNU_SOURCE /* asprintf */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "campaign/campaign.h"

#define STATS_HEADER                                                                              \
	"session,elapsed,session_seconds,execs,total_execs,execs_per_sec,coverage,features,corpus,"     \
	"crashes,engine_seconds,final\n"

/* Checks one configuration line of an existing state against cfg. */
static int same_config(const char *key, const char *was, const struct campaign_config *cfg)
{
	const char *now = !strcmp(key, "engine") ? cfg->engine : !strcmp(key, "target") ? cfg->target
			  : !strcmp(key, "oracles")                   ? cfg->oracles
								      : NULL;
	if (!now || !strcmp(now, was))
		return 0;
	fprintf(stderr,
		"isofuzz run: %s holds a campaign with %s %s, not %s: use another --out or the same %s\n",
		cfg->out, key, was, now, key);
	return -1;
}

/* The history's numbers that carry over: the executions of every closed
 * run, and the last row when no final row closed its run. */
struct history {
	uint64_t final_execs;
	char open_row[512];       /* the killed run's last reading, or "" */
	long good_len;            /* bytes up to the last complete line */
};

static void read_history(FILE *f, struct history *h)
{
	char line[512];
	long pos = 0;
	while (fgets(line, sizeof(line), f)) {
		size_t len = strlen(line);
		if (len == 0 || line[len - 1] != '\n')
			break; /* a row cut by a kill: dropped */
		pos += (long)len;
		h->good_len = pos;
		unsigned long long v[12];
		int final;
		if (sscanf(line, "%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%d", &v[0], &v[1], &v[2], &v[3],
			   &v[4], &v[5], &v[6], &v[7], &v[8], &v[9], &v[10], &final) != 12)
			continue; /* the header */
		if (final) {
			h->final_execs += v[3];
			h->open_row[0] = '\0';
		} else {
			snprintf(h->open_row, sizeof(h->open_row), "%s", line);
		}
	}
}

/* Replace path with its first keep bytes and then tail, through
 * campaign_write_new: a reader (the report, a user tailing it) sees the
 * old history or the new one, never a cut one. */
static int rewrite_history(const char *path, FILE *old, long keep, const char *tail)
{
	size_t tail_len = strlen(tail);
	char *text = keep >= 0 ? malloc((size_t)keep + tail_len + 1) : NULL;
	int rc = text && fseek(old, 0, SEEK_SET) == 0 && fread(text, 1, (size_t)keep, old) == (size_t)keep ? 0 : -1;
	if (rc == 0) {
		memcpy(text + keep, tail, tail_len + 1);
		rc = campaign_write_new(path, text);
	}
	free(text);
	return rc;
}

/* A run that was killed has readings but no final row: its last reading
 * is all that is known of it, so it becomes the run's final row (2: ended
 * by a kill), and its executions count with the others'.  A row cut by
 * the kill is dropped. */
static int close_killed_run(const struct campaign_config *cfg, struct campaign_state *st)
{
	char path[CAMPAIGN_PATH_MAX];
	if (!campaign_join(path, sizeof(path), cfg->dir, "stats.csv"))
		return -1;
	FILE *f = fopen(path, "r");
	if (!f)
		return errno == ENOENT ? 0 : -1;
	struct history h = { .final_execs = 0 };
	read_history(f, &h);
	int rc = fseek(f, 0, SEEK_END) == 0 ? 0 : -1;
	long size = ftell(f);
	char closing[512] = "";
	char *last_comma = strrchr(h.open_row, ',');
	uint64_t killed_execs = 0;
	if (last_comma) {
		*last_comma = '\0';
		snprintf(closing, sizeof(closing), "%s,2\n", h.open_row);
		killed_execs = strtoull(strchr(strchr(strchr(h.open_row, ',') + 1, ',') + 1, ',') + 1, NULL, 10);
		h.final_execs += killed_execs;
	}
	if (rc == 0 && (size != h.good_len || closing[0]))
		rc = rewrite_history(path, f, h.good_len, closing);
	fclose(f);
	/* libFuzzer counts each run from zero: the total is the sum of its
	 * runs.  AFL++ carries its own count over from fuzzer_stats, which a
	 * kill leaves behind what the campaign recorded: the difference is
	 * kept here. */
	if (rc == 0 && !strcmp(cfg->engine, "libfuzzer"))
		st->execs_before = h.final_execs;
	if (rc == 0 && !strcmp(cfg->engine, "afl") && killed_execs) {
		uint64_t saved = campaign_afl_saved_execs(cfg);
		if (killed_execs > saved)
			st->execs_before += killed_execs - saved;
	}
	return rc;
}

static int campaign_state_read(const struct campaign_config *cfg, struct campaign_state *st)
{
	memset(st, 0, sizeof(*st));
	char path[CAMPAIGN_PATH_MAX];
	if (!campaign_join(path, sizeof(path), cfg->dir, "state"))
		return -1;
	FILE *f = fopen(path, "r");
	if (!f)
		return errno == ENOENT ? 0 : -1;
	char key[64], val[512];
	int rc = 0;
	while (rc == 0 && fscanf(f, "%63s %511s", key, val) == 2) {
		uint64_t v = strtoull(val, NULL, 10);
		if (!strcmp(key, "spent"))
			st->spent = v;
		else if (!strcmp(key, "sessions"))
			st->sessions = (unsigned)v;
		else if (!strcmp(key, "execs_before"))
			st->execs_before = v;
		else if (!strcmp(key, "interrupted"))
			st->interrupted = (unsigned)v;
		else if (!strcmp(key, "budget"))
			st->budget = (unsigned)v;
		else
			rc = same_config(key, val, cfg);
	}
	fclose(f);
	return rc;
}

int campaign_state_load(const struct campaign_config *cfg, struct campaign_state *st)
{
	int rc = campaign_state_read(cfg, st);
	if (rc == 0 && close_killed_run(cfg, st) != 0) {
		fprintf(stderr, "isofuzz run: cannot update %s/stats.csv\n", cfg->dir);
		rc = -1;
	}
	return rc;
}

int campaign_state_save(const struct campaign *c)
{
	char path[CAMPAIGN_PATH_MAX];
	if (!campaign_join(path, sizeof(path), c->cfg.dir, "state"))
		return -1;
	/* fuzzer: for the report's configuration; not read back */
	char *text = NULL;
	int n = asprintf(&text,
			 "engine %s\ntarget %s\noracles %s\njobs %u\nbudget %u\nspent %" PRIu64 "\nsessions %u\n"
			 "execs_before %" PRIu64 "\ninterrupted %u\nfuzzer %s\n",
			 c->cfg.engine, c->cfg.target, c->cfg.oracles, c->cfg.jobs, c->st.budget, c->st.spent,
			 c->st.sessions, c->st.execs_before, c->st.interrupted, c->cfg.fuzzer ? c->cfg.fuzzer : "-");
	if (n < 0)
		return -1;
	int rc = campaign_write_new(path, text);
	free(text);
	return rc;
}

/* The first row comes with the header, in a file renamed into place: a
 * reader never finds stats.csv empty or without its header.  Every later
 * row is one write() at the end (O_APPEND): a reader sees whole rows only,
 * and the file only grows. */
int campaign_stats_append(const struct campaign *c, const struct engine_stats *s, bool final)
{
	char path[CAMPAIGN_PATH_MAX], row[512];
	if (!campaign_join(path, sizeof(path), c->cfg.dir, "stats.csv"))
		return -1;
	int len = snprintf(row, sizeof(row),
			   "%u,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
			   ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%d\n",
			   c->st.sessions, c->st.spent, c->st.spent - c->session_start, s->execs,
			   c->st.execs_before + s->execs, s->execs_per_sec, s->coverage, s->features, s->corpus,
			   s->crashes, s->engine_seconds, final ? 1 : 0);
	if (len < 0 || len >= (int)sizeof(row))
		return -1;
	int fd = open(path, O_WRONLY | O_APPEND);
	if (fd < 0) {
		if (errno != ENOENT)
			return -1;
		char first[sizeof(row) + sizeof(STATS_HEADER)];
		snprintf(first, sizeof(first), "%s%s", STATS_HEADER, row);
		return campaign_write_new(path, first);
	}
	bool ok = write(fd, row, (size_t)len) == len;
	return close(fd) == 0 && ok ? 0 : -1;
}
