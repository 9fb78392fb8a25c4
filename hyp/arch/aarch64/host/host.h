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

#include "boot/bootargs.h"
#include "guest/guest_abi.h"
#include "hyp/kcore.h"
#include "lib/console.h"
#include "traps/platform_call.h"

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
	uint64_t x1, x2, x3;
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

/* --- Guests (host_guest.c) -------------------------------------------------- */

/* What a guest command saw (guest_abi.h): the value read or the
 * hypercall's answer, and the ESR and address of a fault its access took
 * (esr 0: none; ESR class 0x24: a stage-2 abort, 0x25: at the guest's EL1). */
struct guest_seen {
	uint64_t value, esr, far;
};
/* How a vCPU's run ended (GUEST_EXIT_*, with a fault exit's ESR and IPA). */
struct guest_exit {
	uint64_t why, esr, far;
};

/* vcpu_run(vm, vcpu) on secondary CPU cpu, which stays in the guest until
 * it leaves: KCore's answer (0 once the guest waits for commands). */
int64_t host_vcpu_start(unsigned cpu, uint64_t vm, uint64_t vcpu);
/* True while the guest started on cpu has not left. */
bool host_vcpu_running(unsigned cpu);
/* Wait until the guest on cpu has left; how its run ended. */
struct guest_exit host_vcpu_wait_exit(unsigned cpu);
/* One command for the guest on cpu (GUEST_CMD_*): 0 or PLAT_E_*. */
int64_t host_guest_cmd(unsigned cpu, unsigned kind, bool nc, uint64_t a, uint64_t b,
		       struct guest_seen *seen);
static inline int64_t host_guest_read(unsigned cpu, uint64_t ipa, bool nc, struct guest_seen *seen)
{
	return host_guest_cmd(cpu, GUEST_CMD_READ, nc, ipa, 0, seen);
}
static inline int64_t host_guest_write(unsigned cpu, uint64_t ipa, uint64_t val, bool nc,
				       struct guest_seen *seen)
{
	return host_guest_cmd(cpu, GUEST_CMD_WRITE, nc, ipa, val, seen);
}
/* A KCore guest hypercall made by the guest on cpu: its answer. */
int64_t host_guest_call(unsigned cpu, uint64_t op, uint64_t arg);
/* PSCI SYSTEM_OFF by the guest on cpu: KCore's answer, if it returns. */
int64_t host_guest_power_off(unsigned cpu);

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
