/* Per-CPU stage-2 TLBs, tagged by VMID.
 *
 * Entries come from walks: on a miss, or when the fuzzer makes a CPU walk
 * speculatively.  A hit uses the entry as it was walked, whatever the
 * tables say now; only TLBI removes entries, and every TLBI reaches every
 * CPU (the inner-shareable forms are the only ones KCore uses) when it
 * completes (relaxed.c says when).  When a TLB
 * is full the victim is chosen round-robin, so replacement is deterministic.
 */
#include <stdlib.h>
#include <string.h>

#include "arch/types.h"
#include "sim_private.h"

static struct {
	unsigned ncpus, entries;
	struct tlb_slot *slots;      /* ncpus * entries */
	unsigned victim[ARCH_MAX_CPUS]; /* next slot replaced when full */
	unsigned nvalid[ARCH_MAX_CPUS];
	unsigned recent[ARCH_MAX_CPUS]; /* slot of the last hit or fill: tried first */
	unsigned used[ARCH_MAX_CPUS];   /* slots below this were written since the last flush */
} tlb;

static uint64_t epoch; /* outside tlb: it never goes back */

/* The last fills, for observers that look at refilled slots only: a ring
 * of (gen, cpu, slot), fills of them ever made. */
#define FILL_LOG 64
static struct tlb_fill { uint64_t gen; uint16_t cpu, slot; } fill_log[FILL_LOG];
static uint64_t fills;

int sim_tlb_init(const struct sim_config *cfg)
{
	memset(&tlb, 0, sizeof(tlb));
	tlb.slots = calloc((size_t)cfg->ncpus * cfg->tlb_entries, sizeof(*tlb.slots));
	if (!tlb.slots)
		return -1;
	tlb.ncpus = cfg->ncpus;
	tlb.entries = cfg->tlb_entries;
	return 0;
}

void sim_tlb_fini(void)
{
	free(tlb.slots);
	memset(&tlb, 0, sizeof(tlb));
}

/* Every slot is all zeros again; only those written since the last flush
 * can be anything else. */
void sim_tlb_flush_all(void)
{
	for (unsigned cpu = 0; tlb.slots && cpu < tlb.ncpus; cpu++)
		memset(&tlb.slots[(size_t)cpu * tlb.entries], 0, tlb.used[cpu] * sizeof(*tlb.slots));
	memset(tlb.used, 0, sizeof(tlb.used));
	memset(tlb.victim, 0, sizeof(tlb.victim));
	memset(tlb.nvalid, 0, sizeof(tlb.nvalid));
	memset(tlb.recent, 0, sizeof(tlb.recent));
	epoch++;
}

static struct tlb_slot *cpu_slots(unsigned cpu)
{
	return &tlb.slots[(size_t)cpu * tlb.entries];
}

static bool covers(const struct sim_tlb_entry *e, uint16_t vmid, uint64_t ipa)
{
	return e->vmid == vmid && ipa - e->ipa < e->size;
}

const struct tlb_slot *sim_tlb_lookup(unsigned cpu, uint16_t vmid, uint64_t ipa)
{
	if (cpu >= tlb.ncpus || tlb.nvalid[cpu] == 0)
		return NULL;
	const struct tlb_slot *s = cpu_slots(cpu);
	unsigned r = tlb.recent[cpu];

	if (s[r].valid && covers(&s[r].e, vmid, ipa))
		return &s[r];
	for (unsigned i = 0; i < tlb.entries; i++) {
		if (s[i].valid && covers(&s[i].e, vmid, ipa)) {
			tlb.recent[cpu] = i;
			return &s[i];
		}
	}
	return NULL;
}

/* A free slot if there is one, else the round-robin victim. */
static unsigned slot_for_fill(unsigned cpu)
{
	const struct tlb_slot *s = cpu_slots(cpu);

	if (tlb.nvalid[cpu] < tlb.entries) {
		for (unsigned i = 0; i < tlb.entries; i++)
			if (!s[i].valid)
				return i;
	}
	unsigned v = tlb.victim[cpu];
	tlb.victim[cpu] = (v + 1) % tlb.entries;
	return v;
}

const struct tlb_slot *sim_tlb_fill(unsigned cpu, uint16_t vmid, uint64_t ipa, const struct sim_walk *w)
{
	if (cpu >= tlb.ncpus)
		return NULL;
	unsigned i = slot_for_fill(cpu);
	struct tlb_slot *s = &cpu_slots(cpu)[i];

	if (!s->valid)
		tlb.nvalid[cpu]++;
	if (i >= tlb.used[cpu])
		tlb.used[cpu] = i + 1;
	s->valid = true;
	s->gen = ++epoch;
	fill_log[fills++ % FILL_LOG] = (struct tlb_fill){ s->gen, (uint16_t)cpu, (uint16_t)i };
	tlb.recent[cpu] = i;
	s->e = (struct sim_tlb_entry){
		.vmid = vmid, .ipa = ipa & ~(w->size - 1), .pa = w->pa & ~(w->size - 1),
		.size = w->size, .desc = w->desc,
	};
	sim_emit(EV_TLB_FILL, cpu, vmid, s->e.ipa, s->e.pa, s->e.desc);
	return s;
}

/* Drop the entries that match() selects and were filled at or before
 * epoch `before`, on cpu or on every CPU (SIM_ALL_CPUS). */
static void invalidate_where(bool (*match)(const struct sim_tlb_entry *, uint16_t, uint64_t),
			     uint16_t vmid, uint64_t ipa, unsigned only, uint64_t before)
{
	for (unsigned cpu = 0; cpu < tlb.ncpus; cpu++) {
		struct tlb_slot *s = cpu_slots(cpu);

		if (only != SIM_ALL_CPUS && cpu != only)
			continue;
		for (unsigned i = 0; i < tlb.entries && tlb.nvalid[cpu]; i++) {
			if (s[i].valid && s[i].gen <= before && match(&s[i].e, vmid, ipa)) {
				s[i].valid = false;
				tlb.nvalid[cpu]--;
				epoch++;
			}
		}
	}
}

static bool same_vmid(const struct sim_tlb_entry *e, uint16_t vmid, uint64_t ipa)
{
	(void)ipa;
	return e->vmid == vmid;
}

static bool any_entry(const struct sim_tlb_entry *e, uint16_t vmid, uint64_t ipa)
{
	(void)e, (void)vmid, (void)ipa;
	return true;
}

void sim_tlb_inval(enum sim_tlbi_kind kind, uint16_t vmid, uint64_t ipa, unsigned only, uint64_t before)
{
	static bool (*const match[])(const struct sim_tlb_entry *, uint16_t, uint64_t) = {
		[SIM_TLBI_IPA] = covers, [SIM_TLBI_VMID] = same_vmid, [SIM_TLBI_ALL] = any_entry,
	};
	invalidate_where(match[kind], vmid, ipa, only, before);
}

unsigned sim_tlb_count(unsigned cpu)
{
	return cpu < tlb.ncpus ? tlb.nvalid[cpu] : 0;
}

void sim_tlb_get(unsigned cpu, unsigned i, struct sim_tlb_entry *out)
{
	*out = (struct sim_tlb_entry){ 0 };
	if (cpu >= tlb.ncpus)
		return;
	const struct tlb_slot *s = cpu_slots(cpu);
	for (unsigned k = 0; k < tlb.entries; k++) {
		if (s[k].valid && i-- == 0) {
			*out = s[k].e;
			return;
		}
	}
}

unsigned sim_tlb_slots(void)
{
	return tlb.entries;
}

bool sim_tlb_slot(unsigned cpu, unsigned i, struct sim_tlb_entry *out, uint64_t *gen)
{
	if (cpu >= tlb.ncpus || i >= tlb.entries || !cpu_slots(cpu)[i].valid)
		return false;
	const struct tlb_slot *s = &cpu_slots(cpu)[i];
	*out = s->e;
	if (gen)
		*gen = s->gen;
	return true;
}

uint64_t sim_tlb_epoch(void)
{
	return epoch;
}

int sim_tlb_fills_since(uint64_t after, unsigned *cpu, unsigned *slot, unsigned max)
{
	unsigned n = 0;

	for (uint64_t k = fills; k > 0 && fill_log[(k - 1) % FILL_LOG].gen > after; k--) {
		if (n == max || fills - k == FILL_LOG)
			return -1; /* more than the ring (or max) holds */
		cpu[n] = fill_log[(k - 1) % FILL_LOG].cpu;
		slot[n++] = fill_log[(k - 1) % FILL_LOG].slot;
	}
	return (int)n;
}

bool sim_tlb_spec_fill(unsigned cpu, uint64_t ipa)
{
	const struct sim_stage2 *s2 = sim_cpu_context(cpu);
	struct sim_walk w;

	if (!s2 || !s2->enabled || sim_tlb_lookup(cpu, s2->vmid, ipa))
		return false;
	if (sim_s2_walk_seen_by(cpu, s2->root, ipa, &w) != SIM_OK)
		return false;
	sim_tlb_fill(cpu, s2->vmid, ipa, &w);
	return true;
}
