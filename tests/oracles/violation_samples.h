/* Violations to print, shared by the printer tests in C and the JSON
 * emitter the Python test parses. */
#ifndef TESTS_ORACLES_VIOLATION_SAMPLES_H
#define TESTS_ORACLES_VIOLATION_SAMPLES_H

#include <string.h>

#include "violation.h"

/* Every field set, three recent events. */
static inline void sample_full(struct violation *v)
{
	violation_init(v, V_BBM_MISSING);
	v->step = 12;
	v->cpu = 1;
	v->vm = 3;
	v->page = 0x40012;
	v->expected = 0x40000000000074full;
	v->actual = 0xfffffffffffffff0ull;
	violation_detail(v, "valid entry replaced; vmid %u", 7u);
	v->nrecent = 3;
	for (unsigned i = 0; i < 3; i++)
		v->recent[i] = (struct sim_event){ .seq = 40 + i, .kind = (uint16_t)(EV_PTE_WRITE + i),
						   .cpu = (uint16_t)i, .a = 0x40010000ull + i,
						   .b = i, .c = UINT64_MAX, .d = 0 };
}

/* A detail with every byte JSON must escape, and no terminator. */
static inline void sample_hostile(struct violation *v)
{
	static const char start[] = "q\"b\\s/\n\t\x01\x7f\xff\xc3(";

	violation_init(v, V_LOCK_ORDER);
	for (size_t i = 0; i < sizeof(v->detail); i++)
		v->detail[i] = (char)(i % 255 + 1);
	memcpy(v->detail, start, sizeof(start) - 1);
}

/* Out-of-range kind and recent count. */
static inline void sample_corrupt(struct violation *v)
{
	violation_init(v, V_NONE);
	v->kind = (enum violation_kind)999;
	v->nrecent = 100000;
	v->cpu = -7;
}

#endif
