/* Which CPU ran which part of which step, in time order: the executor
 * notes every slice (a step starting, or a CPU in the middle of one
 * running again), and the trace prints them when steps overlapped. */
#ifndef HARNESS_EXEC_TIMELINE_H
#define HARNESS_EXEC_TIMELINE_H

#include <stdint.h>
#include <stdio.h>

#include "program/program.h"

void timeline_reset(void);
/* Step idx runs on cpu from machine event number events on. */
void timeline_note(unsigned idx, unsigned cpu, uint64_t events);
/* How many slices the last run had. */
unsigned timeline_slices(void);
/* The interleaving as a column per CPU, slices labelled step:part, if two
 * steps overlapped in time; nothing otherwise.  events_end: the run's
 * event count. */
void timeline_print(FILE *f, const struct program *p, uint64_t events_end);

#endif
