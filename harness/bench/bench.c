/* isofuzz bench: the throughput table (see bench.h). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/bench.h"
#include "common/cli_opts.h"
#include "exec/exec.h"

#define BENCH_MAX_CONFIGS 24

struct bench_opts {
	const char *corpus, *csv, *only;
	unsigned mutations, chunk, passes;
	uint64_t large_ram_mb;
};

static const struct { const char *name; unsigned bit; } oracle_names[] = {
	{ "refine", ORACLE_REFINE }, { "isolation", ORACLE_ISOLATION }, { "tlb", ORACLE_TLB },
	{ "cache", ORACLE_CACHE }, { "lock", ORACLE_LOCK }, { "ni", ORACLE_NI },
	{ "integrity", ORACLE_INTEGRITY },
};

static struct bench_opts opts; /* what the option table fills */
static bool only_ok(const char *list);

static const struct cli_opt bench_opts[] = {
	{ "--corpus", NULL, CLI_STRING, "DIR", "the seeds (*.txt)", .dst = &opts.corpus },
	{ "--mutations", NULL, CLI_UINT, "N", "mutations of the seeds added to them", .dst = &opts.mutations,
	  .min = 0, .max = 1000000 },
	{ "--chunk", NULL, CLI_UINT, "N", "inputs each configuration runs in its turn", .dst = &opts.chunk,
	  .min = 1, .max = 1000000 },
	{ "--passes", NULL, CLI_UINT, "N", "times the whole set is run", .dst = &opts.passes, .min = 1, .max = 1000 },
	{ "--only", NULL, CLI_STRING, "LIST", "the row groups: some of oracles,ram,cpus,length,relaxed",
	  .dst = &opts.only, .valid = only_ok, .expects = "a comma list of oracles, ram, cpus, length, relaxed" },
	{ "--large-ram-mb", NULL, CLI_U64, "N", "the RAM of the large-RAM row, in MiB", .dst = &opts.large_ram_mb,
	  .min = 1, .max = 4096 },
	{ "--csv", NULL, CLI_STRING, "FILE", "the table as CSV too", .dst = &opts.csv },
};

const struct cli_command cli_bench_command = {
	"bench", NULL, "Executions per second per configuration, as ratios to the default.",
	"On the seeds and mutations of them: all oracles on (the default configuration),\n"
	"each oracle off alone, each on alone and all off; the relaxed machine model (delayed table\n"
	"writes and TLBI completion, the IOTLB) off; RAM of --large-ram-mb instead of 64 MiB; 1, 2,\n"
	"4 and 8 CPUs forced on every program.  Configurations take turns every chunk;\n"
	"each runs in one long-lived, warmed-up process, as a fuzz target does.  The\n"
	"length rows time prefixes of a program whose state grows and of one whose\n"
	"state stays flat, with all oracles, isolation alone and none, and print the\n"
	"marginal cost per step early (steps 0-80) and late (steps 420-500): the median\n"
	"over the rounds of each round's least-squares slope.  Times are each worker's\n"
	"CPU time, so load from other processes on the machine is not counted.\n",
	"0 measured, 2 bad usage or a run failed", bench_opts, CLI_COUNT(bench_opts), 0, 0, cli_bench,
};

static bool only_ok(const char *list)
{
	static const char *const groups[] = { "oracles", "ram", "cpus", "length", "relaxed" };
	for (const char *s = list;; s++) {
		size_t n = strcspn(s, ","), g = 0;
		while (g < CLI_COUNT(groups) && (strlen(groups[g]) != n || strncmp(s, groups[g], n)))
			g++;
		if (g == CLI_COUNT(groups))
			return false;
		s += n;
		if (!*s)
			return true;
	}
}

/* -1 to go on, or the exit status to end with (after --help or a bad flag). */
static int parse(int argc, char **argv, struct bench_opts *o)
{
	char *none[1];
	unsigned n;
	opts = (struct bench_opts){ .corpus = "corpus/seeds", .only = "oracles,ram,cpus,length,relaxed",
				    .mutations = 1024, .chunk = 32, .passes = 2, .large_ram_mb = 4096 };
	int rc = cli_parse(&cli_bench_command, argc, argv, none, &n);
	*o = opts;
	return rc < 0 ? CLI_EXIT_BAD : rc > 0 ? CLI_EXIT_CLEAN : -1;
}

static bool wants(const struct bench_opts *o, const char *group)
{
	size_t n = strlen(group);
	for (const char *s = o->only; *s; s += strcspn(s, ","), s += *s == ',')
		if (strncmp(s, group, n) == 0 && (s[n] == ',' || s[n] == 0))
			return true;
	return false;
}

static void add(struct bench_config *c, unsigned *n, unsigned oracles, uint64_t ram, unsigned cpus,
		const char *name)
{
	c[*n] = (struct bench_config){ .oracles = oracles, .ram_bytes = ram, .ncpus = cpus };
	snprintf(c[*n].name, sizeof(c[*n].name), "%s", name);
	(*n)++;
}

/* The default configuration first: the ratios are against it. */
static unsigned make_configs(const struct bench_opts *o, struct bench_config *c)
{
	unsigned n = 0;
	char name[40];

	add(c, &n, ORACLE_ALL, 0, 0, "default: all oracles, 64 MiB");
	if (wants(o, "oracles")) {
		for (size_t i = 0; i < sizeof(oracle_names) / sizeof(oracle_names[0]); i++) {
			snprintf(name, sizeof(name), "oracle %s off", oracle_names[i].name);
			add(c, &n, ORACLE_ALL & ~oracle_names[i].bit, 0, 0, name);
		}
		/* what each costs by itself, the model's step included where it
		 * follows the model */
		for (size_t i = 0; i < sizeof(oracle_names) / sizeof(oracle_names[0]); i++) {
			snprintf(name, sizeof(name), "%s alone", oracle_names[i].name);
			add(c, &n, oracle_names[i].bit, 0, 0, name);
		}
		add(c, &n, 0, 0, 0, "all oracles off");
	}
	if (wants(o, "relaxed")) {
		add(c, &n, ORACLE_ALL, 0, 0, "relaxed ordering off");
		c[n - 1].strict_order = true;
	}
	if (wants(o, "ram")) {
		snprintf(name, sizeof(name), "RAM %llu MiB", (unsigned long long)o->large_ram_mb);
		add(c, &n, ORACLE_ALL, o->large_ram_mb << 20, 0, name);
	}
	if (wants(o, "cpus"))
		for (unsigned cpus = 1; cpus <= 8; cpus *= 2) {
			snprintf(name, sizeof(name), "%u CPU%s", cpus, cpus == 1 ? "" : "s");
			add(c, &n, ORACLE_ALL, 0, cpus, name);
		}
	return n;
}

static double rate(const struct bench_config *c)
{
	return c->nanoseconds ? (double)c->execs * 1e9 / (double)c->nanoseconds : 0.0;
}

/* The configuration with every oracle off, or NULL. */
static const struct bench_config *all_off(const struct bench_config *c, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (c[i].oracles == 0 && c[i].ram_bytes == 0 && c[i].ncpus == 0)
			return &c[i];
	return NULL;
}

/* "ratio" is execs/s against the default row; "cost" is time per exec
 * against all oracles off. */
static void print_table(FILE *f, const struct bench_config *c, unsigned n)
{
	const struct bench_config *off = all_off(c, n);
	fprintf(f, "| configuration | execs | seconds | execs/s | ratio | cost vs all off | violations |\n");
	fprintf(f, "| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
	for (unsigned i = 0; i < n; i++) {
		char cost[16] = "-";
		if (off && rate(&c[i]) > 0)
			snprintf(cost, sizeof(cost), "%.2f", rate(off) / rate(&c[i]));
		fprintf(f, "| %s | %llu | %.2f | %.1f | %.2f | %s | %llu |\n", c[i].name,
			(unsigned long long)c[i].execs, (double)c[i].nanoseconds / 1e9, rate(&c[i]),
			rate(&c[0]) > 0 ? rate(&c[i]) / rate(&c[0]) : 0.0, cost,
			(unsigned long long)c[i].violations);
	}
}

static int write_csv(const char *path, const struct bench_config *c, unsigned n)
{
	const struct bench_config *off = all_off(c, n);
	FILE *f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "isofuzz bench: cannot write %s\n", path);
		return -1;
	}
	fprintf(f, "configuration,oracles,ram_bytes,ncpus,execs,seconds,execs_per_sec,ratio,cost_vs_all_off,violations\n");
	for (unsigned i = 0; i < n; i++)
		fprintf(f, "\"%s\",%#x,%llu,%u,%llu,%.4f,%.2f,%.4f,%.4f,%llu\n", c[i].name, c[i].oracles,
			(unsigned long long)c[i].ram_bytes, c[i].ncpus, (unsigned long long)c[i].execs,
			(double)c[i].nanoseconds / 1e9, rate(&c[i]),
			rate(&c[0]) > 0 ? rate(&c[i]) / rate(&c[0]) : 0.0,
			off && rate(&c[i]) > 0 ? rate(off) / rate(&c[i]) : 0.0, (unsigned long long)c[i].violations);
	return fclose(f) == 0 ? 0 : -1;
}

static int start_workers(struct bench_config *c, unsigned n, const struct bench_inputs *in)
{
	for (unsigned i = 0; i < n; i++)
		if (bench_worker_start(&c[i], in) != 0) {
			fprintf(stderr, "isofuzz bench: cannot start a worker\n");
			return -1;
		}
	return 0;
}

static int stop_workers(struct bench_config *c, unsigned n)
{
	int bad = 0;
	for (unsigned i = 0; i < n; i++)
		bad |= bench_worker_stop(&c[i]);
	return bad;
}

/* Configurations take turns on each chunk of inputs. */
static int measure(const struct bench_opts *o, const struct bench_inputs *in, struct bench_config *c,
		   unsigned n)
{
	unsigned chunks = (in->n + o->chunk - 1) / o->chunk;
	bool tty = isatty(STDERR_FILENO); /* a redrawn line only where it can be redrawn */

	if (start_workers(c, n, in) != 0) {
		stop_workers(c, n);
		return -1;
	}
	for (unsigned pass = 0; pass < o->passes; pass++)
		for (unsigned k = 0; k < chunks; k++) {
			unsigned first = k * o->chunk;
			unsigned count = first + o->chunk <= in->n ? o->chunk : in->n - first;
			if (tty)
				fprintf(stderr, "\rbench: pass %u/%u, chunk %u/%u", pass + 1, o->passes, k + 1, chunks);
			for (unsigned i = 0; i < n; i++)
				if (bench_run_chunk(&c[i], first, count, 1) != 0) {
					stop_workers(c, n);
					return -1;
				}
		}
	if (tty)
		fprintf(stderr, "\n");
	return stop_workers(c, n);
}

int cli_bench(int argc, char **argv)
{
	struct bench_opts o;
	struct bench_inputs in;
	struct bench_config c[BENCH_MAX_CONFIGS];

	int rc = parse(argc, argv, &o);
	if (rc >= 0)
		return rc;
	if (bench_inputs_load(&in, o.corpus, o.mutations) != 0)
		return 2;
	unsigned n = make_configs(&o, c);
	printf("bench: %u inputs (seeds of %s and %u mutations), %u configurations, chunks of %u, %u pass%s\n",
	       in.n, o.corpus, o.mutations, n, o.chunk, o.passes, o.passes == 1 ? "" : "es");
	fflush(stdout);
	int bad = measure(&o, &in, c, n);
	bench_inputs_free(&in);
	if (bad)
		return 2;
	print_table(stdout, c, n);
	if (o.csv && write_csv(o.csv, c, n) != 0)
		return 2;
	if (wants(&o, "length") && bench_length_rows(o.passes) != 0)
		return 2;
	return 0;
}
