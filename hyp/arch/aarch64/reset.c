/* Resets between replayed programs (reset.h). */
#include "reset.h"

#include <stdbool.h>

#include "core.h"
#include "guest_channel.h"
#include "hyp/arch.h"
#include "platform_call.h"
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

int64_t reset_scrub_page(uint64_t pfn)
{
	uint64_t pa = pfn << PAGE_SHIFT;

	if (pfn >> (64 - PAGE_SHIFT) || !core_page_is_host(pfn))
		return PLAT_E_ARG;
	arch_page_zero(pa_init(pa));
	for (uint64_t line = pa; line < pa + PAGE_SIZE; line += CACHE_LINE_SIZE)
		arch_dc_civac(pa_init(line));
	arch_dsb_ish();
	return 0;
}

int64_t reset_run(void)
{
	unsigned self = arch_cpu_id(), ncpus = arch_cpu_count();

	for (unsigned cpu = 0; cpu < ncpus; cpu++)
		if (cpu != self && world_cpu_in_guest(cpu))
			channel_post_leave(cpu);
	while (__atomic_load_n(&parked, __ATOMIC_ACQUIRE) != ncpus - 1)
		__asm__ volatile("wfe" : : : "memory");

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
