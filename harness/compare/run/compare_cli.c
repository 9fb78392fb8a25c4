/* isofuzz compare: the corpora on KCore (host library and image), the
 * baseline's model, real KVM and real pKVM, side by side; writes
 * compare.md and compare.json (compare_report.c). */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cli_opts.h"
#include "compare/run/compare_image.h"
#include "compare/run/compare_run.h"
#include "compare/compare_views.h"
#include "program/pools.h"
#include "program/file/progfile.h"

#define MAX_FILES 1024

const char *const cmp_target_name[T__COUNT] = { "kcore", "kcore-image", "vanilla", "kvm", "pkvm" };

struct compare_opts {
	struct linux_options linux;
	struct image_cost_options image;
	const char *out;
	unsigned runs;
	char *files[MAX_FILES];
	unsigned nfiles;
};

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A directory means its *.txt files, sorted. */
static int add_path(struct compare_opts *o, const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		fprintf(stderr, "isofuzz compare: %s: no such file or directory\n", path);
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		if (o->nfiles < MAX_FILES)
			o->files[o->nfiles++] = strdup(path);
		return 0;
	}
	DIR *d = opendir(path);
	unsigned first = o->nfiles;
	for (struct dirent *e; d && (e = readdir(d)) && o->nfiles < MAX_FILES;) {
		size_t len = strlen(e->d_name);
		if (len > 4 && strcmp(e->d_name + len - 4, ".txt") == 0) {
			char *p = malloc(strlen(path) + len + 2);
			sprintf(p, "%s/%s", path, e->d_name);
			o->files[o->nfiles++] = p;
		}
	}
	if (d)
		closedir(d);
	qsort(o->files + first, o->nfiles - first, sizeof(o->files[0]), by_name);
	return 0;
}

static struct compare_opts copts;

static const struct cli_opt compare_opt_table[] = {
	{ "--out", "-o", CLI_STRING, "DIR", "where compare.md and compare.json go", .dst = &copts.out },
	{ "--image", NULL, CLI_STRING, "ELF", "KCore's bare-metal image", .dst = &copts.image.image },
	{ "--linux", NULL, CLI_STRING, "DIR", "hyp/linux/setup.sh's output (kernel, initramfs)",
	  .dst = &copts.linux.dir },
	{ "--plugin", NULL, CLI_STRING, "SO", "the TCG plugin, for EL2 instruction counts", .dst = &copts.linux.plugin },
	{ "--qemu", NULL, CLI_STRING, "PATH", "qemu-system-aarch64", .dst = &copts.linux.qemu },
	{ "--timeout", NULL, CLI_UINT, "SECONDS", "per boot (a watchdog only)", .dst = &copts.linux.timeout, .min = 1,
	  .max = 86400 },
	{ "--runs", NULL, CLI_UINT, "N", "runs of everything (EL2 counts must repeat exactly)", .dst = &copts.runs,
	  .min = 1, .max = 10 },
	{ "--residue", NULL, CLI_UINT, "PAGES", "pages a VM fills before teardown (0: no residue scan)",
	  .dst = &copts.linux.residue_pages, .min = 0, .max = 4096 },
	{ "--rounds", NULL, CLI_UINT, "N", "repeats of each EL2 cost window", .dst = &copts.linux.cost_rounds,
	  .min = 1, .max = 64 },
};

int cli_compare(int argc, char **argv);

const struct cli_command cli_compare_command = {
	"compare", "[DIR|FILE...]", "KCore (library and image), vanilla, real KVM and pKVM on the same programs.",
	"Without programs: corpus/attacks, corpus/benign and corpus/seeds.  Writes\n"
	"OUT/compare.md and OUT/compare.json (make compare-kvm sets up the kernel).\n",
	"0 done, 1 an unexplained model/KVM mismatch or EL2 counts that do not repeat, 2 bad input\n"
	"or usage or a target could not run", compare_opt_table, CLI_COUNT(compare_opt_table), 0,
	~0u, cli_compare,
};

/* Options, then the programs.  -1 to go on, or the exit status to end with. */
static int parse(int argc, char **argv, struct compare_opts *o)
{
	compare_linux_defaults(&o->linux);
	image_cost_defaults(&o->image);
	o->out = "out/compare";
	o->runs = 1;
	char **args = calloc((size_t)argc + 1, sizeof(*args));
	unsigned nargs = 0;
	if (!args)
		return 2;
	int rc = cli_parse(&cli_compare_command, argc, argv, args, &nargs);
	for (unsigned i = 0; rc == 0 && i < nargs; i++)
		if (add_path(o, args[i]) != 0)
			rc = -1;
	free(args);
	if (rc != 0)
		return rc > 0 ? 0 : 2;
	if (o->nfiles == 0)
		for (const char *const *d = (const char *const[]){ "corpus/attacks", "corpus/benign", "corpus/seeds", NULL }; *d; d++)
			if (add_path(o, *d) != 0)
				return 2;
	o->image.plugin = o->linux.plugin;
	o->image.qemu = o->linux.qemu;
	o->image.timeout = o->linux.timeout;
	return -1;
}

static void corpus_of(const char *path, char *out, size_t cap)
{
	const char *end = strrchr(path, '/'), *start = end;
	while (start && start > path && start[-1] != '/')
		start--;
	snprintf(out, cap, "%.*s", end && start ? (int)(end - start) : 0, end && start ? start : "");
}

static int load_all(struct cmp_run *r, struct compare_opts *o)
{
	struct program_pools pools;
	char err[512];

	program_pools_init(&pools, exec_boot());
	for (unsigned k = 0; k < r->n; k++) {
		struct cmp_prog *p = &r->prog[k];
		p->path = o->files[k];
		corpus_of(p->path, p->corpus, sizeof(p->corpus));
		if (progfile_load(p->path, &pools, &p->kvm[0].prog, NULL, err, sizeof(err)) != 0) {
			fprintf(stderr, "%s\n", err);
			return -1;
		}
	}
	return 0;
}

/* The host library on one target, as written: each program's outcome. */
static int run_model(struct cmp_run *r, const struct hyp_target *t, enum cmp_target slot)
{
	static struct exec_result res;
	static struct target_run view;

	(void)t;
	for (unsigned k = 0; k < r->n; k++) {
		exec_run(&r->prog[k].kvm[0].prog, &res);
		views_from_model(&r->prog[k].kvm[0].prog, &res, &view);
		r->prog[k].out[slot] = view.out;
		r->prog[k].have[slot] = true;
	}
	return 0;
}

static void run_image(struct cmp_run *r, struct compare_opts *o)
{
	char err[512];
	const struct program **progs = calloc(r->n, sizeof(*progs));
	struct outcome *out = calloc(r->n, sizeof(*out));
	bool *have = calloc(r->n, sizeof(*have));

	for (unsigned k = 0; progs && k < r->n; k++)
		progs[k] = &r->prog[k].kvm[0].prog;
	if (progs && out && have && image_outcomes(&o->image, progs, r->n, out, have, err, sizeof(err)) == 0)
		for (unsigned k = 0; k < r->n; k++) {
			r->prog[k].out[T_IMAGE] = out[k];
			r->prog[k].have[T_IMAGE] = have[k];
		}
	else
		fprintf(stderr, "isofuzz compare: KCore's image: %s\n", err);
	if (o->image.plugin)
		for (unsigned run = 0; run < r->runs; run++) {
			struct el2_cost c[EL2__OPS];
			if (image_costs(&o->image, o->linux.cost_rounds, c, err, sizeof(err)) != 0) {
				fprintf(stderr, "isofuzz compare: KCore's image EL2 cost: %s\n", err);
				break;
			}
			if (run == 0)
				memcpy(r->cost[T_IMAGE], c, sizeof(c));
			for (unsigned op = 0; op < EL2__OPS; op++)
				if (c[op].have != r->cost[T_IMAGE][op].have ||
				    c[op].rounds_hash != r->cost[T_IMAGE][op].rounds_hash)
					r->cost_repeats[T_IMAGE] = false;
		}
	free(progs);
	free(out);
	free(have);
}

/* Both KVM modes, runs times each; the programs' observations from the
 * first run, the EL2 counts checked to repeat in the others. */
static int run_linux(struct cmp_run *r, struct compare_opts *o)
{
	static struct kvm_case *cases;
	char err[512];

	cases = calloc(r->n, sizeof(*cases));
	if (!cases)
		return -1;
	for (int m = 0; m < LINUX__MODES; m++) {
		enum cmp_target slot = m == LINUX_PROTECTED ? T_PKVM : T_KVM;
		for (unsigned run = 0; run < r->runs; run++) {
			struct el2_cost c[EL2__OPS];
			for (unsigned k = 0; k < r->n; k++) {
				cases[k] = r->prog[k].kvm[0];
				cases[k].path = r->prog[k].path;
				kvm_case_prepare(&cases[k]);
			}
			struct linux_residue res = { 0 };
			/* pKVM: the host's read of a page the hypervisor took makes
			 * it panic (6.1), and a scan of all RAM reaches such pages */
			bool scan = run == 0 && m == LINUX_NVHE;
			if (linux_run(&o->linux, (enum linux_mode)m, cases, r->n, c, scan ? &res : NULL, err,
				      sizeof(err)) != 0) {
				fprintf(stderr, "isofuzz compare: %s: %s\n", linux_target_name((enum linux_mode)m), err);
				free(cases);
				return -1;
			}
			if (run == 0) {
				r->residue[m] = res;
				memcpy(r->cost[slot], c, sizeof(c));
				for (unsigned k = 0; k < r->n; k++)
					r->prog[k].kvm[m] = cases[k];
			}
			for (unsigned op = 0; op < EL2__OPS; op++)
				if (c[op].have != r->cost[slot][op].have ||
				    c[op].rounds_hash != r->cost[slot][op].rounds_hash)
					r->cost_repeats[slot] = false;
		}
	}
	free(cases);
	return 0;
}

/* Why the baseline's breaks are not all on KVM: the steps with no KVM
 * meaning it ran; empty if it ran none. */
static void explain(struct cmp_prog *p)
{
	const struct kvm_case *c = &p->kvm[0];
	size_t len = 0;

	p->explain[0] = '\0';
	for (unsigned i = 0; i < c->prog.nsteps; i++) {
		const char *why = kvm_step_why_not(&c->prog.step[i]);
		const char *name = program_step_info(c->prog.step[i].kind)->name;
		if (!why || c->ref.obs[i].status != OBS_DONE || c->ref.obs[i].ret < 0 || strstr(p->explain, name) ||
		    c->prog.step[i].kind == STEP_KSERV_FAULT || c->prog.step[i].kind == STEP_GUEST_GRANT ||
		    c->prog.step[i].kind == STEP_GUEST_REVOKE)
			continue;
		len += (size_t)snprintf(p->explain + len, len < sizeof(p->explain) ? sizeof(p->explain) - len : 0,
					"%s%s (%s)", len ? "; " : "", name, why);
	}
}

static void judge(struct cmp_run *r)
{
	static struct target_run t;

	for (unsigned k = 0; k < r->n; k++) {
		struct cmp_prog *p = &r->prog[k];
		bool attack = strcmp(p->corpus, "attacks") == 0;
		for (int m = 0; m < LINUX__MODES; m++) {
			enum cmp_target slot = m == LINUX_PROTECTED ? T_PKVM : T_KVM;
			match_case(&p->kvm[m], &p->match[m]);
			r->different += p->match[m].different;
			views_from_kvm(&p->kvm[m], &t);
			p->out[slot] = t.out;
			p->have[slot] = p->kvm[m].ended;
			if (!p->kvm[m].ended)
				p->problem = true;
			if (attack && (p->out[T_VANILLA].breaks & ~t.out.breaks)) {
				explain(p);
				if (!p->explain[0])
					p->problem = true;
			}
		}
		if (attack && ((p->have[T_KCORE] && p->out[T_KCORE].breaks) ||
			       (p->have[T_IMAGE] && p->out[T_IMAGE].breaks)))
			p->problem = true;
		r->problems += p->problem;
	}
}

static int mkdirs(const char *path)
{
	char buf[512];
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *s = buf + 1; *s; s++)
		if (*s == '/') {
			*s = '\0';
			mkdir(buf, 0755);
			*s = '/';
		}
	return mkdir(buf, 0755) == 0 || access(buf, W_OK) == 0 ? 0 : -1;
}

static void read_kernel_name(struct cmp_run *r, const char *dir)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/kernel-package", dir);
	FILE *f = fopen(path, "r");
	snprintf(r->kernel, sizeof(r->kernel), "unknown");
	if (f) {
		if (fgets(r->kernel, sizeof(r->kernel), f))
			r->kernel[strcspn(r->kernel, "\n")] = '\0';
		fclose(f);
	}
}

int cli_compare(int argc, char **argv)
{
	static struct cmp_run r;
	char path[600], vmlinuz[512];

	int rc = parse(argc, argv, &copts);
	if (rc >= 0)
		return rc;
	struct compare_opts o = copts;
	snprintf(vmlinuz, sizeof(vmlinuz), "%s/vmlinuz", o.linux.dir);
	if (access(vmlinuz, R_OK) != 0) {
		fprintf(stderr, "isofuzz compare: no kernel in %s: run hyp/linux/setup.sh %s VMM "
				"(make compare-kvm does)\n", o.linux.dir, o.linux.dir);
		return 2;
	}
	r.n = o.nfiles;
	r.runs = o.runs;
	r.prog = calloc(r.n, sizeof(*r.prog));
	for (unsigned t = 0; t < T__COUNT; t++)
		r.cost_repeats[t] = true;
	read_kernel_name(&r, o.linux.dir);
	struct exec_options kcore = { .target = &target_kcore, .oracles = 0 };
	if (!r.prog || exec_setup(&kcore) != 0 || load_all(&r, &o) != 0)
		return 2;
	run_model(&r, &target_kcore, T_KCORE);
	if (image_available(&o.image))
		run_image(&r, &o);
	else
		fprintf(stderr, "isofuzz compare: no KCore image at %s: its column stays empty\n", o.image.image);
	exec_teardown();
	struct exec_options vanilla = { .target = &target_vanilla, .oracles = 0 };
	if (exec_setup(&vanilla) != 0)
		return 2;
	run_model(&r, &target_vanilla, T_VANILLA);
	if (run_linux(&r, &o) != 0)
		return 2;
	judge(&r);
	exec_teardown();
	if (mkdirs(o.out) != 0) {
		fprintf(stderr, "isofuzz compare: cannot make %s\n", o.out);
		return 2;
	}
	snprintf(path, sizeof(path), "%s/compare.md", o.out);
	int bad = compare_write_md(path, &r);
	snprintf(path, sizeof(path), "%s/compare.json", o.out);
	bad |= compare_write_json(path, &r);
	if (bad) {
		fprintf(stderr, "isofuzz compare: cannot write %s\n", path);
		return 2;
	}
	bool repeats = r.cost_repeats[T_KVM] && r.cost_repeats[T_PKVM] && r.cost_repeats[T_IMAGE];
	printf("compare: %u programs; %u unexplained model/KVM mismatches; %u problems; EL2 counts %s; "
	       "written to %s/compare.md and compare.json\n", r.n, r.different, r.problems,
	       !o.linux.plugin ? "not measured (no --plugin)" : repeats ? "repeat exactly" : "DO NOT REPEAT", o.out);
	return r.different || r.problems || !repeats ? 1 : 0;
}
