/* The cache check as the executor drives it: pages whose owner changed
 * since the last quiescent point must show the new owner scrubbed (from a
 * VM or KCore to KServ) or cleaned (to a VM) memory, except for the lines
 * the new owner wrote since (checks_writes.h). */
#ifndef HARNESS_CHECK_TRANSFERS_H
#define HARNESS_CHECK_TRANSFERS_H

#include <stdbool.h>
#include <stdint.h>

#include "exec/checks/track/checks_writes.h"
#include "hw/hw_oracles.h"
#include "hyp_target.h"
#include "model/state/page_log.h"
#include "model/state/refstate.h"
#include "sim/event.h"

struct transfers {
	uint64_t ram_pages;
	uint32_t *owner;           /* owner of each RAM page at the last quiescent point */
	struct page_log changed;   /* pages whose owner[] is not the boot owner */
	struct writes_since writes;
};

bool transfers_setup(struct transfers *x, uint64_t ram_pages);
void transfers_release(struct transfers *x);
/* A new run: owner[] back to the boot owners of model (just reset). */
void transfers_reset(struct transfers *x, const struct ref_state *model);
/* A CPU or DMA access event: note the lines a successful write wrote. */
void transfers_note_write(struct transfers *x, const struct hyp_target *t, const struct sim_event *ev);
/* The event kinds transfers_note_write takes: CPU and device accesses. */
static inline bool transfers_reads(unsigned kind)
{
	return kind == EV_CPU_ACCESS || kind == EV_DMA_ACCESS;
}
/* Check the pages of dirty (every page if it says all) against model's
 * owners; true if the hardware oracles hold a violation. */
bool transfers_check(struct transfers *x, const struct page_log *dirty, const struct ref_state *model,
		     struct hw_oracles *hw);

#endif
