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
	if (mem_init(&c) || cache_init(&c) || tlb_init(&c)) {
		sim_fini();
		return -1;
	}
	cpu_init(&c);
	smmu_init();
	ev_reset();
	/* The all-zero machine is the first checkpoint. */
	sim_checkpoint();
	return 0;
}

void sim_fini(void)
{
	cache_fini();
	tlb_fini();
	mem_fini();
	pool_fini();
	struct sim_config none = { 0 };
	cpu_init(&none);
	smmu_init();
	ev_reset();
	memset(&config, 0, sizeof(config));
}

const struct sim_config *sim_cfg(void)
{
	return &config;
}

/* Dirty lines are written back and TLBs emptied first, so the state saved
 * is exactly the state every restore returns to. */
void sim_checkpoint(void)
{
	cache_flush_all();
	tlb_flush_all();
	mem_checkpoint();
	cpu_checkpoint();
	smmu_checkpoint();
	ev_reset();
}

void sim_restore(void)
{
	cache_discard_all();
	tlb_flush_all();
	mem_restore();
	cpu_restore();
	smmu_restore();
	ev_reset();
}
