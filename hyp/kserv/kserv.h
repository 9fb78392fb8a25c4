/* KServ, the untrusted host, as KCore sees it: memory accesses through
 * KServ's stage-2 (faulting pages in on demand, as the host kernel would)
 * and the loading of VM images.  Tests and the harness act as KServ
 * through these. */
#ifndef KSERV_KSERV_H
#define KSERV_KSERV_H

#include <stdint.h>

/* Access flags (the machine model's SIM_ACC_* values). */
#define KSERV_ACC_WRITE (1u << 0)
#define KSERV_ACC_NONCACHEABLE (1u << 1) /* KServ's stage-1 says Normal-NC */
#define KSERV_ACC_FETCH (1u << 3)        /* an instruction fetch */

/* An aligned 64-bit access by KServ at physical address pa on the current
 * CPU.  On a stage-2 fault KServ reports it to KCore (kcore_kserv_fault)
 * and tries once more.  Returns 0, or the fault of the last attempt (an
 * enum sim_fault on the machine model); a CPU running a guest is not
 * KServ's to use and gives SIM_FAULT_NOT_RUNNING without an access. */
int kserv_access(uint64_t pa, unsigned flags, uint64_t *val);

/* Who answers KServ's stage-2 faults: KCore's kcore_kserv_fault unless set
 * otherwise (the harness points it at the target under test and records
 * the call).  fn NULL restores the default. */
typedef int64_t (*kserv_fault_fn)(void *ctx, uint64_t pa);
void kserv_set_fault_handler(kserv_fault_fn fn, void *ctx);
int kserv_read64(uint64_t pa, uint64_t *val);
int kserv_write64(uint64_t pa, uint64_t val);
/* The same as kserv_access for the 64-byte line holding pa at once
 * (words[0..7] in address order): one access, one event. */
int kserv_access_line(uint64_t pa, unsigned flags, uint64_t words[8]);

/* Write page idx of guest image img (hyp/kserv/guest_image.h; zeros if
 * either is out of range) into page pfn with cacheable KServ writes.
 * Returns 0, or the first fault. */
int kserv_load_image(unsigned img, unsigned idx, uint64_t pfn);

#endif
