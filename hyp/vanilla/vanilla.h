/* The unmodified-KVM baseline: KVM's memory management as it is without
 * SeKVM, behind the operation numbers and argument conventions of
 * hyp/kcore.h and the view of hyp/kcore_view.h.
 *
 * The host is trusted with all memory.  Its stage-2 is an identity map of
 * everything, filled on demand and never shrunk; pages have no owner, so
 * the host may map any RAM page into any VM, at several gfns, into several
 * VMs, or behind an SMMU unit; images are not hashed; a VM's pages are not
 * scrubbed when it goes away.  Malformed arguments and protocol states get
 * the error codes KCore gives, so a host that follows the protocol sees
 * the same return values and its guests the same memory on both. */
#ifndef VANILLA_H
#define VANILLA_H

#include <stdbool.h>
#include <stdint.h>

#include "hyp/kcore.h"
#include "hyp/kcore_view.h"

/* Pages the baseline needs in the boot layout's region for its tables. */
uint64_t vanilla_region_pages_needed(void);

/* The counterparts of kcore_init, kcore_init_cpu, kcore_host_call,
 * kcore_guest_call and kcore_kserv_fault. */
int64_t vanilla_init(const struct kcore_boot *boot);
void vanilla_init_cpu(void);
int64_t vanilla_host_call(uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2);
int64_t vanilla_guest_call(uint64_t op, uint64_t a0);
int64_t vanilla_kserv_fault(uint64_t pa);

/* Read-only view, as kcore_view_*: no events, no locks. */
bool vanilla_view_page(uint64_t pfn, struct kcore_page_view *out);
bool vanilla_view_vm(unsigned vm, struct kcore_vm_view *out);
bool vanilla_view_vm_brief(unsigned vm, struct kcore_vm_brief *out);
bool vanilla_view_smmu(unsigned unit, struct kcore_smmu_view *out);
bool vanilla_view_cpu(unsigned cpu, struct kcore_cpu_view *out);
void vanilla_view_region(struct kcore_region_view *out);
const struct kcore_boot *vanilla_view_boot(void);

#endif
