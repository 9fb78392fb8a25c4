/* Tests that must fail: they prove a failed check and an exception the
 * host does not expect both reach the verdict (the runner expects exit
 * status 1 from them). */
#include "host.h"
#include "host_tests.h"

void test_check_fails(void)
{
	HCHECK_EQ(kcore_call(0, 0, 0, 0), 0);
}

void test_host_crash(void)
{
	/* The first address past the 39-bit range of the host's stage-1:
	 * nothing maps it, so the access faults at EL1, outside any probe. */
	volatile uint64_t *nowhere = (volatile uint64_t *)(uintptr_t)(1ull << 39);

	(void)*nowhere;
	kprintf("isofuzz-host: read an unmapped address without a fault\n");
}
