/* isofuzz run: a campaign.  Seeds (text programs) become binary inputs, the
 * chosen engine fuzzes for what is left of the time budget on the given
 * number of jobs, and every crash it saved is replayed here, deduplicated
 * by violation kind and site, minimized and written out with its trace.
 * Running it again on the same --out resumes the campaign. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "program/binary/binary.h"
#include "campaign/campaign.h"
#include "cli/cli.h"
#include "engines/fuzz_one.h"
#include "exec/checks/oracle_stats.h"
#include "program/file/progfile.h"

/* The longest budget a campaign may ask for: a year. */
#define RUN_MAX_SECONDS (365u * 24 * 3600)

static struct run_args {
	struct campaign_config cfg;
	bool replay, sync_given;
	char dir[CAMPAIGN_PATH_MAX];
} args;

static int run(int argc, char **argv);

static const char *const engines[] = { "libfuzzer", "afl", NULL };

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

static const struct cli_opt run_opts[] = {
	{ "--engine", NULL, CLI_STRING, NULL, "the fuzzing engine", .dst = &args.cfg.engine, .choices = engines },
	{ "--jobs", NULL, CLI_UINT, "N", "fuzzer processes", .dst = &args.cfg.jobs, .min = 1, .max = CAMPAIGN_MAX_JOBS },
	{ "--time", NULL, CLI_UINT, "SECONDS", "the whole campaign's budget, every session", .dst = &args.cfg.seconds,
	  .min = 1, .max = RUN_MAX_SECONDS },
	{ "--corpus", NULL, CLI_STRING, "DIR", "the text seeds", .dst = &args.cfg.corpus },
	{ "--out", NULL, CLI_STRING, "DIR", "the campaign's directory (the same one resumes it)", .dst = &args.cfg.out },
	{ "--target", NULL, CLI_STRING, NULL, "the hypervisor", .dst = &args.cfg.target, .choices = cli_targets },
	{ "--oracles", NULL, CLI_STRING, "LIST", CLI_OPT_ORACLES_HELP, .dst = &args.cfg.oracles, .valid = cli_oracles_ok,
	  .expects = CLI_OPT_ORACLES_HELP },
	{ "--fuzzer", NULL, CLI_STRING, "PATH", "the engine's build of the harness (also ISOFUZZ_FUZZER)",
	  .dst = &args.cfg.fuzzer },
	{ "--afl-mutator", NULL, CLI_STRING, "SO", "AFL++'s custom mutator (also ISOFUZZ_AFL_MUTATOR)",
	  .dst = &args.cfg.afl_mutator },
	{ "--afl-cmplog", NULL, CLI_STRING, "PATH", "AFL++'s CMPLOG build of the target, for the main instance",
	  .dst = &args.cfg.afl_cmplog },
	{ "--recheck", NULL, CLI_STRING, "PATH", "the ASan+UBSan build of the harness: re-run every kept input and crash",
	  .dst = &args.cfg.recheck },
	{ "--join", NULL, CLI_STRING, "NAME", "add this machine's jobs to a campaign another machine leads",
	  .dst = &args.cfg.instance, .valid = plain_name, .expects = "letters, digits, '-' and '_' (40 at most)" },
	{ "--sync", NULL, CLI_UINT, "SECONDS", "libFuzzer: reload the shared corpus this often (0 never; 60 with --join)",
	  .dst = &args.cfg.sync, .min = 0, .max = RUN_MAX_SECONDS, .given = &args.sync_given },
	{ "--replay", NULL, CLI_FLAG, NULL, "run every input the campaign in --out kept once, and fuzz nothing",
	  .dst = &args.replay },
};

const struct cli_command cli_run_command = {
	"run", NULL, "Run a fuzzing campaign, or resume the one in --out.",
	"The engine fuzzes the seeds for what is left of the budget; then every saved crash\n"
	"is replayed, deduplicated by violation kind and site, minimized and written to\n"
	"OUT/findings/KIND/SITE/.\n",
	"0 no violation found, 1 a violation found (findings written), 2 bad usage or the\n"
	"campaign could not run, 130 stopped by a signal (the same command resumes it).\n"
	"With --replay: 0 every input clean, 1 some input gives a violation, 2 no campaign in OUT",
	run_opts, CLI_COUNT(run_opts), 0, 0, run,
};

static int check(struct run_args *a)
{
	struct campaign_config *o = &a->cfg;
	if (!a->replay && !o->fuzzer) {
		fprintf(stderr, "isofuzz run: the %s fuzz target is needed (--fuzzer PATH or ISOFUZZ_FUZZER)\n", o->engine);
		return -1;
	}
	return 0;
}

/* Into args (the table's storage): -1 to go on, or the exit status to end
 * with (after --help or a bad flag). */
static int parse(int argc, char **argv)
{
	struct run_args *a = &args;
	char *none[1];
	unsigned n;
	memset(a, 0, sizeof(*a));
	a->cfg = (struct campaign_config){ .engine = "libfuzzer", .corpus = "corpus/seeds", .out = "out/campaign",
					   .target = "kcore", .oracles = "all", .jobs = 2, .seconds = 600 };
	a->cfg.fuzzer = getenv("ISOFUZZ_FUZZER");
	a->cfg.afl_mutator = getenv("ISOFUZZ_AFL_MUTATOR");
	int rc = cli_parse(&cli_run_command, argc, argv, none, &n);
	if (rc != 0)
		return rc > 0 ? CLI_EXIT_CLEAN : CLI_EXIT_BAD;
	if (check(a) != 0)
		return CLI_EXIT_BAD;
	a->cfg.join = a->cfg.instance != NULL;
	/* A machine that joins wants the others' inputs within a minute. */
	if (a->cfg.join && !a->sync_given)
		a->cfg.sync = 60;
	if (a->cfg.join)
		snprintf(a->dir, sizeof(a->dir), "%s/machines/%s", a->cfg.out, a->cfg.instance);
	else
		snprintf(a->dir, sizeof(a->dir), "%s", a->cfg.out);
	a->cfg.dir = a->dir;
	return -1;
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

/* Exits by what it replays: 1 if any input gives a violation. */
static int replay(const struct run_args *a)
{
	struct stat st;
	unsigned bad;
	if (stat(a->cfg.out, &st) != 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "isofuzz run --replay: %s: %s\n", a->cfg.out,
			errno == ENOENT ? "no such directory" : "not a directory");
		return CLI_EXIT_BAD;
	}
	long n = campaign_replay(a->cfg.out, &bad);
	if (n <= 0) {
		fprintf(stderr, "isofuzz run --replay: no campaign inputs in %s (seeds/, corpus/, crashes/, afl/)\n",
			a->cfg.out);
		return CLI_EXIT_BAD;
	}
	printf("replayed %ld inputs of %s, %u with a violation\n", n, a->cfg.out, bad);
	oracle_stats_print(stdout);
	return bad ? CLI_EXIT_VIOLATION : CLI_EXIT_CLEAN;
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
	c->clock_start_ms = campaign_now_ms();
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

static int run(int argc, char **argv)
{
	static struct campaign c;
	struct run_args *a = &args;
	int rc = parse(argc, argv);
	if (rc >= 0)
		return rc;
	setenv("ISOFUZZ_TARGET", a->cfg.target, 1);
	setenv("ISOFUZZ_ORACLES", a->cfg.oracles, 1);
	if (fuzz_init() != 0)
		return 2;
	if (a->replay)
		return replay(a);
	if (make_dirs(a) != 0)
		return 2;
	memset(&c, 0, sizeof(c));
	c.cfg = a->cfg;
	if (campaign_state_load(&c.cfg, &c.st) != 0)
		return 2;
	c.st.budget = c.cfg.seconds;
	rc = fuzz(&c);
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
	if (nf == CAMPAIGN_STOPPED)
		return 130;
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
