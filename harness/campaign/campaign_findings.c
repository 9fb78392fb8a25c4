/* From the crashes an engine saved to findings people read: each crash is
 * replayed, crashes with the same violation kind and site (the step kind
 * that failed and the first field the oracle found different) count as
 * one finding, and the first of each is minimized and written out with
 * its trace and a command that reproduces it. */
#include <stdio.h>
#include <string.h>

#include "campaign/campaign.h"
#include "exec/exec.h"
#include "engines/fuzz_one.h"
#include "exec/minimize.h"
#include "program/file/progfile.h"

#define MAX_FINDINGS 256
#define MINIMIZE_RUNS 5000

struct finding {
	enum violation_kind kind;
	char site[96];
	char path[CAMPAIGN_PATH_MAX];
	unsigned crashes;           /* saved crashes with this kind and site */
};

struct finding_set {
	unsigned n, unreproduced;
	struct finding f[MAX_FINDINGS];
	char first_unreproduced[CAMPAIGN_PATH_MAX];
};

/* must_violate: an input that is not a crash unless it violates here (a
 * seed), so a clean one is no unreproduced crash. */
static void add_input(struct finding_set *s, const char *path, bool must_violate)
{
	static struct program p;
	static struct exec_result r;
	char err[256], site[96];
	if (progfile_load(path, fuzz_pools(), &p, NULL, err, sizeof(err)) != 0 || !exec_run(&p, &r)) {
		/* Saved by the engine, yet no violation here: a sanitizer
		 * report or a timeout, which the engine's log explains. */
		if (!must_violate && !s->unreproduced++)
			snprintf(s->first_unreproduced, sizeof(s->first_unreproduced), "%s", path);
		return;
	}
	fuzz_violation_site(&p, &r.v, site, sizeof(site));
	for (unsigned i = 0; i < s->n; i++)
		if (s->f[i].kind == r.v.kind && !strcmp(s->f[i].site, site)) {
			s->f[i].crashes++;
			return;
		}
	if (s->n == MAX_FINDINGS)
		return;
	struct finding *f = &s->f[s->n++];
	f->kind = r.v.kind;
	f->crashes = 1;
	snprintf(f->site, sizeof(f->site), "%s", site);
	snprintf(f->path, sizeof(f->path), "%s", path);
}

static void add_dir(struct finding_set *s, const char *dir, const char *prefix, bool must_violate)
{
	char **names = campaign_list(dir, prefix);
	for (char **n = names; n && *n && !campaign_stop_requested(); n++) {
		char path[CAMPAIGN_PATH_MAX];
		if (campaign_join(path, sizeof(path), dir, *n))
			add_input(s, path, must_violate);
	}
	campaign_free_names(names);
}

/* libFuzzer's crashes, then each AFL++ instance's, in name order, then
 * the seeds that violate when AFL++ ran: it passes over those (libFuzzer
 * saves them as crashes). */
static void collect(const char *out, struct finding_set *s)
{
	char dir[CAMPAIGN_PATH_MAX + 512], afl[CAMPAIGN_PATH_MAX];
	snprintf(dir, sizeof(dir), "%s/crashes", out);
	add_dir(s, dir, "crash-", false);
	snprintf(afl, sizeof(afl), "%s/afl", out);
	char **inst = campaign_list(afl, "");
	for (char **n = inst; n && *n; n++) {
		snprintf(dir, sizeof(dir), "%s/%s/crashes", afl, *n);
		add_dir(s, dir, "id:", false);
	}
	if (inst && *inst) {
		snprintf(dir, sizeof(dir), "%s/seeds", out);
		add_dir(s, dir, "", true);
	}
	campaign_free_names(inst);
}

static void write_trace(const char *dir, const struct program *p)
{
	static struct exec_result r;
	char path[CAMPAIGN_PATH_MAX + 32];
	exec_run(p, &r);
	snprintf(path, sizeof(path), "%s/trace.txt", dir);
	FILE *t = fopen(path, "w");
	if (t) {
		exec_print_trace(t, p, &r);
		fclose(t);
	}
	snprintf(path, sizeof(path), "%s/violation.json", dir);
	FILE *j = fopen(path, "w");
	if (j) {
		violation_json(j, &r.v);
		fclose(j);
	}
}

/* Minimize f and write its directory; one line of findings.tsv. */
static int write_one(const struct campaign_config *cfg, const struct finding *f, const char *isofuzz_cmd,
		     FILE *tsv)
{
	static struct program p;
	char err[256], dir[CAMPAIGN_PATH_MAX], path[CAMPAIGN_PATH_MAX + 32], repro[CAMPAIGN_PATH_MAX * 2];
	if (progfile_load(f->path, fuzz_pools(), &p, NULL, err, sizeof(err)) != 0)
		return -1;
	struct minimize_stats st;
	minimize_program(&p, f->kind, MINIMIZE_RUNS, &st);
	snprintf(dir, sizeof(dir), "%s/findings/%s/%s", cfg->out, violation_kind_name(f->kind), f->site);
	if (campaign_mkdirs(dir) != 0)
		return -1;
	snprintf(path, sizeof(path), "%s/program.txt", dir);
	if (progfile_save(path, fuzz_pools(), &p, true) != 0)
		return -1;
	write_trace(dir, &p);
	snprintf(repro, sizeof(repro), "%s repro --target %s --oracles %s %s", isofuzz_cmd, cfg->target,
		 cfg->oracles, path);
	snprintf(path, sizeof(path), "%s/repro.txt", dir);
	FILE *r = fopen(path, "w");
	if (r) {
		fprintf(r, "%s\n", repro);
		fclose(r);
	}
	fprintf(tsv, "%s\t%s\t%s\t%u\t%u\t%u\t%s\t%s\t%s\t%s\n", violation_kind_name(f->kind), f->site,
		violation_oracle_name(violation_kind_oracle(f->kind)), f->crashes, st.steps_before, st.steps_after,
		f->path, dir, repro, campaign_build_name(cfg->fuzzer));
	printf("finding: %s at %s, %u steps (from %u)\n  repro: %s\n", violation_kind_name(f->kind), f->site,
	       st.steps_after, st.steps_before, repro);
	return 0;
}

int campaign_findings(const struct campaign_config *cfg, const char *isofuzz_cmd)
{
	static struct finding_set s;
	memset(&s, 0, sizeof(s));
	collect(cfg->out, &s);
	char path[CAMPAIGN_PATH_MAX];
	snprintf(path, sizeof(path), "%s/findings.tsv", cfg->out);
	FILE *tsv = fopen(path, "w");
	if (!tsv)
		return -1;
	/* found_by: the build whose run saved the input */
	fprintf(tsv, "kind\tsite\toracle\tcrashes\tsteps_before\tsteps_after\tcrash\tdir\trepro\tfound_by\n");
	for (unsigned i = 0; i < s.n && !campaign_stop_requested(); i++)
		write_one(cfg, &s.f[i], isofuzz_cmd, tsv);
	int sanitizer = campaign_sanitizer_findings(cfg, tsv);
	if (campaign_stop_requested()) {
		fclose(tsv);
		printf("campaign: stopping: the findings are made when the same command runs again\n");
		return CAMPAIGN_STOPPED;
	}
	if (s.unreproduced) {
		fprintf(tsv, "unreproduced\t-\t-\t%u\t0\t0\t%s\t-\t-\t%s\n", s.unreproduced, s.first_unreproduced,
			campaign_build_name(cfg->fuzzer));
		printf("campaign: %u saved crash%s gave no violation on replay (sanitizer or timeout?), first %s\n",
		       s.unreproduced, s.unreproduced == 1 ? "" : "es", s.first_unreproduced);
	}
	fclose(tsv);
	return (int)s.n + sanitizer + (s.unreproduced ? 1 : 0);
}
