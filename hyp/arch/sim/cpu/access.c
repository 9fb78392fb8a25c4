/* Memory accesses by guests and KServ (through a CPU's TLB and stage-2)
 * and by devices (through an SMMU unit's table).  Each is one aligned
 * 64-bit word and emits one event, faulting or not. */
#include "hyp/addr.h"
#include "hyp/s2desc.h"
#include "sim_private.h"

#define ACC_FLAGS (SIM_ACC_WRITE | SIM_ACC_NONCACHEABLE | SIM_ACC_FETCH)
#define NO_PA (~0ull)

/* The flags an access keeps: a fetch only ever reads. */
static unsigned acc_flags(unsigned flags)
{
	flags &= ACC_FLAGS;
	return (flags & SIM_ACC_FETCH) ? flags & ~SIM_ACC_WRITE : flags;
}

/* Data accesses by S2AP; an instruction fetch by XN alone (stage 2 has no
 * read requirement for execution). */
static int check_permission(uint64_t desc, unsigned flags)
{
	if (flags & SIM_ACC_FETCH)
		return s2_is_executable(desc) ? SIM_OK : SIM_FAULT_PERMISSION;
	uint64_t need = (flags & SIM_ACC_WRITE) ? S2_S2AP_W : S2_S2AP_R;

	return (desc & need) ? SIM_OK : SIM_FAULT_PERMISSION;
}

/* Who is accessing: a CPU allocates lines in the cache; a device snoops it
 * (IO-coherent: reads see a present line, writes update it) without
 * allocating. */
enum requester { REQ_CPU, REQ_DEVICE };

static void ram_access(enum requester who, uint64_t pa, bool cacheable, bool write, uint64_t *val)
{
	if (!cacheable) {
		if (write)
			sim_ram_write(pa, val, 8);
		else
			sim_ram_read(pa, val, 8);
	} else if (who == REQ_DEVICE) {
		if (write)
			sim_cache_snoop_write(pa, val, 8);
		else
			sim_cache_snoop_read(pa, val, 8);
	} else if (write) {
		sim_cache_write(pa, val, 8);
	} else {
		sim_cache_read(pa, val, 8);
	}
}

/* The data side once translated: cacheable RAM through the cache, other
 * RAM at the point of coherency, MMIO to the devices. */
static int data_access(enum requester who, uint64_t pa, uint64_t desc, unsigned flags, uint64_t *val)
{
	bool write = flags & SIM_ACC_WRITE;
	bool cacheable = !(flags & SIM_ACC_NONCACHEABLE) && s2_is_cacheable(desc);

	switch (sim_mem_kind(pa, 8)) {
	case MEM_RAM:
		ram_access(who, pa, cacheable, write, val);
		return SIM_OK;
	case MEM_MMIO:
		if (!s2_is_device(desc))
			return SIM_FAULT_MEMTYPE;
		if (!write)
			*val = sim_mmio_read64(pa);
		return SIM_OK;
	default:
		return SIM_FAULT_EXTERNAL;
	}
}

/* Permission, then data, for a translated access.  Returns the fault. */
static int finish(enum requester who, uint64_t pa, uint64_t desc, unsigned flags, uint64_t *val)
{
	int fault = check_permission(desc, flags);

	return fault != SIM_OK ? fault : data_access(who, pa, desc, flags, val);
}

static int report(struct sim_access *out, int fault, uint64_t pa, bool hit, unsigned flags, uint64_t *val)
{
	if (fault != SIM_OK && !(flags & SIM_ACC_WRITE))
		*val = 0;
	if (out)
		*out = (struct sim_access){ .fault = fault, .pa = fault ? NO_PA : pa, .tlb_hit = hit };
	return fault;
}

/* TLB, else walk and fill.  Returns the fault; *pa, *desc, *hit on success. */
static int cpu_translate(unsigned cpu, const struct sim_stage2 *s2, uint64_t ipa,
			 uint64_t *pa, uint64_t *desc, bool *hit)
{
	const struct tlb_slot *s = sim_tlb_lookup(cpu, s2->vmid, ipa);
	struct sim_walk w;

	*hit = s != NULL;
	if (!s) {
		int fault = sim_s2_walk_seen_by(cpu, s2->root, ipa, &w);

		if (fault != SIM_OK)
			return fault;
		s = sim_tlb_fill(cpu, s2->vmid, ipa, &w);
	}
	*pa = s->e.pa + (ipa - s->e.ipa);
	*desc = s->e.desc;
	return SIM_OK;
}

int sim_cpu_access(unsigned cpu, uint64_t ipa, unsigned flags, uint64_t *val, struct sim_access *out)
{
	const struct sim_stage2 *s2 = sim_cpu_context(cpu);
	uint64_t scratch = 0, pa = NO_PA, desc = 0;
	bool hit = false;
	int fault;

	if (!val)
		val = &scratch;
	flags = acc_flags(flags);
	ipa &= ~7ull;
	if (!s2)
		return report(out, SIM_FAULT_NOT_RUNNING, NO_PA, false, flags, val);
	if (!s2->enabled || (ipa >> S2_IPA_BITS))
		fault = SIM_FAULT_ADDRESS;
	else
		fault = cpu_translate(cpu, s2, ipa, &pa, &desc, &hit);
	if (fault == SIM_OK)
		fault = finish(REQ_CPU, pa, desc, flags, val);
	sim_emit(EV_CPU_ACCESS, cpu, s2->vmid, ipa, fault ? NO_PA : pa, flags | (unsigned)fault << 8);
	return report(out, fault, pa, hit, flags, val);
}

/* A whole line's data side: cacheable RAM through the cache, other RAM
 * at the point of coherency, MMIO word by word. */
static int line_data(uint64_t pa, uint64_t desc, unsigned flags, uint64_t *words)
{
	bool write = flags & SIM_ACC_WRITE;
	bool cacheable = !(flags & SIM_ACC_NONCACHEABLE) && s2_is_cacheable(desc);

	switch (sim_mem_kind(pa, CACHE_LINE_SIZE)) {
	case MEM_RAM:
		if (cacheable)
			{
			if (write)
				sim_cache_write(pa, words, CACHE_LINE_SIZE);
			else
				sim_cache_read(pa, words, CACHE_LINE_SIZE);
		}
		else if (write)
			sim_ram_write(pa, words, CACHE_LINE_SIZE);
		else
			sim_ram_read(pa, words, CACHE_LINE_SIZE);
		return SIM_OK;
	case MEM_MMIO:
		for (unsigned i = 0; !write && i < CACHE_LINE_SIZE / 8; i++)
			words[i] = sim_mmio_read64(pa + 8 * i);
		return SIM_OK;
	default:
		return SIM_FAULT_EXTERNAL;
	}
}

int sim_cpu_access_line(unsigned cpu, uint64_t ipa, unsigned flags, uint64_t words[CACHE_LINE_SIZE / 8],
			struct sim_access *out)
{
	const struct sim_stage2 *s2 = sim_cpu_context(cpu);
	uint64_t pa = NO_PA, desc = 0;
	bool hit = false;
	int fault;

	flags &= ACC_FLAGS;
	ipa &= ~(uint64_t)(CACHE_LINE_SIZE - 1);
	if (!s2)
		fault = SIM_FAULT_NOT_RUNNING;
	else if (!s2->enabled || (ipa >> S2_IPA_BITS))
		fault = SIM_FAULT_ADDRESS;
	else
		fault = cpu_translate(cpu, s2, ipa, &pa, &desc, &hit);
	if (fault == SIM_OK)
		fault = check_permission(desc, flags);
	if (fault == SIM_OK)
		fault = line_data(pa, desc, flags, words);
	if (s2)
		sim_emit(EV_CPU_ACCESS, cpu, s2->vmid, ipa, fault ? NO_PA : pa,
			 flags | SIM_ACC_LINE | (unsigned)fault << 8);
	if (fault != SIM_OK && !(flags & SIM_ACC_WRITE))
		for (unsigned i = 0; i < CACHE_LINE_SIZE / 8; i++)
			words[i] = 0;
	if (out)
		*out = (struct sim_access){ .fault = fault, .pa = fault ? NO_PA : pa, .tlb_hit = hit };
	return fault;
}

int sim_dma_access(unsigned unit, uint64_t iova, unsigned flags, uint64_t *val, struct sim_access *out)
{
	uint64_t scratch = 0, root, pa = NO_PA;
	struct sim_walk w;
	int fault;

	if (!val)
		val = &scratch;
	flags = acc_flags(flags);
	iova &= ~7ull;
	if (!sim_smmu_root(unit, &root))
		fault = SIM_FAULT_ADDRESS;
	else
		fault = sim_iotlb_translate(unit, root, iova, &w);
	if (fault == SIM_OK) {
		pa = w.pa;
		fault = finish(REQ_DEVICE, pa, w.desc, flags, val);
	}
	sim_emit(EV_DMA_ACCESS, sim_cpu(), unit, iova, fault ? NO_PA : pa, flags | (unsigned)fault << 8);
	return report(out, fault, pa, false, flags, val);
}
