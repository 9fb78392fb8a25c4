/* Resets between replayed programs (reset.h). */
#include "reset.h"

#include <stdbool.h>

#include "core/core.h"
#include "hyp/arch.h"
#include "traps/platform_call.h"
#include "world/guest_channel.h"
#include "world/world.h"

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

bool reset_caps(uint64_t word, struct kcore_caps *caps)
{
	uint32_t b[5];

	for (unsigned i = 0; i < 5; i++)
		b[i] = (uint32_t)(word >> (8 * i)) & 0xff;
	*caps = (struct kcore_caps){ .vmids = b[0], .vm_pool_pages = b[1], .smmu_pool_pages = b[2],
				     .kserv_pool_pages = b[3], .max_share = b[4] };
	return word >> 40 == 0 && kcore_caps_valid(caps);
}

int64_t reset_run(const struct kcore_caps *caps)
{
	struct kcore_boot boot = layout;

	unsigned self = arch_cpu_id(), ncpus = arch_cpu_count();

	for (unsigned cpu = 0; cpu < ncpus; cpu++)
		if (cpu != self && world_cpu_in_guest(cpu))
			channel_post_leave(cpu);
	while (__atomic_load_n(&parked, __ATOMIC_ACQUIRE) != ncpus - 1)
		__asm__ volatile("wfe" : : : "memory");

	world_reset();
	channel_reset();
	boot.caps = *caps;
	int64_t ret = core_init(&boot);
	if (ret != KCORE_OK)
		arch_panic("kcore_init refused the boot layout on a reset");
	core_init_cpu();

	__atomic_store_n(&parked, 0, __ATOMIC_RELAXED);
	__atomic_fetch_add(&generation, 1, __ATOMIC_RELEASE);
	__asm__ volatile("dsb ish; sev" : : : "memory");
	return ret;
}
