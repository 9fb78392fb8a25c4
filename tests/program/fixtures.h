/* Shared material of the program tests: a machine layout, its pools, a
 * seeded generator, programs that use every step kind, and helpers. */
#ifndef TESTS_PROGRAM_FIXTURES_H
#define TESTS_PROGRAM_FIXTURES_H

#include <stddef.h>
#include <stdint.h>

#include "program/binary/binary.h"
#include "program/pools.h"
#include "program/program.h"
#include "program/text/text.h"

/* The simulator's default machine: 64 MiB of RAM at 1 GiB with KCore's
 * region at its start, 16 MiB of MMIO at 0x09000000. */
void fx_boot(struct kcore_boot *boot);
const struct program_pools *fx_pools(void);
/* Four images named like the built-in ones. */
extern const struct program_images fx_images;

/* splitmix64 with a fixed seed per test: the same numbers on every run. */
struct fx_rng {
	uint64_t s;
};
void fx_rng_seed(struct fx_rng *r, uint64_t seed);
uint64_t fx_rng_next(struct fx_rng *r);
uint64_t fx_rng_below(struct fx_rng *r, uint64_t n);
void fx_rng_bytes(struct fx_rng *r, uint8_t *buf, size_t len);

/* A program with every step kind twice: once with pool operands, once with
 * values outside the pools (so literals are needed), flags set and clear,
 * spread over all CPUs; plus a schedule. */
void fx_every_kind(struct program *p);
/* A valid program of nsteps random steps: operands from the pools or any
 * value in range, CPUs up to ncpus, a random schedule. */
void fx_random_program(struct fx_rng *r, struct program *p, unsigned nsteps);

/* The canonical text of p, NUL-terminated, malloc'd; NULL on failure. */
char *fx_print(const struct program *p, const struct program_images *images);

#endif
