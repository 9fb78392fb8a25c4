/* A machine event for people: its fields by name (lock name, VMID, IPA,
 * pfn ...), not as the raw a..d of struct sim_event. */
#ifndef ORACLES_EVENT_TEXT_H
#define ORACLES_EVENT_TEXT_H

#include <stddef.h>

#include "sim/event.h"

/* "lock-acquire lock=vm-npt vm=1", "tlbi-ipa vmid=1 ipa=0x80000000", ...
 * Returns what snprintf returns. */
int event_text(char *buf, size_t cap, const struct sim_event *ev);

#endif
