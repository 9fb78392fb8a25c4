/* A session of libFuzzer in fork mode (-fork=JOBS), read through its
 * stderr: the parent prints one status line per finished job, which are
 * the statistics this session reports.  With cfg.sync the session is cut
 * into runs of that length; each run starts by loading the whole shared
 * corpus, so inputs other machines found join this machine's fuzzing. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "campaign/campaign.h"

struct line_reader {
	char buf[8192];
	size_t len;
};

/* The violating inputs the campaign has saved: libFuzzer's crash
 * artifacts and the inputs its target recorded.  libFuzzer's own count
 * ("oom/timeout/crash") is of jobs that died, which a recorded violation
 * no longer makes: on a target that violates at every turn it stays 0.
 * This is what AFL++'s saved crashes mean, and what the findings replay. */
static uint64_t saved_crashes(const struct campaign *c)
{
	char dir[CAMPAIGN_PATH_MAX];
	if (!campaign_join(dir, sizeof(dir), c->cfg.out, "crashes"))
		return 0;
	return campaign_count(dir, "crash-");
}

/* Feed what the pipe gave.  Each complete line goes to the log (flushed)
 * and then to the parser, and a status line is recorded at once: a kill
 * at any moment leaves the history at most one reading behind the log.
 * Over-long lines (libFuzzer's NEW_FUNC ones can be) are logged whole
 * and parsed by their first part only. */
static void feed(struct campaign *c, struct line_reader *r, const char *data, size_t n, FILE *log,
		 struct engine_stats *s)
{
	size_t from = 0;
	for (size_t i = 0; i < n; i++) {
		if (data[i] != '\n') {
			if (r->len + 1 < sizeof(r->buf))
				r->buf[r->len++] = data[i];
			continue;
		}
		fwrite(data + from, 1, i + 1 - from, log);
		fflush(log);
		from = i + 1;
		r->buf[r->len] = '\0';
		r->len = 0;
		if (progress_parse_libfuzzer(r->buf, s)) {
			s->crashes = saved_crashes(c);
			campaign_tick(c, s);
		}
	}
	fwrite(data + from, 1, n - from, log);
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

/* The fuzzer with ISOFUZZ_RECORD_DIR set to the crash directory: a
 * violation is saved there by the target (as crash-HASH, beside
 * libFuzzer's crash-SHA1 artifacts, read the same way by the findings and
 * the re-check) and the job goes on instead of dying.  Only this process
 * and its jobs see it: the sanitizer re-check aborts on a violation as
 * the target always did. */
static int spawn_recording(const struct campaign *c, char *const argv[], uint64_t deadline_ms, int *fd)
{
	char dir[CAMPAIGN_PATH_MAX], tmp[CAMPAIGN_PATH_MAX], deadline[32];
	snprintf(deadline, sizeof(deadline), "%llu", (unsigned long long)deadline_ms);
	if (!campaign_join(dir, sizeof(dir), c->cfg.out, "crashes") || setenv("ISOFUZZ_RECORD_DIR", dir, 1) != 0 ||
	    !campaign_join(tmp, sizeof(tmp), c->cfg.dir, "tmp") || setenv("ISOFUZZ_RECORD_TMP", tmp, 1) != 0 ||
	    setenv("ISOFUZZ_RUN_DEADLINE_MS", deadline, 1) != 0)
		return -1;
	int pid = campaign_spawn(argv, -1, fd);
	unsetenv("ISOFUZZ_RECORD_DIR");
	unsetenv("ISOFUZZ_RECORD_TMP");
	unsetenv("ISOFUZZ_RUN_DEADLINE_MS");
	return pid;
}

/* A temporary of a recorded input that a killed job left among the
 * crashes (where a target without ISOFUZZ_RECORD_TMP writes them).
 * Nothing reads it (every reader skips dot names), but it is litter in
 * the user's output: removed when the session ends. */
static void remove_cut_records(const struct campaign *c)
{
	char dir[CAMPAIGN_PATH_MAX], path[CAMPAIGN_PATH_MAX];
	if (!campaign_join(dir, sizeof(dir), c->cfg.out, "crashes"))
		return;
	DIR *d = opendir(dir);
	for (struct dirent *e; d && (e = readdir(d));)
		if (!strncmp(e->d_name, ".tmp-crash-", 11) && campaign_join(path, sizeof(path), dir, e->d_name))
			unlink(path);
	if (d)
		closedir(d);
}

/* How long past its deadline a run may go before it is stopped: its
 * processes end themselves at the deadline (ISOFUZZ_RUN_DEADLINE_MS),
 * then the parent merges what its last jobs found (a process per job,
 * seconds in a sanitizer build on a loaded machine); this only bounds a
 * build that does not read the deadline. */
#define DEADLINE_GRACE_MS 6000

/* One libFuzzer process for `seconds`, ending by *deadline_ms (set here):
 * 0 ran, 1 interrupted, -1 failed. */
static int run_once(struct campaign *c, const char *seeds, unsigned seconds, unsigned run_no,
		    uint64_t *deadline_ms)
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
	*deadline_ms = campaign_now_ms() + (uint64_t)seconds * 1000;
	int pid = spawn_recording(c, argv, *deadline_ms, &fd);
	if (pid < 0) {
		fclose(log);
		return -1;
	}
	struct line_reader r = { .len = 0 };
	struct engine_stats s = { .valid = false };
	bool stopping = false;
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int ready = poll(&p, 1, 100);
		if (ready > 0) {
			char data[4096];
			ssize_t n = read(fd, data, sizeof(data));
			if (n <= 0)
				break;
			feed(c, &r, data, (size_t)n, log, &s);
		}
		campaign_tick(c, NULL);
		if (!stopping && campaign_stopping(c)) {
			stopping = true;
			campaign_stop_children(&pid, 1);
		}
		if (pid > 0 && campaign_now_ms() > *deadline_ms + DEADLINE_GRACE_MS) {
			fprintf(stderr, "isofuzz run: %s ran past its deadline: stopped\n", c->cfg.fuzzer);
			campaign_stop_children(&pid, 1);
		}
	}
	close(fd);
	int status = 0;
	if (pid > 0)
		campaign_reap(pid, true, &status);
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

/* libFuzzer's fork mode keeps its jobs' files in $TMPDIR/libFuzzerTemp.*:
 * inside the campaign's directory, emptied before and after each run, a
 * killed run leaves nothing behind outside it and nothing for long in it. */
static int private_tmpdir(const struct campaign *c, char *tmp, size_t n)
{
	if (!campaign_join(tmp, n, c->cfg.dir, "tmp") || campaign_mkdirs(tmp) != 0 || campaign_empty_dir(tmp) != 0)
		return -1;
	return setenv("TMPDIR", tmp, 1);
}

int campaign_run_libfuzzer(struct campaign *c, const char *seeds, unsigned seconds)
{
	char tmp[CAMPAIGN_PATH_MAX];
	if (c->cfg.recheck && access(c->cfg.recheck, X_OK) != 0) {
		fprintf(stderr, "isofuzz run: cannot run the sanitizer build %s\n", c->cfg.recheck);
		return -1;
	}
	if (private_tmpdir(c, tmp, sizeof(tmp)) != 0) {
		fprintf(stderr, "isofuzz run: cannot make an empty %s/tmp\n", c->cfg.dir);
		return -1;
	}
	/* libFuzzer's "cov" counts its coverage counters over all jobs, not
	 * the binary's edges */
	c->prog.coverage_name = "libFuzzer cov";
	int rc = 0;
	uint64_t end = c->st.spent + seconds;
	for (unsigned run_no = 1; rc == 0 && c->st.spent < end; run_no++) {
		uint64_t left = end - c->st.spent;
		unsigned slice = c->cfg.sync && c->cfg.sync < left ? c->cfg.sync : (unsigned)left;
		c->last = (struct engine_stats){ .valid = false };
		uint64_t deadline_ms;
		rc = run_once(c, seeds, slice, run_no, &deadline_ms);
		/* A run that went to its deadline fuzzed its slice, whatever
		 * the whole seconds of the campaign's clock say: the budget is
		 * spent, with no last run of a second to make up the rounding. */
		if (rc == 0 && campaign_now_ms() + 1000 >= deadline_ms && c->st.spent < end - left + slice)
			c->st.spent = end - left + slice;
		/* The engine's last reading is this run's total: keep it, and
		 * count its executions as done before the next run.  Its jobs
		 * may have saved inputs after their parent's last line. */
		if (c->last.valid) {
			c->last.crashes = saved_crashes(c);
			campaign_stats_append(c, &c->last, true);
			c->st.execs_before += c->last.execs;
			c->last.execs = 0;
			campaign_state_save(c);
		}
		campaign_empty_dir(tmp);
		/* the re-check after the last run comes after the budget, as
		 * the findings and the report do; between runs (--sync) it is
		 * part of it */
		c->budget_spent = c->st.spent >= end;
		if (rc == 0 && c->cfg.recheck && campaign_recheck(c) < 0)
			rc = -1;
		if (rc == 0 && campaign_stop_requested())
			rc = 1;
	}
	remove_cut_records(c);
	return rc;
}
