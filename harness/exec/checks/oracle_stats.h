/* How much each oracle checked: the program steps after which it ran a
 * check, the machine events it was fed, and the runs whose first
 * violation was its own.  Counted over the whole process (a replay of a
 * campaign's inputs) and printed for the report. */
#ifndef HARNESS_ORACLE_STATS_H
#define HARNESS_ORACLE_STATS_H

#include <stdint.h>
#include <stdio.h>

/* The oracle families of violation_kind_oracle (1..7); 0 is unused. */
#define ORACLE_FAMILIES 8

struct oracle_stats {
	uint64_t runs;
	uint64_t steps[ORACLE_FAMILIES];
	uint64_t events[ORACLE_FAMILIES];
	uint64_t violations[ORACLE_FAMILIES];
};

extern struct oracle_stats oracle_stats;

/* One line per family:
 *   oracle-stats refinement: steps=N events=N violations=N
 * after a line "oracle-stats runs=N". */
void oracle_stats_print(FILE *f);

#endif
