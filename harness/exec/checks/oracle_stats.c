/* The oracles' counters (oracle_stats.h). */
#include "exec/checks/oracle_stats.h"

#include <inttypes.h>

#include "violation.h"

struct oracle_stats oracle_stats;

void oracle_stats_print(FILE *f)
{
	fprintf(f, "oracle-stats runs=%" PRIu64 "\n", oracle_stats.runs);
	for (unsigned o = 1; o < ORACLE_FAMILIES; o++)
		fprintf(f, "oracle-stats %s: steps=%" PRIu64 " events=%" PRIu64 " violations=%" PRIu64 "\n",
			violation_oracle_name(o), oracle_stats.steps[o], oracle_stats.events[o],
			oracle_stats.violations[o]);
}
