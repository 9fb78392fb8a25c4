/* The machine as a whole: configuration, creation, and checkpoint/restore,
 * which each part implements for its own state. */
#include <string.h>

#include "arch/types.h"
#include "hyp/addr.h"
#include "hyp/s2desc.h"
#include "sim_private.h"

#define MAX_TLB_ENTRIES 4096u
#define MAX_RAM_BYTES (4ull << 30)

static struct sim_config config;

void sim_config_default(struct sim_config *cfg)
{
	*cfg = (struct sim_config){
		.ram_base = 0x40000000,
		.ram_bytes = 64ull << 20,
		.mmio_base = 0x09000000,
		.mmio_bytes = 16ull << 20,
		.ncpus = 4,
		.tlb_entries = 64,
	};
}

static bool region_ok(uint64_t base, uint64_t bytes)
{
	return !(base & PAGE_MASK) && !(bytes & PAGE_MASK) &&
	       base <= S2_OA_MASK && bytes <= S2_OA_MASK - base + 1;
}

static bool config_ok(const struct sim_config *c)
{
	bool disjoint = c->ram_base + c->ram_bytes <= c->mmio_base ||
			c->mmio_base + c->mmio_bytes <= c->ram_base;

	return region_ok(c->ram_base, c->ram_bytes) && c->ram_bytes > 0 &&
	       c->ram_bytes <= MAX_RAM_BYTES && region_ok(c->mmio_base, c->mmio_bytes) &&
	       disjoint && c->ncpus >= 1 && c->ncpus <= ARCH_MAX_CPUS &&
	       c->tlb_entries >= 1 && c->tlb_entries <= MAX_TLB_ENTRIES;
}

int sim_init(const struct sim_config *cfg)
{
	struct sim_config c;

	if (cfg)
		c = *cfg;
	else
		sim_config_default(&c);
	if (!config_ok(&c))
		return -1;
	sim_fini();
	config = c;
	if (sim_mem_init(&c) || sim_cache_init(&c) || sim_tlb_init(&c)) {
		sim_fini();
		return -1;
	}
	sim_cpus_init(&c);
	sim_smmu_init();
	sim_relaxed_reset();
	sim_iotlb_reset();
	sim_events_reset();
	/* The all-zero machine is the first checkpoint. */
	sim_checkpoint();
	return 0;
}

void sim_fini(void)
{
	sim_cache_fini();
	sim_tlb_fini();
	sim_mem_fini();
	sim_pool_fini();
	struct sim_config none = { 0 };
	sim_cpus_init(&none);
	sim_smmu_init();
	sim_events_reset();
	memset(&config, 0, sizeof(config));
}

const struct sim_config *sim_cfg(void)
{
	return &config;
}

/* Unpublished writes are taken as published, unfinished TLBIs dropped
 * with the TLBs, dirty lines written back and TLBs and IOTLBs emptied
 * first, so the state saved
 * is exactly the state every restore returns to. */
void sim_checkpoint(void)
{
	sim_relaxed_reset();
	sim_iotlb_reset();
	sim_cache_flush_all();
	sim_tlb_flush_all();
	sim_mem_checkpoint();
	sim_cpus_checkpoint();
	sim_smmu_checkpoint();
	sim_events_reset();
}

void sim_restore(void)
{
	sim_relaxed_reset();
	sim_iotlb_reset();
	sim_cache_discard_all();
	sim_tlb_flush_all();
	sim_mem_restore();
	sim_cpus_restore();
	sim_smmu_restore();
	sim_events_reset();
}
