/* Whether the image of a VM being verified matches, judged when the
 * target first reads page contents for it (its hash): before that a
 * concurrent remap_vm_image may still be filling it, after it the VM may
 * write it.  The model replays the call later, when the pages may hold
 * something else, so the call record carries this verdict. */
#ifndef HARNESS_CHECK_VERIFY_H
#define HARNESS_CHECK_VERIFY_H

#include <stdbool.h>
#include <stdint.h>

#include "hyp/arch.h"
#include "hyp_target.h"
#include "model/lin/linearize.h"
#include "sim/event.h"

struct verify_watch {
	struct pending_verify {
		bool active;
		int verdict;          /* -1 until the target reads the image */
		uint64_t vm;
	} cpu[ARCH_MAX_CPUS];
};

void verify_watch_reset(struct verify_watch *w);
/* A call begins: a verify_vm_image is watched on its CPU. */
void verify_watch_begin(struct verify_watch *w, const struct call_record *c);
/* An event: a physical read on a CPU with a verify in flight judges it. */
void verify_watch_event(struct verify_watch *w, const struct hyp_target *t, const struct sim_event *ev);
/* The event kinds verify_watch_event reads; any other kind it ignores. */
static inline bool verify_watch_reads(unsigned kind)
{
	return kind == EV_PHYS_READ;
}
/* The call on r's CPU ended: r->image_ok gets the verdict. */
void verify_watch_end(struct verify_watch *w, struct call_record *r);

#endif
