/* The structure-aware mutator as an AFL++ custom mutator library
 * (AFL_CUSTOM_MUTATOR_LIBRARY): the same mutator libFuzzer uses. */
#include <stdint.h>
#include <stdlib.h>

#include "program/binary/binary.h"
#include "exec/machine/exec_layout.h"
#include "hyp_target.h"
#include "program/mutator/mutator.h"

struct afl_mutator {
	struct program_pools pools;
	uint64_t seed;
	uint8_t *buf;
	size_t cap;
};

void *afl_custom_init(void *afl, unsigned int seed);
size_t afl_custom_fuzz(void *data, uint8_t *in, size_t in_size, uint8_t **out, uint8_t *add,
		       size_t add_size, size_t max_size);
void afl_custom_deinit(void *data);

void *afl_custom_init(void *afl, unsigned int seed)
{
	(void)afl;
	struct afl_mutator *m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	struct sim_config cfg;
	struct kcore_boot boot;
	sim_config_default(&cfg);
	exec_layout(&cfg, &target_kcore, &boot);
	program_pools_init(&m->pools, &boot);
	m->seed = seed;
	return m;
}

size_t afl_custom_fuzz(void *data, uint8_t *in, size_t in_size, uint8_t **out, uint8_t *add,
		       size_t add_size, size_t max_size)
{
	struct afl_mutator *m = data;
	if (m->cap < max_size) {
		uint8_t *b = realloc(m->buf, max_size);
		if (!b) {
			*out = in;
			return in_size;
		}
		m->buf = b;
		m->cap = max_size;
	}
	m->seed = m->seed * 6364136223846793005ull + 1442695040888963407ull;
	size_t n;
	if (add && add_size && (m->seed >> 60) == 0) {
		n = mutator_crossover(&m->pools, in, in_size, add, add_size, m->buf, max_size, m->seed);
	} else {
		n = in_size < max_size ? in_size : max_size;
		for (size_t i = 0; i < n; i++)
			m->buf[i] = in[i];
		n = mutator_mutate(&m->pools, m->buf, n, max_size, m->seed);
	}
	*out = m->buf;
	return n;
}

void afl_custom_deinit(void *data)
{
	struct afl_mutator *m = data;
	free(m->buf);
	free(m);
}
