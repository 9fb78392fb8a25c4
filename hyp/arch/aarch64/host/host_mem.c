/* Pages for the tests: the rest of the host's range above its own image,
 * handed out in address order (a fresh boot per test keeps runs
 * identical). */
#include "host.h"
#include "hyp/addr.h"

extern char __host_end[];

static uint64_t pages_given;

uint64_t host_alloc_page(void)
{
	const struct host_bootargs *a = host_args();
	uint64_t base = ((uint64_t)(uintptr_t)__host_end + PAGE_MASK) & ~PAGE_MASK;
	uint64_t n = __atomic_fetch_add(&pages_given, 1, __ATOMIC_RELAXED);
	uint64_t p = base + n * PAGE_SIZE;

	if (p + PAGE_SIZE > a->host_base + a->host_size) {
		kprintf("isofuzz-host: out of pages\n");
		host_exit(1);
	}
	return p;
}
