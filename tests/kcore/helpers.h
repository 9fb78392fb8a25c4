/* Helpers for KCore's unit tests: booting VMs from the real guest images,
 * acting as a guest, recording events, and checking that a rejected
 * operation changed nothing. */
#ifndef TESTS_KCORE_HELPERS_H
#define TESTS_KCORE_HELPERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch/types.h"
#include "check.h"
#include "hyp/addr.h"
#include "hyp/kcore.h"
#include "hyp/kcore_view.h"
#include "hyp/s2desc.h"
#include "kserv.h"
#include "setup.h"
#include "sim/machine.h"

/* Images of hyp/kserv/guest_image.c by name. */
unsigned kt_image(const char *name);

/* Pages the tests hand around: 16 MiB into RAM, far from KCore's region. */
uint64_t kt_data_pfn(unsigned i);
/* A gfn the tests give VMs for their images. */
#define KT_IMAGE_GFN 0x80ull

int64_t kt_hvc(uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2);
int64_t kt_ghvc(uint64_t op, uint64_t a0);

/* A READY VM with nvcpus vCPUs, boot info for img at gfn, and the image
 * loaded by KServ into pages first_pfn.. and remapped; not yet verified. */
unsigned kt_load_vm(unsigned img, uint64_t gfn, uint64_t first_pfn, unsigned nvcpus);
/* The same, verified. */
unsigned kt_boot_vm(unsigned img, uint64_t gfn, uint64_t first_pfn, unsigned nvcpus);
/* vcpu_run on cpu, which becomes and stays the current CPU. */
void kt_run(unsigned cpu, unsigned vm, unsigned vcpu);

/* A 64-bit access by whatever runs on the current CPU (KServ's helpers
 * fault pages in; this does not). */
int kt_cpu_access(uint64_t ipa, unsigned flags, uint64_t *val);
/* KServ's cacheable read of pa on the current CPU, faulting the page in. */
int kt_kserv_read(uint64_t pa, uint64_t *val);

struct kcore_page_view kt_page(uint64_t pfn);
struct kcore_vm_view kt_vm(unsigned vm);
struct kcore_smmu_view kt_smmu(unsigned unit);

/* --- Events ------------------------------------------------------------ */

void kt_events_start(void);
void kt_events_stop(void);
size_t kt_events_count(void);
const struct sim_event *kt_event(size_t i);
/* Index of the first recorded event at or after from of this kind whose
 * field a equals a (any a when match_a is false); SIZE_MAX if none. */
size_t kt_find_event(size_t from, unsigned kind, bool match_a, uint64_t a);
/* Recorded events that change the machine or write KCore's shared state. */
size_t kt_mutating_events(void);

/* --- Nothing changed ---------------------------------------------------- */

struct kt_snapshot;
struct kt_snapshot *kt_snapshot_take(void);
/* CHECK-fails on the first difference from now; frees s. */
void kt_snapshot_check(struct kt_snapshot *s);

/* The operation returns -err, and neither KCore's state nor the machine
 * was changed by it. */
#define CHECK_REJECTS(call, err)                                                 \
	do {                                                                     \
		struct kt_snapshot *snap_ = kt_snapshot_take();                  \
		kt_events_start();                                               \
		int64_t ret_ = (call);                                           \
		kt_events_stop();                                                \
		CHECK_STR_EQ(kcore_err_name(ret_), kcore_err_name(-(int64_t)(err))); \
		CHECK_EQ(kt_mutating_events(), 0);                               \
		kt_snapshot_check(snap_);                                        \
	} while (0)

#endif
