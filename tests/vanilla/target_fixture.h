/* Driving either hypervisor target (hyp/kserv/hyp_target.h) on the machine
 * model, for tests that run the same steps on KCore and on the baseline.
 *
 * tf_machine() builds a default machine once per case and checkpoints it;
 * tf_boot(t) restores that checkpoint and brings target t up on it, so two
 * targets in one case start from identical memory.  Host calls run on
 * CPU 0; host accesses fault pages in through the current target. */
#ifndef TESTS_VANILLA_TARGET_FIXTURE_H
#define TESTS_VANILLA_TARGET_FIXTURE_H

#include <stdint.h>

#include "check.h"
#include "hyp/addr.h"
#include "hyp/kcore.h"
#include "hyp/kcore_view.h"
#include "hyp_target.h"
#include "sim/machine.h"

#define TF_HOST_CPU 0u
/* Where the tests put VM images: gfn 0x80 (0x80000). */
#define TF_IMAGE_GFN 0x80ull

/* A default machine (64 MiB of RAM at 0x40000000, MMIO at 0x09000000,
 * 4 CPUs) whose panics fail the running case; checkpointed. */
void tf_machine(void);
/* Back to the checkpoint, target t initialised on the layout of
 * tests/kcore/setup.h and set up on every CPU; CPU 0 current. */
void tf_boot(const struct hyp_target *t);
/* The target tf_boot brought up last. */
extern const struct hyp_target *tf_target;

/* Page frames the tests hand around, far from the tables' region. */
uint64_t tf_data_pfn(unsigned i);
uint64_t tf_mmio_pfn(void);
static inline uint64_t tf_pa(uint64_t pfn) { return pfn << PAGE_SHIFT; }

/* Calls into the current target: host calls on CPU 0, guest calls on cpu. */
int64_t tf_hvc(uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2);
int64_t tf_ghvc(unsigned cpu, uint64_t op, uint64_t a0);
/* vcpu_run issued on cpu (the vCPU then runs there). */
int64_t tf_run(unsigned cpu, uint64_t vm, uint64_t vcpu);

/* A 64-bit access by the host at pa on CPU 0 (flags: SIM_ACC_*): on a
 * stage-2 fault the target's kserv_fault is asked and the access retried
 * once.  Returns the fault of the last attempt (SIM_OK on success). */
int tf_host_access(uint64_t pa, unsigned flags, uint64_t *val);
int tf_host_read(uint64_t pa, uint64_t *val);
int tf_host_write(uint64_t pa, uint64_t val);
/* The same for the guest running on cpu, at ipa, with no fault handling. */
int tf_guest_access(unsigned cpu, uint64_t ipa, unsigned flags, uint64_t *val);
int tf_guest_read(unsigned cpu, uint64_t ipa, uint64_t *val);
int tf_guest_write(unsigned cpu, uint64_t ipa, uint64_t val);

/* Page idx of guest image img written into pfn by the host, with a word
 * xored in at offset 0 when corrupt is nonzero. */
void tf_write_image_page(unsigned img, unsigned idx, uint64_t pfn, uint64_t corrupt);
/* Word off (bytes, 8-aligned) of page idx of image img. */
uint64_t tf_image_word(unsigned img, unsigned idx, unsigned off);
/* A VM with nvcpus vCPUs and image img at TF_IMAGE_GFN, loaded into pages
 * first_pfn.. and verified; returns the handle (CHECK-fails otherwise). */
unsigned tf_boot_vm(unsigned img, uint64_t first_pfn, unsigned nvcpus);

struct kcore_page_view tf_page(uint64_t pfn);
struct kcore_vm_view tf_vm(unsigned vm);

#endif
