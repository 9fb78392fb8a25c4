/* The event stream: numbered, handed to the sink as it happens (sim_emit,
 * inline in sim_private.h), and the last SIM_RECENT kept in a ring for
 * violation reports. */
#include <string.h>

#include "sim_private.h"

static const char *const event_names[EV__COUNT] = {
	[EV_PTE_WRITE] = "pte-write",
	[EV_TLBI_IPA] = "tlbi-ipa",
	[EV_TLBI_VMID] = "tlbi-vmid",
	[EV_TLBI_ALL] = "tlbi-all",
	[EV_DSB] = "dsb",
	[EV_ISB] = "isb",
	[EV_SET_STAGE2] = "set-stage2",
	[EV_SMMU_ATTACH] = "smmu-attach",
	[EV_SMMU_DETACH] = "smmu-detach",
	[EV_SMMU_TLBI] = "smmu-tlbi",
	[EV_DC_CIVAC] = "dc-civac",
	[EV_DC_CVAC] = "dc-cvac",
	[EV_PAGE_ZERO] = "page-zero",
	[EV_PHYS_READ] = "phys-read",
	[EV_PHYS_WRITE] = "phys-write",
	[EV_LOCK_ACQUIRE] = "lock-acquire",
	[EV_LOCK_RELEASE] = "lock-release",
	[EV_SHARED_ACCESS] = "shared-access",
	[EV_PANIC] = "panic",
	[EV_TLB_FILL] = "tlb-fill",
	[EV_CACHE_EVICT] = "cache-evict",
	[EV_CPU_ACCESS] = "cpu-access",
	[EV_DMA_ACCESS] = "dma-access",
};

_Static_assert(EV__COUNT <= 32, "an event kind is a bit of sink_kinds");

struct sim_event_stream sim_events;

const char *sim_event_name(unsigned kind)
{
	if (kind >= EV__COUNT || !event_names[kind])
		return "unknown";
	return event_names[kind];
}

void sim_set_event_sink(sim_event_fn fn, void *ctx)
{
	sim_events.sink = fn;
	sim_events.sink_ctx = ctx;
	sim_events.sink_kinds = fn ? SIM_EVENT_KINDS_ALL : 0;
}

void sim_set_event_kinds(sim_event_fn fn, uint32_t kinds)
{
	if (fn && fn == sim_events.sink)
		sim_events.sink_kinds = kinds & SIM_EVENT_KINDS_ALL;
}

/* The ring is read only below seq (sim_recent_events): what older runs
 * left in it is never seen. */
void sim_events_reset(void)
{
	sim_events.seq = 0;
}

uint64_t sim_event_count(void)
{
	return sim_events.seq;
}

unsigned sim_recent_events(struct sim_event *out, unsigned n)
{
	uint64_t have = sim_events.seq < SIM_RECENT ? sim_events.seq : SIM_RECENT;

	if (n > have)
		n = (unsigned)have;
	for (unsigned i = 0; i < n; i++)
		out[i] = sim_events.ring[(sim_events.seq - n + i) % SIM_RECENT];
	return n;
}
