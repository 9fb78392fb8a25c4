/* The EL1 test host: what its test cases use.
 *
 * The host plays KServ: it owns most of RAM, asks KCore for everything by
 * hypercall, and probes what it can and cannot reach.  Its stage-1 maps
 * the whole 39-bit IPA space twice (host_mmu.c): at the address itself
 * (write-back cacheable, devices below 1 GiB) and at HOST_NC_ALIAS +
 * address (Normal non-cacheable), so a test can read a page both through
 * and around the caches.
 */
#ifndef HOST_HOST_H
#define HOST_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bootargs.h"
#include "console.h"
#include "hyp/kcore.h"
#include "platform_call.h"

#define HOST_NC_ALIAS 0xffffff8000000000ull

/* --- Boot ----------------------------------------------------------------- */

const struct host_bootargs *host_args(void);
/* The value of key=value on the command line, or dflt if absent or not a
 * number (decimal, or hex with 0x). */
uint64_t host_arg_u64(const char *key, uint64_t dflt);
/* Host CPUs that have reached their idle loop (the boot CPU excluded). */
unsigned host_secondaries_up(void);

/* --- Hypercalls --------------------------------------------------------------- */

struct hvc_ret {
	int64_t x0;
	uint64_t x1;
};

struct hvc_ret host_hvc(uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2);
static inline int64_t kcore_call(uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2)
{
	return host_hvc(op, a0, a1, a2).x0;
}
/* DMA by a device behind SMMU unit: 0 or -enum dma_fault. */
int64_t host_dma_read(unsigned unit, uint64_t iova, uint64_t *val);
int64_t host_dma_write(unsigned unit, uint64_t iova, uint64_t val);
_Noreturn void host_exit(unsigned status);

/* --- Memory --------------------------------------------------------------- */

/* One access that may fault: 0 on success, else the ESR_EL1 of the abort
 * the host took. */
uint64_t host_probe_read64(uint64_t va, uint64_t *val);
uint64_t host_probe_write64(uint64_t va, uint64_t val);
/* A fresh page of the host's RAM (never handed out twice in a run); any
 * CPU may call it. */
uint64_t host_alloc_page(void);
/* ESR_EL1 exception class of a probe's result. */
static inline unsigned esr_class(uint64_t esr) { return (unsigned)(esr >> 26) & 0x3f; }
#define ESR_CLASS_DABT_CUR 0x25

/* --- Other CPUs ------------------------------------------------------------ */

typedef void (*host_work_fn)(unsigned cpu, void *arg);
/* Hand fn(cpu, arg) to that secondary CPU (boot CPU only; one item per
 * CPU at a time); host_wait returns once it has finished. */
void host_post(unsigned cpu, host_work_fn fn, void *arg);
void host_wait(unsigned cpu);
/* Both: run fn(cpu, arg) there and wait for it. */
void host_run_on(unsigned cpu, host_work_fn fn, void *arg);

/* --- Test cases ----------------------------------------------------------- */

struct host_test {
	const char *name;
	void (*fn)(void);
};
/* The image's test table. */
extern const struct host_test host_tests[];
extern const unsigned host_test_count;

void host_check_fail(const char *file, int line, const char *what, bool values, uint64_t a,
		     uint64_t b);

/* On failure, report and leave the function with ret (empty in a test
 * function, which returns void). */
#define HCHECK_RET(cond, ret)                                                     \
	do {                                                                      \
		if (!(cond)) {                                                    \
			host_check_fail(__FILE__, __LINE__, #cond, false, 0, 0);  \
			return ret;                                               \
		}                                                                 \
	} while (0)

#define HCHECK_EQ_RET(a, b, ret)                                                  \
	do {                                                                      \
		uint64_t a_ = (uint64_t)(a), b_ = (uint64_t)(b);                  \
		if (a_ != b_) {                                                   \
			host_check_fail(__FILE__, __LINE__, #a " == " #b, true, a_, b_); \
			return ret;                                               \
		}                                                                 \
	} while (0)

#define HCHECK(cond) HCHECK_RET(cond, )
#define HCHECK_EQ(a, b) HCHECK_EQ_RET(a, b, )

#endif
