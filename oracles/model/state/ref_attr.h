/* The stage-2 attribute contract (hyp/kcore.h, KCORE_S2_*) in abstract
 * form, and the comparison of a concrete leaf against it.
 *
 * A leaf's abstract attributes are its permission (REF_PERM_R, _W, and _X
 * when XN is clear) and its memory type (Normal write-back, Device, or
 * anything else).  The contract fixes both for every kind of mapping; the
 * reference model puts them in its maps, refinement compares them, and
 * isolation holds every leaf of every principal to them: a principal
 * executes only what its kind of mapping lets it execute, RAM is always
 * Normal write-back and MMIO always Device.
 */
#ifndef ORACLES_MODEL_REF_ATTR_H
#define ORACLES_MODEL_REF_ATTR_H

#include <stdint.h>

#include "model/state/refstate.h"

enum ref_map_kind {
	REF_MAP_KSERV_RAM,     /* KServ's own RAM */
	REF_MAP_KSERV_SHARED,  /* a VM's page granted to KServ */
	REF_MAP_KSERV_MMIO,    /* device memory in KServ's stage-2 */
	REF_MAP_VM_RAM,        /* map_vm_page */
	REF_MAP_VM_IMAGE,      /* a verified image page */
	REF_MAP_VM_MMIO,       /* ioremap */
	REF_MAP_SMMU,          /* smmu_map */
	REF_MAP__COUNT
};

struct ref_attr {
	uint8_t perm; /* REF_PERM_* */
	uint8_t mem;  /* enum ref_mem */
};

/* The abstract view of one leaf descriptor.  A leaf without the access
 * flag grants nothing until hardware or software sets it, so its
 * permission is 0; ref_desc_perm_any ignores the flag (isolation: hardware
 * may set it on first use). */
unsigned ref_desc_perm(uint64_t desc);
unsigned ref_desc_perm_any(uint64_t desc);
unsigned ref_desc_mem(uint64_t desc);

/* What the contract gives a mapping of kind k. */
struct ref_attr ref_attr_of(enum ref_map_kind k);
/* The memory type any mapping of pfn must have: Device for MMIO, Normal
 * write-back for RAM (and for anything else, which no access reaches). */
unsigned ref_mem_of(const struct ref_state *s, uint64_t pfn);
/* The kind of KServ's mapping of pfn the model allows now, false if none. */
_Bool ref_kserv_kind(const struct ref_state *s, uint64_t pfn, enum ref_map_kind *k);

const char *ref_mem_name(unsigned mem);
/* "rwx", "rw-", ...: buf must hold 4 bytes. */
const char *ref_perm_text(unsigned perm, char buf[4]);

#endif
