/* The benchmark's inputs: seeds and deterministic mutations of them. */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench.h"
#include "program/binary/binary.h"
#include "exec/machine/exec_layout.h"
#include "program/mutator/mutator.h"
#include "program/file/progfile.h"

/* The pools of the default layout, computed without a machine: the parent
 * process must not set one up, since each child sets up its own. */
static void default_pools(struct program_pools *pools)
{
	struct sim_config cfg;
	struct kcore_boot boot;

	sim_config_default(&cfg);
	cfg.ncpus = ARCH_MAX_CPUS; /* as exec_setup has it */
	exec_layout(&cfg, &target_kcore, &boot);
	program_pools_init(pools, &boot);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The text programs of dir, sorted by name (readdir order is not stable);
 * returns how many, or -1. */
static int list_seeds(const char *dir, char ***names)
{
	DIR *d = opendir(dir);
	unsigned n = 0, cap = 16;
	char **v = malloc(cap * sizeof(*v));

	if (!d || !v) {
		fprintf(stderr, "isofuzz bench: cannot read %s\n", dir);
		if (d)
			closedir(d);
		free(v);
		return -1;
	}
	for (struct dirent *e; (e = readdir(d));) {
		size_t len = strlen(e->d_name);
		if (e->d_name[0] == '.' || len < 5 || strcmp(e->d_name + len - 4, ".txt") != 0)
			continue;
		if (n == cap) {
			char **w = realloc(v, 2 * cap * sizeof(*v));
			if (!w)
				break;
			v = w;
			cap *= 2;
		}
		if (asprintf(&v[n], "%s/%s", dir, e->d_name) >= 0)
			n++;
	}
	closedir(d);
	qsort(v, n, sizeof(*v), by_name);
	*names = v;
	return (int)n;
}

static void free_names(char **names, int n)
{
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* Input j >= nseeds is input j - nseeds mutated with seed j, so later
 * generations drift further from the seeds. */
static void add_mutations(struct bench_inputs *in, unsigned nseeds, const struct program_pools *pools)
{
	uint8_t *buf = malloc(BIN_MAX_SIZE);

	for (unsigned j = nseeds; buf && j < in->n; j++) {
		long len = program_encode(&in->prog[j - nseeds], pools, buf, BIN_MAX_SIZE);
		if (len < 0)
			len = 0;
		size_t size = mutator_mutate(pools, buf, (size_t)len, BIN_MAX_SIZE, j);
		program_decode(buf, size, pools, &in->prog[j]);
	}
	free(buf);
}

int bench_inputs_load(struct bench_inputs *in, const char *dir, unsigned mutations)
{
	struct program_pools pools;
	char **names, err[512];
	int nseeds = list_seeds(dir, &names);

	if (nseeds <= 0) {
		if (nseeds == 0) {
			fprintf(stderr, "isofuzz bench: no *.txt programs in %s\n", dir);
			free(names); /* the empty list */
		}
		return -1;
	}
	default_pools(&pools);
	in->n = (unsigned)nseeds + mutations;
	in->prog = calloc(in->n, sizeof(*in->prog));
	if (!in->prog) {
		free_names(names, nseeds);
		fprintf(stderr, "isofuzz bench: out of memory for %u inputs\n", in->n);
		return -1;
	}
	for (int i = 0; i < nseeds; i++)
		if (progfile_load(names[i], &pools, &in->prog[i], NULL, err, sizeof(err)) != 0) {
			fprintf(stderr, "%s\n", err);
			free_names(names, nseeds);
			bench_inputs_free(in);
			return -1;
		}
	free_names(names, nseeds);
	add_mutations(in, (unsigned)nseeds, &pools);
	return 0;
}

void bench_inputs_free(struct bench_inputs *in)
{
	free(in->prog);
	in->prog = NULL;
	in->n = 0;
}
