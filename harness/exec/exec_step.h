#ifndef HARNESS_EXEC_STEP_H
#define HARNESS_EXEC_STEP_H

#include "exec/exec.h"

struct exec_ctx {
	const struct hyp_target *t;
	/* The value a guest_write step stores: the twin run of the
	 * noninterference oracle changes VM-private values here. */
	uint64_t (*guest_value)(const struct exec_ctx *x, const struct program_step *s);
	/* The value a kserv_write or dma_write step stores, NULL for the
	 * step's own: the integrity twin changes what lands where KServ may
	 * not write. */
	uint64_t (*kserv_value)(const struct exec_ctx *x, const struct program_step *s, uint64_t plain);
	const void *twin; /* the twin's private state, NULL in the first run */
	/* The run stops once this many steps have completed (0: it runs to
	 * the end): the twin needs nothing after KServ's last observation. */
	unsigned stop_after;
};

void exec_step(const struct exec_ctx *x, const struct program_step *s, struct step_obs *o);
/* Route KServ's faults through x's target for the run that follows. */
void exec_step_attach(const struct exec_ctx *x);

#endif
