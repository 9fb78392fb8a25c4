/* The hypervisor core behind the EL2 platform code.
 *
 * The full image links KCore (core_kcore.c); the arch image links no core
 * (core_none.c): the host then runs without stage-2, which is how the
 * platform itself (boot, SMP, console, traps, arch.h) is tested alone.
 */
#ifndef ARCH_AARCH64_CORE_H
#define ARCH_AARCH64_CORE_H

#include <stdbool.h>
#include <stdint.h>

#include "hyp/kcore.h"

/* Name printed at boot. */
extern const char core_name[];
/* True if the host runs under the core's stage-2 tables. */
bool core_has_stage2(void);
/* Pages the core needs in its region after the image. */
uint64_t core_region_pages(void);
/* Set up the core on the boot CPU; KCORE_OK or a negative error. */
int64_t core_init(const struct kcore_boot *boot);
/* Per-CPU setup, on every CPU after core_init. */
void core_init_cpu(void);
/* A hypercall from the host (x0 = op, x1..x3 = arguments). */
int64_t core_host_call(uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2);
/* The host took a stage-2 fault at pa: >= 0 if it may retry. */
int64_t core_kserv_fault(uint64_t pa);
/* A hypercall from a guest, or from the host for a guest operation
 * (x0 = op, x1 = argument). */
int64_t core_guest_call(uint64_t op, uint64_t a0);
/* True if the core has this CPU running a vCPU (after a successful
 * vcpu_run, until the vCPU exits or powers its VM off). */
bool core_cpu_in_guest(void);
/* True if the host owns the RAM page pfn (the core's say, or any RAM
 * page the host's stage-2 would map without a core). */
bool core_page_is_host(uint64_t pfn);
/* The IPA of the first page of the VM's image: where its vCPUs start by
 * default.  False if the VM has no image range. */
bool core_vm_image_ipa(unsigned vm, uint64_t *ipa);

#endif
