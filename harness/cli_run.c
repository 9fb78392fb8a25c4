/* isofuzz run: a campaign.  Seeds (text programs) become binary inputs, the
 * chosen engine fuzzes for what is left of the time budget on the given
 * number of jobs, and every crash it saved is replayed here, deduplicated
 * by violation kind and site, minimized and written out with its trace.
 * Running it again on the same --out resumes the campaign. */
#define _GNU_SOURCE
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "binary.h"
#include "campaign.h"
#include "cli.h"
#include "fuzz_one.h"
#include "oracle_stats.h"
#include "progfile.h"

struct run_args {
	struct campaign_config cfg;
	bool replay;
	char dir[CAMPAIGN_PATH_MAX];
};

static int set_option(struct run_args *a, const char *opt, const char *v)
{
	struct campaign_config *o = &a->cfg;
	if (!strcmp(opt, "--engine")) o->engine = v;
	else if (!strcmp(opt, "--jobs")) o->jobs = (unsigned)strtoul(v, NULL, 0);
	else if (!strcmp(opt, "--time")) o->seconds = (unsigned)strtoul(v, NULL, 0);
	else if (!strcmp(opt, "--corpus")) o->corpus = v;
	else if (!strcmp(opt, "--out")) o->out = v;
	else if (!strcmp(opt, "--target")) o->target = v;
	else if (!strcmp(opt, "--oracles")) o->oracles = v;
	else if (!strcmp(opt, "--fuzzer")) o->fuzzer = v;
	else if (!strcmp(opt, "--afl-mutator")) o->afl_mutator = v;
	else if (!strcmp(opt, "--afl-cmplog")) o->afl_cmplog = v;
	else if (!strcmp(opt, "--join")) o->join = true, o->instance = v;
	else if (!strcmp(opt, "--sync")) o->sync = (unsigned)strtoul(v, NULL, 0);
	else {
		fprintf(stderr, "isofuzz run: unknown option %s\n", opt);
		return -1;
	}
	return 0;
}

static bool plain_name(const char *s)
{
	if (!*s || strlen(s) > 40)
		return false;
	for (; *s; s++)
		if (!(*s >= 'a' && *s <= 'z') && !(*s >= 'A' && *s <= 'Z') && !(*s >= '0' && *s <= '9') && *s != '-' &&
		    *s != '_')
			return false;
	return true;
}

static int check(struct run_args *a)
{
	struct campaign_config *o = &a->cfg;
	unsigned mask;
	if (strcmp(o->engine, "libfuzzer") && strcmp(o->engine, "afl")) {
		fprintf(stderr, "isofuzz run: --engine %s: expected libfuzzer or afl\n", o->engine);
		return -1;
	}
	if (!target_by_name(o->target)) {
		fprintf(stderr, "isofuzz run: --target %s: expected kcore or vanilla\n", o->target);
		return -1;
	}
	if (fuzz_parse_oracles(o->oracles, &mask) != 0) {
		fprintf(stderr, "isofuzz run: --oracles %s: unknown oracle\n", o->oracles);
		return -1;
	}
	if (!a->replay && !o->fuzzer) {
		fprintf(stderr, "isofuzz run: the %s fuzz target is needed (--fuzzer PATH or ISOFUZZ_FUZZER)\n", o->engine);
		return -1;
	}
	if (o->join && !plain_name(o->instance)) {
		fprintf(stderr, "isofuzz run: --join %s: a name of letters, digits, '-' and '_' (40 at most)\n",
			o->instance);
		return -1;
	}
	if (o->jobs == 0)
		o->jobs = 1;
	if (o->jobs > CAMPAIGN_MAX_JOBS)
		o->jobs = CAMPAIGN_MAX_JOBS;
	return 0;
}

static int parse(int argc, char **argv, struct run_args *a)
{
	memset(a, 0, sizeof(*a));
	a->cfg = (struct campaign_config){ .engine = "libfuzzer", .corpus = "corpus/seeds", .out = "out/campaign",
					   .target = "kcore", .oracles = "all", .jobs = 2, .seconds = 600 };
	a->cfg.fuzzer = getenv("ISOFUZZ_FUZZER");
	a->cfg.afl_mutator = getenv("ISOFUZZ_AFL_MUTATOR");
	bool sync_given = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--replay")) {
			a->replay = true;
			continue;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "isofuzz run: %s needs a value\n", argv[i]);
			return -1;
		}
		sync_given |= !strcmp(argv[i], "--sync");
		if (set_option(a, argv[i], argv[i + 1]) != 0)
			return -1;
		i++;
	}
	/* A machine that joins wants the others' inputs within a minute. */
	if (a->cfg.join && !sync_given)
		a->cfg.sync = 60;
	if (a->cfg.join)
		snprintf(a->dir, sizeof(a->dir), "%s/machines/%s", a->cfg.out, a->cfg.instance);
	else
		snprintf(a->dir, sizeof(a->dir), "%s", a->cfg.out);
	a->cfg.dir = a->dir;
	return check(a);
}

/* Every text seed becomes a binary input in dir; returns how many. */
static int convert_seeds(const struct campaign_config *o, const char *dir)
{
	static struct program p;
	char **names = campaign_list(o->corpus, "");
	if (!names) {
		fprintf(stderr, "isofuzz run: cannot read the seeds in %s\n", o->corpus);
		return -1;
	}
	int n = 0;
	for (char **e = names; *e && n >= 0; e++) {
		char in[CAMPAIGN_PATH_MAX], out[CAMPAIGN_PATH_MAX], name[512], err[512];
		snprintf(name, sizeof(name), "%.500s.bin", *e);
		if (!campaign_join(in, sizeof(in), o->corpus, *e) || !campaign_join(out, sizeof(out), dir, name))
			continue;
		if (progfile_load(in, fuzz_pools(), &p, NULL, err, sizeof(err)) != 0) {
			fprintf(stderr, "%s\n", err);
			n = -1;
		} else if (progfile_save(out, fuzz_pools(), &p, false) != 0) {
			fprintf(stderr, "isofuzz run: cannot write %s\n", out);
			n = -1;
		} else {
			n++;
		}
	}
	campaign_free_names(names);
	return n;
}

static int make_dirs(const struct run_args *a)
{
	static const char *const sub[] = { "seeds", "corpus", "crashes", "findings" };
	char path[CAMPAIGN_PATH_MAX];
	for (unsigned i = 0; i < sizeof(sub) / sizeof(sub[0]); i++)
		if (!campaign_join(path, sizeof(path), a->cfg.out, sub[i]) || campaign_mkdirs(path) != 0)
			goto fail;
	if (campaign_join(path, sizeof(path), a->dir, "logs") && campaign_mkdirs(path) == 0)
		return 0;
fail:
	fprintf(stderr, "isofuzz run: cannot create %s\n", path);
	return -1;
}

/* How to call this isofuzz from the current directory, for repro lines. */
static void self_command(char *buf, size_t n)
{
	char exe[PATH_MAX], cwd[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (len <= 0) {
		snprintf(buf, n, "isofuzz");
		return;
	}
	exe[len] = '\0';
	size_t clen = getcwd(cwd, sizeof(cwd)) ? strlen(cwd) : 0;
	if (clen && !strncmp(exe, cwd, clen) && exe[clen] == '/')
		snprintf(buf, n, "%s", exe + clen + 1);
	else
		snprintf(buf, n, "%s", exe);
}

static int replay(const struct run_args *a)
{
	unsigned bad;
	long n = campaign_replay(a->cfg.out, &bad);
	printf("replayed %ld inputs of %s, %u with a violation\n", n, a->cfg.out, bad);
	oracle_stats_print(stdout);
	return n < 0 ? 2 : 0;
}

/* The fuzzing part: 0 done (or nothing left to do), 1 interrupted, -1 failed. */
static int fuzz(struct campaign *c)
{
	char seeds[CAMPAIGN_PATH_MAX];
	snprintf(seeds, sizeof(seeds), "%s/seeds", c->cfg.out);
	int nseeds = convert_seeds(&c->cfg, seeds);
	if (nseeds < 0)
		return -1;
	uint64_t left = c->st.budget > c->st.spent ? c->st.budget - c->st.spent : 0;
	printf("campaign: %s on %s, oracles %s, %u job%s, %u s budget", c->cfg.engine, c->cfg.target, c->cfg.oracles,
	       c->cfg.jobs, c->cfg.jobs == 1 ? "" : "s", c->st.budget);
	if (c->st.sessions)
		printf(", %llu s spent in %u earlier session%s", (unsigned long long)c->st.spent, c->st.sessions,
		       c->st.sessions == 1 ? "" : "s");
	printf(", %d seeds, output in %s%s%s\n", nseeds, c->cfg.out, c->cfg.join ? " as machine " : "",
	       c->cfg.join ? c->cfg.instance : "");
	fflush(stdout);
	if (!left)
		return 0;
	c->st.sessions++;
	c->session_start = c->st.spent;
	c->clock_start = campaign_now();
	campaign_state_save(c);
	campaign_catch_signals();
	progress_init(&c->prog, c->st.budget);
	int rc = !strcmp(c->cfg.engine, "afl") ? campaign_run_afl(c, seeds, (unsigned)left)
					       : campaign_run_libfuzzer(c, seeds, (unsigned)left);
	uint64_t now_left = c->st.budget > c->st.spent ? c->st.budget - c->st.spent : 0;
	progress_show(&c->prog, c->st.spent, now_left, c->st.execs_before + c->last.execs, &c->last, true);
	progress_done(&c->prog);
	c->st.interrupted += rc == 1;
	campaign_state_save(c);
	return rc;
}

int cli_run(int argc, char **argv)
{
	static struct campaign c;
	struct run_args a;
	if (parse(argc, argv, &a) != 0)
		return 2;
	setenv("ISOFUZZ_TARGET", a.cfg.target, 1);
	setenv("ISOFUZZ_ORACLES", a.cfg.oracles, 1);
	if (fuzz_init() != 0)
		return 2;
	if (a.replay)
		return replay(&a);
	if (make_dirs(&a) != 0)
		return 2;
	memset(&c, 0, sizeof(c));
	c.cfg = a.cfg;
	if (campaign_state_load(&c.cfg, &c.st) != 0)
		return 2;
	c.st.budget = c.cfg.seconds;
	int rc = fuzz(&c);
	if (rc < 0)
		return 2;
	if (rc == 1) {
		printf("campaign: stopped after %llu s of %u; the same command resumes it\n",
		       (unsigned long long)c.st.spent, c.st.budget);
		return 130;
	}
	if (c.cfg.join) {
		printf("campaign: machine %s done; the campaign's leader makes the findings\n", c.cfg.instance);
		return 0;
	}
	char cmd[CAMPAIGN_PATH_MAX];
	self_command(cmd, sizeof(cmd));
	int nf = campaign_findings(&c.cfg, cmd);
	if (nf < 0) {
		fprintf(stderr, "isofuzz run: cannot write the findings in %s\n", c.cfg.out);
		return 2;
	}
	printf("campaign: %llu s fuzzed in %u session%s, %llu execs, %d finding%s\n", (unsigned long long)c.st.spent,
	       c.st.sessions, c.st.sessions == 1 ? "" : "s",
	       (unsigned long long)(c.st.execs_before + (strcmp(c.cfg.engine, "afl") ? 0 : c.last.execs)), nf,
	       nf == 1 ? "" : "s");
	return nf ? 1 : 0;
}
