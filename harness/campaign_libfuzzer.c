/* A session of libFuzzer in fork mode (-fork=JOBS), read through its
 * stderr: the parent prints one status line per finished job, which are
 * the statistics this session reports.  With cfg.sync the session is cut
 * into runs of that length; each run starts by loading the whole shared
 * corpus, so inputs other machines found join this machine's fuzzing. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "campaign.h"

struct line_reader {
	char buf[8192];
	size_t len;
};

/* Feed what the pipe gave; every complete line goes to the log and the
 * parser.  Over-long lines (libFuzzer's NEW_FUNC ones can be) are logged
 * whole and parsed by their first part only. */
static void feed(struct line_reader *r, const char *data, size_t n, FILE *log,
		 struct engine_stats *s, bool *fresh)
{
	fwrite(data, 1, n, log);
	for (size_t i = 0; i < n; i++) {
		if (data[i] != '\n') {
			if (r->len + 1 < sizeof(r->buf))
				r->buf[r->len++] = data[i];
			continue;
		}
		r->buf[r->len] = '\0';
		if (progress_parse_libfuzzer(r->buf, s))
			*fresh = true;
		r->len = 0;
	}
}

static void log_tail(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	char line[512], last[8][512];
	unsigned n = 0;
	while (fgets(line, sizeof(line), f))
		snprintf(last[n++ % 8], sizeof(last[0]), "%s", line);
	fclose(f);
	for (unsigned i = n > 8 ? n - 8 : 0; i < n; i++)
		fprintf(stderr, "  %s", last[i % 8]);
}

/* One libFuzzer process for `seconds`: 0 ran, 1 interrupted, -1 failed. */
static int run_once(struct campaign *c, const char *seeds, unsigned seconds, unsigned run_no)
{
	char corpus[CAMPAIGN_PATH_MAX], art[CAMPAIGN_PATH_MAX], t[64], fork_n[64], name[64];
	snprintf(corpus, sizeof(corpus), "%s/corpus", c->cfg.out);
	snprintf(art, sizeof(art), "-artifact_prefix=%s/crashes/", c->cfg.out);
	snprintf(t, sizeof(t), "-max_total_time=%u", seconds);
	snprintf(fork_n, sizeof(fork_n), "-fork=%u", c->cfg.jobs);
	snprintf(name, sizeof(name), "logs/libfuzzer-%u-%u.log", c->st.sessions, run_no);
	if (!campaign_join(c->log, sizeof(c->log), c->cfg.dir, name))
		return -1;
	FILE *log = fopen(c->log, "w");
	if (!log)
		return -1;
	char *argv[] = { (char *)c->cfg.fuzzer, fork_n, "-ignore_crashes=1", t, art, "-max_len=8192",
			 corpus, (char *)seeds, NULL };
	int fd;
	int pid = campaign_spawn(argv, -1, &fd);
	if (pid < 0) {
		fclose(log);
		return -1;
	}
	struct line_reader r = { .len = 0 };
	struct engine_stats s = { .valid = false };
	bool stopping = false;
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int ready = poll(&p, 1, 1000);
		bool fresh = false;
		if (ready > 0) {
			char data[4096];
			ssize_t n = read(fd, data, sizeof(data));
			if (n <= 0)
				break;
			feed(&r, data, (size_t)n, log, &s, &fresh);
		}
		campaign_tick(c, fresh ? &s : NULL);
		if (campaign_stop_requested() && !stopping) {
			stopping = true;
			campaign_stop_children(&pid, 1);
			pid = -1;
		}
	}
	close(fd);
	int status = 0;
	if (pid > 0)
		waitpid(pid, &status, 0);
	fclose(log);
	campaign_tick(c, NULL);
	if (stopping)
		return 1;
	if (!s.valid && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
		fprintf(stderr, "isofuzz run: %s stopped without statistics; the end of %s:\n", c->cfg.fuzzer, c->log);
		log_tail(c->log);
		return -1;
	}
	return 0;
}

int campaign_run_libfuzzer(struct campaign *c, const char *seeds, unsigned seconds)
{
	uint64_t end = c->st.spent + seconds;
	for (unsigned run_no = 1; c->st.spent < end; run_no++) {
		uint64_t left = end - c->st.spent;
		unsigned slice = c->cfg.sync && c->cfg.sync < left ? c->cfg.sync : (unsigned)left;
		c->last = (struct engine_stats){ .valid = false };
		int rc = run_once(c, seeds, slice, run_no);
		/* The engine's last reading is this run's total: keep it, and
		 * count its executions as done before the next run. */
		if (c->last.valid) {
			campaign_stats_append(c, &c->last, true);
			c->st.execs_before += c->last.execs;
			c->last.execs = 0;
			campaign_state_save(c);
		}
		if (rc != 0)
			return rc;
	}
	return 0;
}
