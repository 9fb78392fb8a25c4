/* KCore on the machine model with the model oracles following every call:
 * each helper runs one operation on KCore, hands it to the model and, with
 * nothing in flight, runs the state and isolation checks. */
#ifndef TESTS_REFMODEL_E2E_FIXTURE_H
#define TESTS_REFMODEL_E2E_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>

#include "hyp/kcore.h"
#include "hyp_target.h"
#include "model/model_oracle.h"
#include "violation.h"

extern struct model_oracle e2e_oracle;

/* A fresh default machine, KCore initialised on every CPU, the model reset
 * with every check on; CPU 0 is current.  Fails the case on a violation. */
void e2e_up(void);
/* The same with another hypervisor under test (the baseline) and the
 * given checks: true and *v if the boot state already violates them. */
bool e2e_try_up(const struct hyp_target *t, unsigned checks, struct violation *v);
const struct kcore_boot *e2e_boot(void);

/* One operation on cpu, checked: true and *v on a violation. */
bool e2e_try_hvc(unsigned cpu, uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2, int64_t *ret,
		 struct violation *v);
bool e2e_try_fault(unsigned cpu, uint64_t pa, int64_t *ret, struct violation *v);

/* One operation on cpu, checked: the case fails on any violation. */
int64_t e2e_hvc(unsigned cpu, uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2);
int64_t e2e_ghvc(unsigned cpu, uint64_t op, uint64_t a0);
int64_t e2e_fault(unsigned cpu, uint64_t pa);
/* The quiescent checks now: true and *v on a violation. */
bool e2e_quiescent(struct violation *v);
/* Fail the case, printing v, if violated. */
void e2e_expect_clean(bool violated, const struct violation *v);

/* Pages KServ owns, 16 MiB into RAM, far from KCore's region. */
uint64_t e2e_pfn(unsigned i);
uint64_t e2e_mmio_pa(unsigned i);
/* A verified VM running guest image img at gfn, loaded by KServ into pages
 * first_pfn.. with checked faults and writes; nvcpus vCPUs registered. */
unsigned e2e_boot_vm(unsigned img, uint64_t gfn, uint64_t first_pfn, unsigned nvcpus);

/* Stage-2 surgery behind the target's back, for known-bad histories: the
 * table at level (2 or 3) on the walk from root to ipa (it must exist);
 * write the level-3 descriptor for ipa; KCore's roots. */
uint64_t e2e_table_of(uint64_t root, uint64_t ipa, unsigned level);
void e2e_poke_leaf(uint64_t root, uint64_t ipa, uint64_t desc);
uint64_t e2e_kserv_root(void);
uint64_t e2e_vm_root(unsigned vm);

#endif
