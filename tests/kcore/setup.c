#include "setup.h"

#include <stdio.h>
#include <stdlib.h>

#include "hyp/addr.h"

static void setup_failed(const char *what)
{
	fprintf(stderr, "kcore test set-up: %s\n", what);
	abort();
}

void kt_layout(struct kcore_boot *boot)
{
	const struct sim_config *cfg = sim_cfg();

	boot->ram_base_pfn = cfg->ram_base >> PAGE_SHIFT;
	boot->ram_pages = cfg->ram_bytes >> PAGE_SHIFT;
	boot->kcore_base_pfn = boot->ram_base_pfn;
	boot->kcore_pages = kcore_region_pages_needed();
	boot->mmio_base_pfn = cfg->mmio_base >> PAGE_SHIFT;
	boot->mmio_pages = cfg->mmio_bytes >> PAGE_SHIFT;
	boot->ncpus = cfg->ncpus;
	boot->caps = (struct kcore_caps){ 0 };
}

void kt_up_with(const struct sim_config *cfg)
{
	struct kcore_boot boot;

	sim_set_event_sink(NULL, NULL);
	sim_set_yield_hook(NULL, NULL);
	sim_set_panic_hook(NULL, NULL);
	if (sim_init(cfg) != 0)
		setup_failed("sim_init refused the machine configuration");
	kt_layout(&boot);
	if (kcore_init(&boot) != KCORE_OK)
		setup_failed("kcore_init refused the default layout");
	for (unsigned cpu = 0; cpu < boot.ncpus; cpu++) {
		sim_set_cpu(cpu);
		kcore_init_cpu();
	}
	sim_set_cpu(0);
}

void kt_up(void)
{
	struct sim_config cfg;

	sim_config_default(&cfg);
	kt_up_with(&cfg);
}

uint64_t kt_ram_pfn(void)
{
	return sim_cfg()->ram_base >> PAGE_SHIFT;
}

uint64_t kt_mmio_pfn(void)
{
	return sim_cfg()->mmio_base >> PAGE_SHIFT;
}
