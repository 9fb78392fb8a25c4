/* The structure-aware mutator, shared by libFuzzer (LLVMFuzzerCustomMutator
 * and LLVMFuzzerCustomCrossOver) and AFL++ (afl_custom_fuzz): it decodes
 * the input to a program, changes it as a program (insert, delete,
 * duplicate, swap and re-operand steps; move a step to another CPU; change
 * the schedule), and encodes it again.  Deterministic in its seed. */
#ifndef HARNESS_MUTATOR_H
#define HARNESS_MUTATOR_H

#include <stddef.h>
#include <stdint.h>

#include "pools.h"

/* Mutate data[0..size) in place (capacity max); returns the new size. */
size_t mutator_mutate(const struct program_pools *pools, uint8_t *data, size_t size, size_t max,
		      uint64_t seed);
/* A program made of a prefix of a's steps and a suffix of b's, with a
 * schedule spliced the same way; returns its size in out (capacity max). */
size_t mutator_crossover(const struct program_pools *pools, const uint8_t *a, size_t asize,
			 const uint8_t *b, size_t bsize, uint8_t *out, size_t max, uint64_t seed);

#endif
