/* isofuzz bench: the throughput table (see bench.h). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "exec.h"

#define BENCH_MAX_CONFIGS 16

struct bench_opts {
	const char *corpus, *csv, *only;
	unsigned mutations, chunk, passes;
	uint64_t large_ram_mb;
};

static const struct { const char *name; unsigned bit; } oracle_off[] = {
	{ "refine", ORACLE_REFINE }, { "isolation", ORACLE_ISOLATION }, { "tlb", ORACLE_TLB },
	{ "cache", ORACLE_CACHE }, { "lock", ORACLE_LOCK }, { "ni", ORACLE_NI },
	{ "integrity", ORACLE_INTEGRITY },
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: isofuzz bench [--corpus DIR] [--mutations N] [--chunk N] [--passes N]\n"
		"                     [--only oracles,ram,cpus] [--large-ram-mb N] [--csv FILE]\n"
		"Executions per second on the seeds of DIR (default corpus/seeds) and N\n"
		"mutations of them (default 1024), with all oracles on (the default\n"
		"configuration), each oracle off alone and all off; with RAM of N MiB\n"
		"(default 4096) instead of 64; and with 1, 2, 4 and 8 CPUs forced on every\n"
		"program.  Configurations take turns every chunk of inputs (default 32);\n"
		"--passes runs the whole set that many times (default 2).\n");
}

static int parse(int argc, char **argv, struct bench_opts *o)
{
	*o = (struct bench_opts){ .corpus = "corpus/seeds", .only = "oracles,ram,cpus",
				  .mutations = 1024, .chunk = 32, .passes = 2, .large_ram_mb = 4096 };
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			exit(0);
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "isofuzz bench: %s needs a value\n", a);
			return -1;
		}
		const char *v = argv[++i];
		if (!strcmp(a, "--corpus")) o->corpus = v;
		else if (!strcmp(a, "--csv")) o->csv = v;
		else if (!strcmp(a, "--only")) o->only = v;
		else if (!strcmp(a, "--mutations")) o->mutations = (unsigned)strtoul(v, NULL, 0);
		else if (!strcmp(a, "--chunk")) o->chunk = (unsigned)strtoul(v, NULL, 0);
		else if (!strcmp(a, "--passes")) o->passes = (unsigned)strtoul(v, NULL, 0);
		else if (!strcmp(a, "--large-ram-mb")) o->large_ram_mb = strtoull(v, NULL, 0);
		else {
			fprintf(stderr, "isofuzz bench: unknown option %s\n", a);
			return -1;
		}
	}
	if (o->chunk == 0 || o->passes == 0 || o->large_ram_mb == 0) {
		fprintf(stderr, "isofuzz bench: --chunk, --passes and --large-ram-mb must be positive\n");
		return -1;
	}
	return 0;
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
		for (size_t i = 0; i < sizeof(oracle_off) / sizeof(oracle_off[0]); i++) {
			snprintf(name, sizeof(name), "oracle %s off", oracle_off[i].name);
			add(c, &n, ORACLE_ALL & ~oracle_off[i].bit, 0, 0, name);
		}
		add(c, &n, 0, 0, 0, "all oracles off");
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

static void print_table(FILE *f, const struct bench_config *c, unsigned n)
{
	fprintf(f, "| configuration | execs | seconds | execs/s | ratio | violations |\n");
	fprintf(f, "| --- | ---: | ---: | ---: | ---: | ---: |\n");
	for (unsigned i = 0; i < n; i++)
		fprintf(f, "| %s | %llu | %.2f | %.1f | %.2f | %llu |\n", c[i].name,
			(unsigned long long)c[i].execs, (double)c[i].nanoseconds / 1e9, rate(&c[i]),
			rate(&c[0]) > 0 ? rate(&c[i]) / rate(&c[0]) : 0.0,
			(unsigned long long)c[i].violations);
}

static int write_csv(const char *path, const struct bench_config *c, unsigned n)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "isofuzz bench: cannot write %s\n", path);
		return -1;
	}
	fprintf(f, "configuration,oracles,ram_bytes,ncpus,execs,seconds,execs_per_sec,ratio,violations\n");
	for (unsigned i = 0; i < n; i++)
		fprintf(f, "\"%s\",%#x,%llu,%u,%llu,%.4f,%.2f,%.4f,%llu\n", c[i].name, c[i].oracles,
			(unsigned long long)c[i].ram_bytes, c[i].ncpus, (unsigned long long)c[i].execs,
			(double)c[i].nanoseconds / 1e9, rate(&c[i]),
			rate(&c[0]) > 0 ? rate(&c[i]) / rate(&c[0]) : 0.0, (unsigned long long)c[i].violations);
	return fclose(f) == 0 ? 0 : -1;
}

/* Configurations take turns on each chunk of inputs. */
static int measure(const struct bench_opts *o, const struct bench_inputs *in, struct bench_config *c,
		   unsigned n)
{
	unsigned chunks = (in->n + o->chunk - 1) / o->chunk;
	bool tty = isatty(STDERR_FILENO); /* a redrawn line only where it can be redrawn */

	for (unsigned pass = 0; pass < o->passes; pass++)
		for (unsigned k = 0; k < chunks; k++) {
			unsigned first = k * o->chunk;
			unsigned count = first + o->chunk <= in->n ? o->chunk : in->n - first;
			if (tty)
				fprintf(stderr, "\rbench: pass %u/%u, chunk %u/%u", pass + 1, o->passes, k + 1, chunks);
			for (unsigned i = 0; i < n; i++)
				if (bench_run_chunk(&c[i], in, first, count) != 0)
					return -1;
		}
	if (tty)
		fprintf(stderr, "\n");
	return 0;
}

int cli_bench(int argc, char **argv)
{
	struct bench_opts o;
	struct bench_inputs in;
	struct bench_config c[BENCH_MAX_CONFIGS];

	if (parse(argc, argv, &o) != 0) {
		usage(stderr);
		return 2;
	}
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
	return 0;
}
