/* Resets between replayed programs (reset.h). */
#include "reset.h"

#include <stdbool.h>

#include "core.h"
#include "guest_channel.h"
#include "hyp/arch.h"
#include "layout.h"
#include "world.h"

static struct kcore_boot layout;
static uint32_t parked;
static uint32_t generation;

void reset_set_layout(const struct kcore_boot *boot)
{
	layout = *boot;
}

void reset_park(void)
{
	uint32_t gen = __atomic_load_n(&generation, __ATOMIC_ACQUIRE);

	__atomic_fetch_add(&parked, 1, __ATOMIC_ACQ_REL);
	__asm__ volatile("dsb ish; sev" : : : "memory");
	while (__atomic_load_n(&generation, __ATOMIC_ACQUIRE) == gen)
		__asm__ volatile("wfe" : : : "memory");
	core_init_cpu();
}

static bool inside(uint64_t pa, uint64_t base, uint64_t size)
{
	return pa >= base && pa - base < size;
}

/* Zero every page of KCore's RAM but KCore's region (kcore_init sets up
 * what it uses there) and the host's own range, and push the zeros to the
 * point of coherency, where non-cacheable readers look. */
static void scrub(void)
{
	uint64_t region = layout.kcore_base_pfn << PAGE_SHIFT;
	uint64_t region_size = layout.kcore_pages << PAGE_SHIFT;
	uint64_t end = (layout.ram_base_pfn + layout.ram_pages) << PAGE_SHIFT;

	for (uint64_t pa = layout.ram_base_pfn << PAGE_SHIFT; pa < end; pa += PAGE_SIZE) {
		if (inside(pa, region, region_size) || inside(pa, HOST_REGION_BASE, HOST_REGION_SIZE))
			continue;
		arch_page_zero(pa_init(pa));
		for (uint64_t line = pa; line < pa + PAGE_SIZE; line += CACHE_LINE_SIZE)
			arch_dc_civac(pa_init(line));
	}
	arch_dsb_ish();
}

int64_t reset_run(void)
{
	unsigned self = arch_cpu_id(), ncpus = arch_cpu_count();

	for (unsigned cpu = 0; cpu < ncpus; cpu++)
		if (cpu != self && world_cpu_in_guest(cpu))
			channel_post_leave(cpu);
	while (__atomic_load_n(&parked, __ATOMIC_ACQUIRE) != ncpus - 1)
		__asm__ volatile("wfe" : : : "memory");

	scrub();
	world_reset();
	channel_reset();
	int64_t ret = core_init(&layout);
	if (ret != KCORE_OK)
		arch_panic("kcore_init refused the boot layout on a reset");
	core_init_cpu();

	__atomic_store_n(&parked, 0, __ATOMIC_RELAXED);
	__atomic_fetch_add(&generation, 1, __ATOMIC_RELEASE);
	__asm__ volatile("dsb ish; sev" : : : "memory");
	return ret;
}
