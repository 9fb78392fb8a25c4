/* The sanitizer re-run.  libFuzzer campaigns fuzz a fast build (no
 * sanitizers); every input they keep (corpus and crashes) is run once
 * more under the ASan+UBSan build, and each input it reports on is kept
 * in DIR/sanitizer with the report, a finding like any other.  The build
 * runs the inputs in batches (libFuzzer runs the files it is given once
 * each, printing "Running: FILE" first), a batch restarting after an
 * input that ended the process. */
#define _GNU_SOURCE
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "campaign/campaign.h"

#define BATCH 256
#define REPORT_MAX 65536

struct recheck {
	struct campaign *c;
	FILE *done;                 /* DIR/rechecked, appended */
	FILE *log;
	unsigned finished;          /* inputs of this batch finished */
	char partial[4096];         /* a line not yet complete */
	size_t partial_len;
	char current[CAMPAIGN_PATH_MAX];
	char report[REPORT_MAX];    /* the current input's output */
	size_t report_len;
	unsigned found;
};

static bool sanitizer_line(const char *line)
{
	return strstr(line, "ERROR: AddressSanitizer") || strstr(line, "runtime error:") ||
	       strstr(line, "ERROR: UndefinedBehaviorSanitizer");
}

static bool has_report(const struct recheck *r)
{
	for (const char *p = r->report; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (sanitizer_line(p))
			return true;
	return false;
}

static void copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb");
	FILE *out = in ? fopen(to, "wb") : NULL;
	char buf[8192];
	for (size_t n; out && (n = fread(buf, 1, sizeof(buf), in)) > 0;)
		fwrite(buf, 1, n, out);
	if (out)
		fclose(out);
	if (in)
		fclose(in);
}

/* Keep the input the sanitizers spoke about, with what they said. */
static void keep(struct recheck *r)
{
	char dir[CAMPAIGN_PATH_MAX], path[CAMPAIGN_PATH_MAX * 3];
	const char *base = strrchr(r->current, '/');
	base = base ? base + 1 : r->current;
	snprintf(dir, sizeof(dir), "%s/sanitizer", r->c->cfg.dir);
	campaign_mkdirs(dir);
	snprintf(path, sizeof(path), "%s/%s", dir, base);
	copy_file(r->current, path);
	snprintf(path, sizeof(path), "%s/%s.txt", dir, base);
	FILE *t = fopen(path, "w");
	if (t) {
		fprintf(t, "input: %s\nbuild: %s\n%s", r->current, r->c->cfg.recheck, r->report);
		fclose(t);
	}
	printf("campaign: the sanitizer build reports on %s (kept in %s)\n", r->current, dir);
	r->found++;
}

/* The input just finished (or ended the process): keep it if the
 * sanitizers spoke, and note it as rechecked. */
static void finish_input(struct recheck *r)
{
	if (!r->current[0])
		return;
	r->report[r->report_len] = '\0';
	if (has_report(r))
		keep(r);
	fprintf(r->done, "%s\n", r->current);
	fflush(r->done);
	r->finished++;
	r->current[0] = '\0';
	r->report_len = 0;
}

static void line(struct recheck *r, const char *l)
{
	if (!strncmp(l, "Running: ", 9)) {
		finish_input(r);
		snprintf(r->current, sizeof(r->current), "%s", l + 9);
		r->current[strcspn(r->current, "\n")] = '\0';
		return;
	}
	if (!strncmp(l, "Executed ", 9)) {
		finish_input(r);
		return;
	}
	size_t n = strlen(l);
	if (r->current[0] && r->report_len + n + 1 < sizeof(r->report)) {
		memcpy(r->report + r->report_len, l, n);
		r->report_len += n;
	}
}

static void feed(struct recheck *r, const char *data, size_t n)
{
	fwrite(data, 1, n, r->log);
	for (size_t i = 0; i < n; i++) {
		if (r->partial_len + 2 < sizeof(r->partial))
			r->partial[r->partial_len++] = data[i];
		if (data[i] == '\n') {
			r->partial[r->partial_len] = '\0';
			line(r, r->partial);
			r->partial_len = 0;
		}
	}
}

/* One process over paths[0..n): 0 when it ended, -1 when stopped. */
static int run_batch(struct recheck *r, char **paths, unsigned n)
{
	char art[CAMPAIGN_PATH_MAX + 32];
	snprintf(art, sizeof(art), "-artifact_prefix=%s/tmp/", r->c->cfg.dir);
	char *argv[BATCH + 8] = { (char *)r->c->cfg.recheck, art, "-timeout=30" };
	unsigned a = 3;
	for (unsigned i = 0; i < n && i < BATCH; i++)
		argv[a++] = paths[i];
	argv[a] = NULL;
	int fd, pid = campaign_spawn(argv, -1, &fd);
	if (pid < 0)
		return 0;
	int rc = 0;
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (poll(&p, 1, 100) > 0) {
			char buf[4096];
			ssize_t got = read(fd, buf, sizeof(buf));
			if (got <= 0)
				break;
			feed(r, buf, (size_t)got);
		}
		campaign_tick(r->c, NULL);
		if (campaign_stopping(r->c)) {
			campaign_stop_children(&pid, 1);
			rc = -1;
			break;
		}
	}
	close(fd);
	if (pid > 0)
		campaign_reap(pid, true, NULL);
	if (rc == 0)
		finish_input(r); /* the input that ended the process, if one did */
	r->current[0] = '\0';
	r->report_len = 0;
	r->partial_len = 0;
	return rc;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* DIR/rechecked as a sorted array of paths (NULL-terminated). */
static char **load_done(const char *path, size_t *n)
{
	size_t cap = 64;
	char **v = calloc(cap, sizeof(*v));
	*n = 0;
	FILE *f = fopen(path, "r");
	char line[CAMPAIGN_PATH_MAX];
	while (v && f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (*n + 1 >= cap) {
			char **more = realloc(v, 2 * cap * sizeof(*v));
			if (!more)
				break;
			v = more;
			cap *= 2;
		}
		v[(*n)++] = strdup(line);
	}
	if (f)
		fclose(f);
	if (v) {
		v[*n] = NULL;
		qsort(v, *n, sizeof(*v), by_name);
	}
	return v;
}

/* The inputs of dir (names starting with prefix) not in done, appended to *todo. */
static void add_pending(const char *dir, const char *prefix, char **done, size_t ndone, char ***todo, size_t *n)
{
	char **names = campaign_list(dir, prefix);
	for (char **e = names; e && *e; e++) {
		char path[CAMPAIGN_PATH_MAX], *key = path;
		if (!campaign_join(path, sizeof(path), dir, *e) ||
		    (done && bsearch(&key, done, ndone, sizeof(*done), by_name)))
			continue;
		char **more = realloc(*todo, (*n + 2) * sizeof(**todo));
		if (!more)
			break;
		*todo = more;
		(*todo)[(*n)++] = strdup(path);
		(*todo)[*n] = NULL;
	}
	campaign_free_names(names);
}

int campaign_recheck(struct campaign *c)
{
	static struct recheck r;
	char path[CAMPAIGN_PATH_MAX], dir[CAMPAIGN_PATH_MAX], name[64];
	size_t ndone = 0, ntodo = 0;
	char **todo = NULL;
	if (!campaign_join(path, sizeof(path), c->cfg.dir, "rechecked"))
		return -1;
	char **done = load_done(path, &ndone);
	snprintf(dir, sizeof(dir), "%s/corpus", c->cfg.out);
	add_pending(dir, "", done, ndone, &todo, &ntodo);
	snprintf(dir, sizeof(dir), "%s/crashes", c->cfg.out);
	add_pending(dir, "crash-", done, ndone, &todo, &ntodo);
	campaign_free_names(done);
	memset(&r, 0, sizeof(r));
	r.c = c;
	r.done = fopen(path, "a");
	snprintf(name, sizeof(name), "logs/recheck-%u.log", c->st.sessions);
	r.log = campaign_join(path, sizeof(path), c->cfg.dir, name) ? fopen(path, "a") : NULL;
	int rc = r.done && r.log ? 0 : -1;
	if (rc == 0 && ntodo)
		printf("campaign: re-running %zu new input%s under %s\n", ntodo, ntodo == 1 ? "" : "s", c->cfg.recheck);
	for (size_t i = 0; rc == 0 && i < ntodo;) {
		r.finished = 0;
		if (run_batch(&r, todo + i, (unsigned)(ntodo - i < BATCH ? ntodo - i : BATCH)) != 0)
			rc = 1;
		/* an input the build could not even start on counts as done */
		i += r.finished ? r.finished : 1;
	}
	if (r.done)
		fclose(r.done);
	if (r.log)
		fclose(r.log);
	campaign_free_names(todo);
	snprintf(dir, sizeof(dir), "%s/tmp", c->cfg.dir);
	campaign_empty_dir(dir);
	return rc < 0 ? -1 : (int)r.found;
}
