/* One fuzz input, the same for every engine: decode the bytes into a
 * program, run it with the oracles, and turn a violation into a crash the
 * engine records.  Configured from the environment:
 *   ISOFUZZ_TARGET   kcore (default) or vanilla
 *   ISOFUZZ_ORACLES  all (default), none, or a comma list of
 *                    refine,isolation,tlb,cache,lock,ni; a leading '-'
 *                    on a name turns that oracle off from all
 *   ISOFUZZ_RAM_MB   simulated RAM, default the model's (64) */
#ifndef HARNESS_FUZZ_ONE_H
#define HARNESS_FUZZ_ONE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "program/pools.h"

struct program;
struct violation;

int fuzz_init(void);
const struct program_pools *fuzz_pools(void);
/* Runs one input; on a violation prints the trace and aborts. */
void fuzz_one(const uint8_t *data, size_t size);
/* The same but a violation, its trace printed, is returned (true) and the
 * process goes on, ready for the next input: for an engine that can be
 * told of a crash by other means than the process's death.  With key not
 * NULL, a violation's kind and site go there as "KIND-SITE": what the
 * campaign's findings count as one finding. */
bool fuzz_one_reported(const uint8_t *data, size_t size, char *key, size_t n);
/* Where a violation is, as the findings name it: the step kind that failed
 * and the first field the oracle found different, "STEP.FIELD". */
void fuzz_violation_site(const struct program *p, const struct violation *v, char *buf, size_t n);

/* Parse an oracle list as ISOFUZZ_ORACLES takes it; -1 when malformed. */
int fuzz_parse_oracles(const char *s, unsigned *mask);

#endif
