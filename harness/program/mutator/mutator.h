/* The structure-aware mutator, shared by libFuzzer (LLVMFuzzerCustomMutator
 * and LLVMFuzzerCustomCrossOver) and AFL++ (afl_custom_fuzz): it decodes
 * the input to a program, changes it as a program (insert, delete,
 * duplicate, swap and re-operand steps; move a step to another CPU; repeat
 * a block of steps, perhaps for another VM, other pages or another SMMU
 * unit; splice in a scene (mutator_scene.h) for a VM the program has or a
 * fresh one; move an address operand to the next or previous page, or to
 * the last word or byte below; change, insert, delete or repeat schedule
 * choices), and encodes it again.  Deterministic in its seed. */
#ifndef HARNESS_MUTATOR_H
#define HARNESS_MUTATOR_H

#include <stddef.h>
#include <stdint.h>

#include "program/pools.h"
#include "program/program.h"

/* The longest block one mutation repeats: a VM's whole boot fits. */
#define MUTATOR_MAX_BLOCK 16

/* Mutate data[0..size) in place (capacity max); returns the new size. */
size_t mutator_mutate(const struct program_pools *pools, uint8_t *data, size_t size, size_t max,
		      uint64_t seed);
/* A program made of a prefix of a's steps and a suffix of b's, with a
 * schedule spliced the same way; returns its size in out (capacity max). */
size_t mutator_crossover(const struct program_pools *pools, const uint8_t *a, size_t asize,
			 const uint8_t *b, size_t bsize, uint8_t *out, size_t max, uint64_t seed);
/* One operand value to change in a copied block. */
struct mutator_rename {
	enum arg_type type;
	uint64_t from, to;
};

/* Insert a copy of p's steps [from, from + len) before step at, with each
 * operand of a rename's type equal to its from changed to its to; len is
 * cut to MUTATOR_MAX_BLOCK and to the room left.  Out-of-range from or at
 * leaves p as it was. */
void mutator_copy_block(struct program *p, unsigned from, unsigned len, unsigned at,
			const struct mutator_rename *ren, unsigned nren);

#endif
