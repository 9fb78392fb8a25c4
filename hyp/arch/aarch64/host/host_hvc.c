/* Hypercalls from the host: x0 = operation, x1..x3 = arguments; the
 * hypervisor returns x0 (and x1..x3 for platform calls and vcpu_run) and
 * preserves every other register. */
#include "host.h"

struct hvc_ret host_hvc(uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2)
{
	register uint64_t x0 __asm__("x0") = op;
	register uint64_t x1 __asm__("x1") = a0;
	register uint64_t x2 __asm__("x2") = a1;
	register uint64_t x3 __asm__("x3") = a2;

	__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
	return (struct hvc_ret){ (int64_t)x0, x1, x2, x3 };
}

int64_t host_dma_read(unsigned unit, uint64_t iova, uint64_t *val)
{
	struct hvc_ret r = host_hvc(PLAT_DMA_READ, unit, iova, 0);

	*val = r.x1;
	return r.x0;
}

int64_t host_dma_write(unsigned unit, uint64_t iova, uint64_t val)
{
	return host_hvc(PLAT_DMA_WRITE, unit, iova, val).x0;
}

_Noreturn void host_exit(unsigned status)
{
	host_hvc(PLAT_EXIT, status, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}
