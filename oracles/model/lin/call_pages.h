/* Which RAM pages' ownership entries a window of calls, or a write by the
 * target, may have changed: the state check compares only those pages of
 * the model and the abstraction, so its cost does not grow with RAM.
 *
 * A call names its pages through its arguments (the pfn it maps), through
 * the model (the page a guest's gfn maps to) or through the last
 * abstraction of the target (what a VM or unit mapped before it was torn
 * down: the target may have had more than the model allows). */
#ifndef ORACLES_MODEL_CALL_PAGES_H
#define ORACLES_MODEL_CALL_PAGES_H

#include <stdbool.h>

#include "model/lin/linearize.h"
#include "model/state/page_log.h"
#include "model/state/refstate.h"
#include "sim/event.h"

/* Log in dirty (indexed from model->boot's RAM base) every page whose
 * entry the calls win[0..n) may have changed.  last_abs: the abstraction
 * taken before the calls. */
void call_pages_log(struct page_log *dirty, const struct ref_state *model, const struct ref_state *last_abs,
		    const struct call_record *win, unsigned n);

/* A write by the target to an ownership entry (KCore names an entry by the
 * low 16 bits of its index): log every page those bits could mean. */
void call_pages_note_event(struct page_log *dirty, uint64_t ram_pages, const struct sim_event *ev);
/* The event kinds call_pages_note_event reads (shared-state accesses);
 * any other kind it ignores. */
static inline bool call_pages_event_reads(unsigned kind)
{
	return kind == EV_SHARED_ACCESS;
}

/* Whether any of the calls may have moved a page from one owner to
 * another. */
bool call_pages_transfer(const struct call_record *win, unsigned n);

#endif
