/* Where the baseline's tables live: the boot layout's region, sliced by
 * hyp/common/hyp_pool.c as KCore slices it.  KVM takes its table pages
 * from the host kernel's allocator; fixed pools of KCore's sizes keep "out
 * of table memory" at the same step on both targets, and give the oracles
 * one place where every table page is. */
#include "vanilla.h"

uint64_t vanilla_region_pages_needed(void)
{
	return KCORE_REGION_PAGES;
}
