#define _POSIX_C_SOURCE 200809L
/* AFL++'s statistics: each instance keeps a fuzzer_stats file of
 * "key : value" lines in its directory under the sync directory. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "campaign/progress/progress.h"

/* AFL++ renamed some keys over its versions; either name is read. */
static const struct {
	const char *key;
	size_t field;
} afl_keys[] = {
	{ "execs_done", offsetof(struct engine_stats, execs) },
	{ "execs_per_sec", offsetof(struct engine_stats, execs_per_sec) },
	{ "edges_found", offsetof(struct engine_stats, coverage) },
	{ "total_edges", offsetof(struct engine_stats, features) },
	{ "corpus_count", offsetof(struct engine_stats, corpus) },
	{ "paths_total", offsetof(struct engine_stats, corpus) },
	{ "saved_crashes", offsetof(struct engine_stats, crashes) },
	{ "unique_crashes", offsetof(struct engine_stats, crashes) },
	{ "run_time", offsetof(struct engine_stats, engine_seconds) },
};

static void set_key(struct engine_stats *s, const char *key, const char *value)
{
	for (size_t i = 0; i < sizeof(afl_keys) / sizeof(afl_keys[0]); i++) {
		if (strcmp(afl_keys[i].key, key) != 0)
			continue;
		uint64_t *f = (uint64_t *)((char *)s + afl_keys[i].field);
		/* execs_per_sec is a decimal number: whole executions suffice */
		*f = (uint64_t)strtod(value, NULL);
		if (i == 0)
			s->valid = true;
	}
}

int progress_read_afl_stats(const char *path, struct engine_stats *s)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	struct engine_stats r = { 0 };
	char line[512];
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');
		if (!colon)
			continue;
		char *k = line, *kend = colon;
		while (kend > k && kend[-1] == ' ')
			kend--;
		*kend = '\0';
		set_key(&r, k, colon + 1 + strspn(colon + 1, " "));
	}
	fclose(f);
	if (!r.valid)
		return -1;
	*s = r;
	return 0;
}

void progress_add_instance(struct engine_stats *sum, const struct engine_stats *one)
{
	if (!one->valid)
		return;
	sum->valid = true;
	sum->execs += one->execs;
	sum->execs_per_sec += one->execs_per_sec;
	sum->crashes += one->crashes;
	if (one->coverage > sum->coverage)
		sum->coverage = one->coverage;
	if (one->features > sum->features)
		sum->features = one->features;
	if (one->corpus > sum->corpus)
		sum->corpus = one->corpus;
	if (one->engine_seconds > sum->engine_seconds)
		sum->engine_seconds = one->engine_seconds;
}

/* plot_data's columns by name, as its "# a, b, c" header gives them. */
static const struct {
	const char *column;
	size_t field;
} plot_columns[] = {
	{ "total_execs", offsetof(struct engine_stats, execs) },
	{ "execs_per_sec", offsetof(struct engine_stats, execs_per_sec) },
	{ "edges_found", offsetof(struct engine_stats, coverage) },
	{ "corpus_count", offsetof(struct engine_stats, corpus) },
	{ "paths_total", offsetof(struct engine_stats, corpus) },
	{ "saved_crashes", offsetof(struct engine_stats, crashes) },
	{ "unique_crashes", offsetof(struct engine_stats, crashes) },
	{ "relative_time", offsetof(struct engine_stats, engine_seconds) },
};

/* Fill s from one data line under the header's column names. */
static bool plot_row(const char *header, const char *row, struct engine_stats *s)
{
	char names[1024], values[1024];
	snprintf(names, sizeof(names), "%s", header + strspn(header, "# "));
	snprintf(values, sizeof(values), "%s", row);
	char *nsave = NULL, *vsave = NULL;
	char *name = strtok_r(names, ", \n", &nsave);
	char *value = strtok_r(values, ", \n", &vsave);
	bool have_execs = false;
	for (; name && value; name = strtok_r(NULL, ", \n", &nsave), value = strtok_r(NULL, ", \n", &vsave))
		for (size_t i = 0; i < sizeof(plot_columns) / sizeof(plot_columns[0]); i++)
			if (!strcmp(plot_columns[i].column, name)) {
				*(uint64_t *)((char *)s + plot_columns[i].field) = (uint64_t)strtod(value, NULL);
				have_execs |= i == 0;
			}
	return have_execs;
}

int progress_read_afl_plot(const char *path, struct engine_stats *s)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	char line[1024], header[1024] = "", last[1024] = "";
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#')
			snprintf(header, sizeof(header), "%s", line);
		else if (line[0] >= '0' && line[0] <= '9')
			snprintf(last, sizeof(last), "%s", line);
	}
	fclose(f);
	struct engine_stats r = { 0 };
	if (!header[0] || !last[0] || !plot_row(header, last, &r))
		return -1;
	r.valid = true;
	*s = r;
	return 0;
}

static bool written_since(const char *path, const struct timespec *since)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return false;
	return st.st_mtim.tv_sec > since->tv_sec ||
	       (st.st_mtim.tv_sec == since->tv_sec && st.st_mtim.tv_nsec >= since->tv_nsec);
}

int progress_read_afl_live(const char *instance_dir, const struct timespec *since, struct engine_stats *s)
{
	char path[4096];
	struct engine_stats live, stats;
	snprintf(path, sizeof(path), "%s/plot_data", instance_dir);
	if (!written_since(path, since) || progress_read_afl_plot(path, &live) != 0)
		return -1;
	snprintf(path, sizeof(path), "%s/fuzzer_stats", instance_dir);
	if (progress_read_afl_stats(path, &stats) == 0)
		live.features = stats.features;
	*s = live;
	return 0;
}
