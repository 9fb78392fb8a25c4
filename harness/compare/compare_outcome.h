/* Which isolation breaks a run shows, judged from what its steps
 * observed, the same way for every target (the model's oracles are not
 * there on real KVM):
 *
 *   host read   KServ (or a device it drives) reads a value a VM wrote to
 *               a page it had not granted, while that VM exists;
 *   residue     the same after the VM was torn down (clear_vm);
 *   host write  a VM reads a value KServ (or its device) wrote to a page
 *               that was then the VM's and not granted to KServ.
 *
 * Zero values are never counted (fresh pages read zero everywhere). */
#ifndef HARNESS_COMPARE_OUTCOME_H
#define HARNESS_COMPARE_OUTCOME_H

#include <stdbool.h>
#include <stdint.h>

#include "program/program.h"

enum { OUT_HOST_READ = 1u << 0, OUT_HOST_WRITE = 1u << 1, OUT_RESIDUE = 1u << 2 };

/* A step as the classifier sees it. */
struct step_view {
	bool ran;     /* executed (not refused for the CPU's state, not n/a) */
	bool ok;      /* a call's result was success */
	bool fault;   /* an access faulted */
	uint64_t val; /* an access's value */
};

struct outcome {
	unsigned breaks;                  /* OUT_* */
	int first[3];                     /* the first step showing each, or -1 */
};

/* Judge p's run: views[i] is step i, order[0..n) the order the steps ran. */
void outcome_judge(const struct program *p, const struct step_view *views, const unsigned *order, unsigned n,
		   struct outcome *out);
/* "host-read,residue" or "none" into buf. */
const char *outcome_text(unsigned breaks, char *buf, unsigned cap);

#endif
