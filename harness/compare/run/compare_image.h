/* KCore's bare-metal image as a target of isofuzz compare: the programs'
 * outcomes there, and its EL2 cost per operation from the same plugin
 * (both through the replay-qemu machinery, replay_qemu.h).  The machine
 * model must be set up on KCore (exec_setup) first. */
#ifndef HARNESS_COMPARE_IMAGE_H
#define HARNESS_COMPARE_IMAGE_H

#include "compare/compare.h"
#include "compare/compare_outcome.h"

struct image_cost_options {
	const char *image;    /* the ELF; $ISOFUZZ_IMAGE or the cross build's */
	const char *plugin;
	const char *qemu;
	unsigned timeout;
};

void image_cost_defaults(struct image_cost_options *o);
bool image_available(const struct image_cost_options *o);
/* Run progs[0..n) in the image; out[k] and have[k] for each that the
 * image ran to its end.  0, or -1 with the reason in err. */
int image_outcomes(const struct image_cost_options *o, const struct program *const *progs, unsigned n,
		   struct outcome *out, bool *have, char *err, size_t errcap);
/* EL2 instructions per operation in the image, each as the difference
 * of two programs' windows (compare_image.c), `rounds` times. */
int image_costs(const struct image_cost_options *o, unsigned rounds, struct el2_cost *cost, char *err,
		size_t errcap);

#endif
