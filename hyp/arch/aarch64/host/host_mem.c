/* Pages for the tests: the host's RAM above its own image, handed out in
 * address order (a fresh boot per test keeps runs identical). */
#include "host.h"
#include "hyp/addr.h"

extern char __host_end[];

static uint64_t next_page;

uint64_t host_alloc_page(void)
{
	const struct host_bootargs *a = host_args();

	if (next_page == 0)
		next_page = ((uint64_t)(uintptr_t)__host_end + PAGE_MASK) & ~PAGE_MASK;
	if (next_page + PAGE_SIZE > a->ram_base + a->ram_size) {
		kprintf("isofuzz-host: out of pages\n");
		host_exit(1);
	}
	uint64_t p = next_page;
	next_page += PAGE_SIZE;
	return p;
}
