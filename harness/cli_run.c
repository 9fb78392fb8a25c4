/* isofuzz run: a campaign.  Seeds (text programs) become binary inputs, the
 * chosen engine fuzzes for the time budget on the given number of jobs, and
 * every crash it saved is replayed here, deduplicated by violation kind,
 * minimized and written out as a text program with its trace. */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdbool.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "binary.h"
#include "cli.h"
#include "fuzz_one.h"
#include "minimize.h"
#include "progfile.h"

struct run_opts {
	const char *engine, *corpus, *out, *target, *oracles, *fuzzer, *afl_mutator;
	unsigned jobs, seconds;
};

/* dir/name into buf; false (and nothing usable) when it does not fit. */
static bool join(char *buf, size_t n, const char *dir, const char *name)
{
	int len = snprintf(buf, n, "%s/%s", dir, name);
	return len >= 0 && (size_t)len < n;
}

static int mkdirs(const char *path)
{
	char buf[4096];
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(buf, 0777) != 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(buf, 0777) != 0 && errno != EEXIST ? -1 : 0;
}

static int parse(int argc, char **argv, struct run_opts *o)
{
	*o = (struct run_opts){ .engine = "libfuzzer", .corpus = "corpus/seeds", .out = "out/campaign",
				.target = "kcore", .oracles = "all", .jobs = 2, .seconds = 600 };
	o->fuzzer = getenv("ISOFUZZ_FUZZER");
	o->afl_mutator = getenv("ISOFUZZ_AFL_MUTATOR");
	for (int i = 1; i < argc; i++) {
		if (i + 1 >= argc) {
			fprintf(stderr, "isofuzz run: %s needs a value\n", argv[i]);
			return -1;
		}
		const char *a = argv[i], *v = argv[++i];
		if (!strcmp(a, "--engine")) o->engine = v;
		else if (!strcmp(a, "--jobs")) o->jobs = (unsigned)strtoul(v, NULL, 0);
		else if (!strcmp(a, "--time")) o->seconds = (unsigned)strtoul(v, NULL, 0);
		else if (!strcmp(a, "--corpus")) o->corpus = v;
		else if (!strcmp(a, "--out")) o->out = v;
		else if (!strcmp(a, "--target")) o->target = v;
		else if (!strcmp(a, "--oracles")) o->oracles = v;
		else if (!strcmp(a, "--fuzzer")) o->fuzzer = v;
		else if (!strcmp(a, "--afl-mutator")) o->afl_mutator = v;
		else {
			fprintf(stderr, "isofuzz run: unknown option %s\n", a);
			return -1;
		}
	}
	if (strcmp(o->engine, "libfuzzer") && strcmp(o->engine, "afl")) {
		fprintf(stderr, "isofuzz run: --engine %s: expected libfuzzer or afl\n", o->engine);
		return -1;
	}
	if (!o->fuzzer) {
		fprintf(stderr, "isofuzz run: the %s fuzz target is needed (--fuzzer PATH or ISOFUZZ_FUZZER)\n", o->engine);
		return -1;
	}
	if (!target_by_name(o->target)) {
		fprintf(stderr, "isofuzz run: --target %s: expected kcore or vanilla\n", o->target);
		return -1;
	}
	if (o->jobs == 0)
		o->jobs = 1;
	return 0;
}

/* Every text seed becomes a binary input in dir; returns how many. */
static int convert_seeds(const struct run_opts *o, const struct program_pools *pools, const char *dir)
{
	DIR *d = opendir(o->corpus);
	if (!d) {
		fprintf(stderr, "isofuzz run: %s: %s\n", o->corpus, strerror(errno));
		return -1;
	}
	static struct program p;
	int n = 0;
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		char in[4096], out[4096], name[512], err[512];
		snprintf(name, sizeof(name), "%.500s.bin", e->d_name);
		if (!join(in, sizeof(in), o->corpus, e->d_name) || !join(out, sizeof(out), dir, name))
			continue;
		if (progfile_load(in, pools, &p, NULL, err, sizeof(err)) != 0) {
			fprintf(stderr, "%s\n", err);
			closedir(d);
			return -1;
		}
		if (progfile_save(out, pools, &p, false) != 0) {
			closedir(d);
			return -1;
		}
		n++;
	}
	closedir(d);
	return n;
}

static pid_t spawn(char *const argv[])
{
	pid_t pid = fork();
	if (pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "isofuzz run: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	return pid;
}

static int run_libfuzzer(const struct run_opts *o, const char *seeds)
{
	char corpus[4096], art[4096], t[64], fork_n[64];
	snprintf(corpus, sizeof(corpus), "%s/corpus", o->out);
	snprintf(art, sizeof(art), "-artifact_prefix=%s/crashes/", o->out);
	snprintf(t, sizeof(t), "-max_total_time=%u", o->seconds);
	snprintf(fork_n, sizeof(fork_n), "-fork=%u", o->jobs);
	char *argv[] = { (char *)o->fuzzer, fork_n, "-ignore_crashes=1", t, art, "-print_final_stats=1",
			 "-max_len=8192", corpus, (char *)seeds, NULL };
	pid_t pid = spawn(argv);
	int st;
	return pid < 0 || waitpid(pid, &st, 0) < 0 ? -1 : 0;
}

static int run_afl(const struct run_opts *o, const char *seeds)
{
	char sync[4096], v[64];
	snprintf(sync, sizeof(sync), "%s/afl", o->out);
	snprintf(v, sizeof(v), "%u", o->seconds);
	if (o->afl_mutator)
		setenv("AFL_CUSTOM_MUTATOR_LIBRARY", o->afl_mutator, 1);
	setenv("AFL_NO_UI", "1", 0);
	setenv("AFL_SKIP_CPUFREQ", "1", 0);
	setenv("AFL_NO_AFFINITY", "1", 0);
	setenv("AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES", "1", 0);
	setenv("AFL_AUTORESUME", "1", 0);
	pid_t pids[16];
	unsigned n = o->jobs < 16 ? o->jobs : 16;
	for (unsigned j = 0; j < n; j++) {
		char name[32];
		snprintf(name, sizeof(name), j == 0 ? "main" : "secondary%u", j);
		char *argv[] = { "afl-fuzz", "-i", (char *)seeds, "-o", sync, j == 0 ? "-M" : "-S", name, "-V", v,
				 "--", (char *)o->fuzzer, NULL };
		pids[j] = spawn(argv);
	}
	for (unsigned j = 0; j < n; j++) {
		int st;
		if (pids[j] > 0)
			waitpid(pids[j], &st, 0);
	}
	return 0;
}

struct finding {
	enum violation_kind kind;
	char path[4096];
};

static void collect_file(const char *path, struct finding *f, unsigned *nf, const struct program_pools *pools)
{
	static struct program p;
	static struct exec_result r;
	char err[256];
	if (progfile_load(path, pools, &p, NULL, err, sizeof(err)) != 0 || !exec_run(&p, &r))
		return;
	for (unsigned i = 0; i < *nf; i++)
		if (f[i].kind == r.v.kind)
			return;
	if (*nf < V__COUNT) {
		f[*nf].kind = r.v.kind;
		snprintf(f[*nf].path, sizeof(f[*nf].path), "%s", path);
		(*nf)++;
	}
}

static void collect_dir(const char *dir, const char *prefix, struct finding *f, unsigned *nf,
			const struct program_pools *pools)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	for (struct dirent *e; (e = readdir(d));) {
		if (strncmp(e->d_name, prefix, strlen(prefix)) != 0)
			continue;
		char path[4096];
		if (!join(path, sizeof(path), dir, e->d_name))
			continue;
		collect_file(path, f, nf, pools);
	}
	closedir(d);
}

/* Minimize each finding and write program and trace under out/findings. */
static void write_finding(const struct run_opts *o, const struct finding *f, const struct program_pools *pools)
{
	static struct program p;
	static struct exec_result r;
	char err[256], dir[4096], path[4200];
	if (progfile_load(f->path, pools, &p, NULL, err, sizeof(err)) != 0)
		return;
	struct minimize_stats st;
	minimize_program(&p, f->kind, 5000, &st);
	snprintf(dir, sizeof(dir), "%s/findings/%s", o->out, violation_kind_name(f->kind));
	mkdirs(dir);
	snprintf(path, sizeof(path), "%s/program.txt", dir);
	progfile_save(path, pools, &p, true);
	snprintf(path, sizeof(path), "%s/trace.txt", dir);
	FILE *t = fopen(path, "w");
	if (t) {
		exec_run(&p, &r);
		exec_print_trace(t, &p, &r);
		fclose(t);
	}
	printf("finding: %-22s %u steps (from %u)  repro: isofuzz repro --target %s %s/program.txt\n",
	       violation_kind_name(f->kind), st.steps_after, st.steps_before, o->target, dir);
}

int cli_run(int argc, char **argv)
{
	struct run_opts o;
	if (parse(argc, argv, &o) != 0)
		return 2;
	setenv("ISOFUZZ_TARGET", o.target, 1);
	setenv("ISOFUZZ_ORACLES", o.oracles, 1);
	if (fuzz_init() != 0)
		return 2;
	char seeds[4096], sub[4200];
	snprintf(seeds, sizeof(seeds), "%s/seeds", o.out);
	static const char *dirs[] = { "seeds", "corpus", "crashes", "findings" };
	for (unsigned i = 0; i < 4; i++) {
		snprintf(sub, sizeof(sub), "%s/%s", o.out, dirs[i]);
		if (mkdirs(sub) != 0) {
			fprintf(stderr, "isofuzz run: cannot create %s\n", sub);
			return 2;
		}
	}
	int nseeds = convert_seeds(&o, fuzz_pools(), seeds);
	if (nseeds < 0)
		return 2;
	printf("campaign: %s on %s, %u jobs, %u s, %d seeds, output in %s\n", o.engine, o.target, o.jobs,
	       o.seconds, nseeds, o.out);
	fflush(stdout);
	if ((!strcmp(o.engine, "afl") ? run_afl(&o, seeds) : run_libfuzzer(&o, seeds)) != 0)
		return 2;
	struct finding f[V__COUNT];
	unsigned nf = 0;
	snprintf(sub, sizeof(sub), "%s/crashes", o.out);
	collect_dir(sub, "crash-", f, &nf, fuzz_pools());
	for (unsigned j = 0; j < 16; j++) {
		snprintf(sub, sizeof(sub), j == 0 ? "%s/afl/main/crashes" : "%s/afl/secondary%u/crashes", o.out, j);
		collect_dir(sub, "id:", f, &nf, fuzz_pools());
	}
	for (unsigned i = 0; i < nf; i++)
		write_finding(&o, &f[i], fuzz_pools());
	printf("campaign: %u distinct violation kind%s\n", nf, nf == 1 ? "" : "s");
	return nf ? 1 : 0;
}
