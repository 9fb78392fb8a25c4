/* The length rows of isofuzz bench: what a step costs early in a program
 * and late in it.  Every configuration runs every prefix of the growing
 * and of the flat program, taking turns input by input, round after
 * round.  A round's times give a least-squares slope (microseconds per
 * step) over each window of prefixes; the figure printed is the median
 * of those slopes over the rounds, so a burst of load or a cold cache in
 * a few rounds moves it little, and a difference of two single prefixes
 * (which noise can make negative) is never what is printed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench.h"
#include "exec/exec.h"

#define LENGTH_REPS 4
#define LENGTH_ROUNDS 16
#define NIN (2 * BENCH_LENGTHS)

static const struct { const char *name; unsigned oracles; } length_cfg[] = {
	{ "all oracles", ORACLE_ALL }, { "isolation only", ORACLE_ISOLATION }, { "all oracles off", 0 },
};
#define NLCFG (sizeof(length_cfg) / sizeof(length_cfg[0]))

struct length_times {
	unsigned rounds;
	double *us;                        /* [round][configuration][input]: microseconds per exec */
	uint64_t ns[NLCFG][NIN], execs[NLCFG][NIN];
	double *slopes;                    /* scratch, one per round */
};

static double *us_at(const struct length_times *lt, unsigned round, unsigned k, unsigned j)
{
	return &lt->us[((size_t)round * NLCFG + k) * NIN + j];
}

static double mean_us(const struct length_times *lt, unsigned k, unsigned j)
{
	return lt->execs[k][j] ? (double)lt->ns[k][j] / 1e3 / (double)lt->execs[k][j] : 0.0;
}

/* Round r's least-squares slope of time against steps over the window of
 * lengths [win, win + BENCH_WINDOW) of the program whose inputs start at base. */
static double round_slope(const struct length_times *lt, unsigned r, unsigned k, unsigned base, unsigned win)
{
	double mx = 0, my = 0, sxx = 0, sxy = 0;
	for (unsigned i = 0; i < BENCH_WINDOW; i++) {
		mx += bench_length_steps[win + i];
		my += *us_at(lt, r, k, base + win + i);
	}
	mx /= BENCH_WINDOW;
	my /= BENCH_WINDOW;
	for (unsigned i = 0; i < BENCH_WINDOW; i++) {
		double dx = bench_length_steps[win + i] - mx;
		sxx += dx * dx;
		sxy += dx * (*us_at(lt, r, k, base + win + i) - my);
	}
	return sxx > 0 ? sxy / sxx : 0.0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Marginal microseconds per step: the median of the rounds' slopes. */
static double marginal(struct length_times *lt, unsigned k, unsigned base, unsigned win)
{
	for (unsigned r = 0; r < lt->rounds; r++)
		lt->slopes[r] = round_slope(lt, r, k, base, win);
	qsort(lt->slopes, lt->rounds, sizeof(*lt->slopes), cmp_double);
	unsigned m = lt->rounds / 2;
	return lt->rounds % 2 ? lt->slopes[m] : (lt->slopes[m - 1] + lt->slopes[m]) / 2;
}

static void print_lengths(struct length_times *lt)
{
	const unsigned *L = bench_length_steps;
	printf("\n| program | steps | %s us | %s us | %s us |\n", length_cfg[0].name, length_cfg[1].name,
	       length_cfg[2].name);
	printf("| --- | ---: | ---: | ---: | ---: |\n");
	for (unsigned j = 0; j < NIN; j++)
		printf("| %s | %u | %.1f | %.1f | %.1f |\n", j < BENCH_LENGTHS ? "growing state" : "flat state",
		       L[j % BENCH_LENGTHS], mean_us(lt, 0, j), mean_us(lt, 1, j), mean_us(lt, 2, j));
	printf("\n| marginal us per step (median of %u rounds' slopes) | steps %u-%u | steps %u-%u | late / early |\n",
	       lt->rounds, L[0], L[BENCH_WINDOW - 1], L[BENCH_WINDOW], L[BENCH_LENGTHS - 1]);
	printf("| --- | ---: | ---: | ---: |\n");
	for (unsigned g = 0; g < 2; g++)
		for (unsigned k = 0; k < NLCFG; k++) {
			double early = marginal(lt, k, g * BENCH_LENGTHS, 0);
			double late = marginal(lt, k, g * BENCH_LENGTHS, BENCH_WINDOW);
			printf("| %s, %s | %.2f | %.2f | %.2f |\n", g ? "flat state" : "growing state", length_cfg[k].name,
			       early, late, early > 0 ? late / early : 0.0);
		}
}

/* Every round: each input, each configuration in turn. */
static int measure(struct bench_config *c, struct length_times *lt)
{
	int bad = 0;
	for (unsigned r = 0; !bad && r < lt->rounds; r++)
		for (unsigned j = 0; !bad && j < NIN; j++)
			for (unsigned k = 0; !bad && k < NLCFG; k++) {
				uint64_t t0 = c[k].nanoseconds, e0 = c[k].execs;
				bad = bench_run_chunk(&c[k], j, 1, LENGTH_REPS);
				uint64_t ns = c[k].nanoseconds - t0, execs = c[k].execs - e0;
				lt->ns[k][j] += ns;
				lt->execs[k][j] += execs;
				*us_at(lt, r, k, j) = execs ? (double)ns / 1e3 / (double)execs : 0.0;
			}
	return bad;
}

int bench_length_rows(unsigned passes)
{
	struct bench_inputs in;
	struct bench_config c[NLCFG];
	static struct length_times lt;

	if (bench_lengths_load(&in) != 0)
		return -1;
	memset(&lt, 0, sizeof(lt));
	lt.rounds = LENGTH_ROUNDS * passes;
	lt.us = calloc((size_t)lt.rounds * NLCFG * NIN, sizeof(*lt.us));
	lt.slopes = calloc(lt.rounds, sizeof(*lt.slopes));
	memset(c, 0, sizeof(c));
	int bad = !lt.us || !lt.slopes;
	unsigned started = 0;
	for (; !bad && started < NLCFG; started++) {
		c[started].oracles = length_cfg[started].oracles;
		snprintf(c[started].name, sizeof(c[started].name), "%s", length_cfg[started].name);
		bad = bench_worker_start(&c[started], &in) != 0;
	}
	if (!bad)
		bad = measure(c, &lt);
	for (unsigned k = 0; k < started; k++)
		bad |= bench_worker_stop(&c[k]) != 0;
	bench_inputs_free(&in);
	if (!bad)
		print_lengths(&lt);
	else
		fprintf(stderr, "isofuzz bench: the length rows could not run\n");
	free(lt.us);
	free(lt.slopes);
	return bad ? -1 : 0;
}
