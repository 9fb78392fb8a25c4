#include "hw/tlb/tlb_contexts.h"

#include <string.h>

_Static_assert((TLB_VMID_SLOTS & (TLB_VMID_SLOTS - 1)) == 0, "slots must be a power of two");

void tlb_ctx_init(struct tlb_contexts *c)
{
	memset(c, 0, sizeof(*c));
	tlb_ctx_reset(c);
}

void tlb_ctx_reset(struct tlb_contexts *c)
{
	if (++c->gen == 0) {
		memset(c->slot_gen, 0, sizeof(c->slot_gen));
		c->gen = 1;
	}
	c->nused = 0;
	memset(c->units, 0, sizeof(c->units));
	for (unsigned cpu = 0; cpu < ARCH_MAX_CPUS; cpu++)
		c->cpu_slot[cpu] = -1;
	c->cpu_flushing = 0;
	c->overflow = false;
}

static int find_slot(const struct tlb_contexts *c, uint16_t vmid, bool *found)
{
	unsigned i = (vmid * 0x9e37u) & (TLB_VMID_SLOTS - 1);

	for (unsigned n = 0; n < TLB_VMID_SLOTS; n++, i = (i + 1) & (TLB_VMID_SLOTS - 1)) {
		if (c->slot_gen[i] != c->gen) {
			*found = false;
			return (int)i;
		}
		if (c->vmids[i].vmid == vmid) {
			*found = true;
			return (int)i;
		}
	}
	*found = false;
	return -1;
}

static struct tlb_vmid *lookup(const struct tlb_contexts *c, uint16_t vmid)
{
	bool found;
	int i = find_slot(c, vmid, &found);

	return found ? (struct tlb_vmid *)&c->vmids[i] : NULL;
}

/* A VMID met for the first time has never been loaded: nothing is cached. */
static int get_slot(struct tlb_contexts *c, uint16_t vmid)
{
	bool found;
	int i = find_slot(c, vmid, &found);

	if (found)
		return i;
	/* Keep the index at most three quarters full so probes stay short. */
	if (i < 0 || c->nused >= TLB_VMID_SLOTS * 3 / 4) {
		c->overflow = true;
		return -1;
	}
	c->slot_gen[i] = c->gen;
	c->vmids[i] = (struct tlb_vmid){ .vmid = vmid };
	c->used[c->nused++] = (uint16_t)i;
	return i;
}

bool tlb_ctx_load(struct tlb_contexts *c, unsigned cpu, uint16_t vmid, uint64_t root,
		  uint64_t *prev_root)
{
	int slot = get_slot(c, vmid);
	bool reuse = false;

	if (c->cpu_slot[cpu] >= 0)
		c->vmids[c->cpu_slot[cpu]].loaded &= (uint8_t)~(1u << cpu);
	c->cpu_slot[cpu] = slot;
	if (slot < 0)
		return false;

	struct tlb_vmid *v = &c->vmids[slot];
	if (v->stale && v->last_root != root) {
		reuse = true;
		*prev_root = v->last_root;
	}
	v->stale = true;
	v->last_root = root;
	v->loaded |= (uint8_t)(1u << cpu);
	v->loads++;
	return reuse;
}

static void start_flush(struct tlb_vmid *v, unsigned cpu)
{
	v->flushing |= (uint8_t)(1u << cpu);
	v->flush_loads[cpu] = v->loads;
}

void tlb_ctx_tlbi_vmid(struct tlb_contexts *c, unsigned cpu, uint16_t vmid)
{
	struct tlb_vmid *v = lookup(c, vmid);

	/* A VMID never loaded has nothing cached to flush. */
	if (!v)
		return;
	start_flush(v, cpu);
	c->cpu_flushing |= (uint8_t)(1u << cpu);
}

void tlb_ctx_tlbi_all(struct tlb_contexts *c, unsigned cpu)
{
	for (unsigned i = 0; i < c->nused; i++)
		start_flush(&c->vmids[c->used[i]], cpu);
	c->cpu_flushing |= (uint8_t)(1u << cpu);
}

void tlb_ctx_dsb(struct tlb_contexts *c, unsigned cpu)
{
	uint8_t bit = (uint8_t)(1u << cpu);

	if (!(c->cpu_flushing & bit))
		return;
	c->cpu_flushing &= (uint8_t)~bit;
	for (unsigned i = 0; i < c->nused; i++) {
		struct tlb_vmid *v = &c->vmids[c->used[i]];

		if (!(v->flushing & bit))
			continue;
		v->flushing &= (uint8_t)~bit;
		/* A CPU that had it loaded, or loaded it after the TLBI was
		 * issued, may have walked again since. */
		if (!v->loaded && v->loads == v->flush_loads[cpu])
			v->stale = false;
	}
}

bool tlb_ctx_s2_may_hold(const struct tlb_contexts *c, uint16_t vmid, uint64_t root)
{
	const struct tlb_vmid *v = lookup(c, vmid);

	return v && v->stale && v->last_root == root;
}

void tlb_ctx_unit_attach(struct tlb_contexts *c, unsigned unit, uint64_t root)
{
	if (unit < SIM_SMMU_UNITS)
		c->units[unit] = (struct tlb_unit){ .attached = true, .root = root };
}

void tlb_ctx_unit_detach(struct tlb_contexts *c, unsigned unit)
{
	if (unit < SIM_SMMU_UNITS)
		c->units[unit].attached = false;
}

bool tlb_ctx_unit_may_hold(const struct tlb_contexts *c, unsigned unit, uint64_t root)
{
	return unit < SIM_SMMU_UNITS && c->units[unit].attached && c->units[unit].root == root;
}
