/* A session of AFL++: one main (-M) and secondary (-S) instances sharing
 * the sync directory out/afl.  A machine that joins adds only secondaries,
 * named after it.  The live figures come from each instance's plot_data
 * (about every 5 s; nothing is shown before its first line), the final
 * ones from fuzzer_stats, which AFL++ writes when it stops; execs_done
 * there already counts every earlier session of the instance. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "campaign/campaign.h"

struct afl_instances {
	unsigned n;
	int pid[CAMPAIGN_MAX_JOBS];
	char name[CAMPAIGN_MAX_JOBS][64];
};

static void name_instances(const struct campaign_config *cfg, struct afl_instances *in)
{
	in->n = cfg->jobs < CAMPAIGN_MAX_JOBS ? cfg->jobs : CAMPAIGN_MAX_JOBS;
	for (unsigned j = 0; j < in->n; j++) {
		if (cfg->join)
			snprintf(in->name[j], sizeof(in->name[j]), "%.40s-%u", cfg->instance, j);
		else if (j == 0)
			snprintf(in->name[j], sizeof(in->name[j]), "main");
		else
			snprintf(in->name[j], sizeof(in->name[j]), "secondary%u", j);
	}
}

/* Every instance of this machine, summed: live (plot_data) or final
 * (fuzzer_stats).  Live, it is valid only once every instance has a real
 * reading, so the sum never lacks one. */
static struct engine_stats read_all(const struct campaign *c, const struct afl_instances *in, bool live,
				    const struct timespec *since)
{
	struct engine_stats sum = { .valid = false };
	for (unsigned j = 0; j < in->n; j++) {
		char path[CAMPAIGN_PATH_MAX];
		struct engine_stats one;
		int rc;
		if (live) {
			snprintf(path, sizeof(path), "%s/afl/%s", c->cfg.out, in->name[j]);
			rc = progress_read_afl_live(path, since, &one);
		} else {
			snprintf(path, sizeof(path), "%s/afl/%s/fuzzer_stats", c->cfg.out, in->name[j]);
			rc = progress_read_afl_stats(path, &one);
		}
		if (rc != 0 && live)
			return (struct engine_stats){ .valid = false };
		if (rc == 0)
			progress_add_instance(&sum, &one);
	}
	return sum;
}

uint64_t campaign_afl_saved_execs(const struct campaign_config *cfg)
{
	struct afl_instances in = { .n = 0 };
	uint64_t sum = 0;
	name_instances(cfg, &in);
	for (unsigned j = 0; j < in.n; j++) {
		char path[CAMPAIGN_PATH_MAX];
		struct engine_stats one;
		snprintf(path, sizeof(path), "%s/afl/%s/fuzzer_stats", cfg->out, in.name[j]);
		if (progress_read_afl_stats(path, &one) == 0)
			sum += one.execs;
	}
	return sum;
}

/* afl-fuzz needs one seed that runs clean: the program of one byte 0,
 * four CPUs and no step, is clean on any target. */
static int clean_seed(const char *seeds)
{
	char path[CAMPAIGN_PATH_MAX];
	if (!campaign_join(path, sizeof(path), seeds, "clean-no-steps.bin"))
		return -1;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0)
		return -1;
	bool ok = write(fd, "", 1) == 1;
	return close(fd) == 0 && ok ? 0 : -1;
}

static int start(struct campaign *c, struct afl_instances *in, const char *seeds, unsigned seconds)
{
	char sync[CAMPAIGN_PATH_MAX], v[32];
	snprintf(sync, sizeof(sync), "%s/afl", c->cfg.out);
	snprintf(v, sizeof(v), "%u", seconds);
	for (unsigned j = 0; j < in->n; j++) {
		char logname[128];
		snprintf(logname, sizeof(logname), "logs/afl-%u-%s.log", c->st.sessions, in->name[j]);
		if (!campaign_join(c->log, sizeof(c->log), c->cfg.dir, logname))
			return -1;
		int fd = open(c->log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
		if (fd < 0)
			return -1;
		bool main_node = j == 0 && !c->cfg.join;
		/* The main instance also runs the CMPLOG build, which records
		 * comparison operands to solve magic values (AFL++'s -c). */
		bool cmplog = main_node && c->cfg.afl_cmplog;
		char *argv[] = { "afl-fuzz", "-i", (char *)seeds, "-o", sync, main_node ? "-M" : "-S", in->name[j],
				 "-V", v, cmplog ? "-c" : "--", cmplog ? (char *)c->cfg.afl_cmplog : (char *)c->cfg.fuzzer,
				 cmplog ? "--" : NULL, (char *)c->cfg.fuzzer, NULL };
		in->pid[j] = campaign_spawn(argv, fd, NULL);
		close(fd);
		if (in->pid[j] < 0)
			return -1;
	}
	return 0;
}

static unsigned running(struct afl_instances *in)
{
	unsigned alive = 0;
	for (unsigned j = 0; j < in->n; j++) {
		if (in->pid[j] > 0 && campaign_reap(in->pid[j], false, NULL))
			in->pid[j] = -1;
		alive += in->pid[j] > 0;
	}
	return alive;
}

int campaign_run_afl(struct campaign *c, const char *seeds, unsigned seconds)
{
	if (c->cfg.afl_mutator)
		setenv("AFL_CUSTOM_MUTATOR_LIBRARY", c->cfg.afl_mutator, 1);
	setenv("AFL_NO_UI", "1", 0);
	setenv("AFL_SKIP_CPUFREQ", "1", 0);
	/* A timeout signal the target can catch lets it answer afl-fuzz
	 * itself instead of stopping for the fork server after every input
	 * (harness/engines/fuzz_afl.c): half the wake-ups per execution.  A
	 * real-time one, which the kernel queues: the target counts them. */
	char kill_signal[16];
	snprintf(kill_signal, sizeof(kill_signal), "%d", SIGRTMIN + 1);
	setenv("AFL_KILL_SIGNAL", kill_signal, 0);
	/* Each instance binds itself, its fork server and its target to a
	 * core no other AFL++ instance holds: every input passes between
	 * them by four wake-ups, which on one core are hand-offs, while
	 * across cores each waits for the other core's scheduler (2-4x the
	 * executions on a loaded 2-core machine).  TRY: with no core free
	 * (more jobs than cores, other campaigns) it runs unbound instead of
	 * refusing to start. */
	if (!getenv("AFL_NO_AFFINITY"))
		setenv("AFL_TRY_AFFINITY", "1", 0);
	setenv("AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES", "1", 0);
	/* A seed that violates is a finding (campaign_findings.c replays the
	 * seeds of an AFL++ campaign), not a reason for afl-fuzz to refuse
	 * to start: on a target where every seed violates, it did. */
	setenv("AFL_SKIP_CRASHES", "1", 0);
	if (clean_seed(seeds) != 0)
		return -1;
	setenv("AFL_AUTORESUME", "1", 0);
	/* a machine that joins starts from what the others found */
	setenv("AFL_IMPORT_FIRST", "1", 0);
	/* a resumed instance's plot_data is the killed session's until AFL++
	 * writes it again */
	struct timespec since;
	clock_gettime(CLOCK_REALTIME, &since);
	c->prog.coverage_name = "AFL++ edges";
	c->prog.waiting = "AFL++ starts plot_data after its first minute";
	struct afl_instances in = { .n = 0 };
	for (unsigned j = 0; j < CAMPAIGN_MAX_JOBS; j++)
		in.pid[j] = -1;
	name_instances(&c->cfg, &in);
	int rc = start(c, &in, seeds, seconds);
	bool stopping = rc != 0;
	if (stopping)
		campaign_stop_children(in.pid, in.n);
	for (unsigned tick = 0; !stopping && running(&in) > 0; tick++) {
		usleep(100000);
		struct engine_stats s = tick % 10 == 9 ? read_all(c, &in, true, &since) : c->last;
		bool fresh = s.valid && memcmp(&s, &c->last, sizeof(s)) != 0;
		campaign_tick(c, fresh ? &s : NULL);
		if (campaign_stopping(c)) {
			stopping = true;
			campaign_stop_children(in.pid, in.n);
		}
	}
	/* fuzzer_stats as each instance wrote it when it stopped */
	struct engine_stats s = read_all(c, &in, false, &since);
	campaign_tick(c, s.valid && memcmp(&s, &c->last, sizeof(s)) != 0 ? &s : NULL);
	if (c->last.valid) {
		campaign_stats_append(c, &c->last, true);
		campaign_state_save(c);
	}
	if (rc != 0)
		return -1;
	return stopping ? 1 : 0;
}
