/* A static reading of a program up to a point, for scene splicing: which
 * VM slots are taken, which VMs are booted, which CPUs are in a guest,
 * which SMMU units are in use and the highest page it names.  An estimate,
 * not a run: a wrong guess only makes some of a scene's steps fail. */
#ifndef HARNESS_MUTATOR_SCENE_READ_H
#define HARNESS_MUTATOR_SCENE_READ_H

#include <stdbool.h>
#include <stdint.h>

#include "program/pools.h"
#include "program/program.h"

enum slot_state { SLOT_FREE, SLOT_READY, SLOT_VERIFIED, SLOT_OFF };

/* The program as read up to a point. */
struct scene_state {
	uint8_t slot[KCORE_MAX_VMS + 1];
	int cpu_vm[ARCH_MAX_CPUS];  /* VM whose vCPU runs there, 0 if none */
	bool unit_taken[KCORE_SMMU_UNITS];
	uint64_t max_pfn;           /* highest RAM-looking pfn the program names */
};

/* The lowest free VM slot, 0 if none. */
unsigned scene_lowest_free_slot(const struct scene_state *st);
/* Note what step s does to the slots, CPUs and units. */
void scene_read_step(struct scene_state *st, const struct program_step *s);
/* Read p's steps before upto into st, and set st->max_pfn above every
 * page p or the hot pfn pool names. */
void scene_read_program(struct scene_state *st, const struct program_pools *pools, const struct program *p,
			unsigned upto);

#endif
