/* A fuzz target started by a campaign ends when the campaign's engine
 * does.  libFuzzer's fork mode starts its jobs through sh, so a job's
 * parent-death signal would watch sh, which outlives a killed engine:
 * the campaign names the engine's pid in ISOFUZZ_ENGINE_PID and every
 * other process of the target watches it. */
#ifndef HARNESS_FUZZ_LIFETIME_H
#define HARNESS_FUZZ_LIFETIME_H

/* When ISOFUZZ_ENGINE_PID names another process: end (exit 0) as soon as
 * it has ended.  Nothing otherwise (OSS-Fuzz, a plain run). */
void fuzz_follow_engine(void);

#endif
