/* A booted reference model for the model-only tests: the default machine
 * layout, an image check the test controls, and helpers that take a VM
 * through its lifecycle using the model's own entry points. */
#ifndef TESTS_REFMODEL_MODEL_FIXTURE_H
#define TESTS_REFMODEL_MODEL_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>

#include "model/ref/refmodel.h"
#include "model/state/refstate.h"

#define FX_RAM_BASE_PFN 0x40000ull  /* 0x40000000 */
#define FX_RAM_PAGES 16384ull       /* 64 MiB */
#define FX_KCORE_PAGES 512ull       /* KCore's region at the start of RAM */
#define FX_MMIO_BASE_PFN 0x9000ull  /* 0x09000000 */
#define FX_MMIO_PAGES 4096ull
#define FX_NCPUS 4u

/* The i-th page KServ owns at boot. */
#define FX_KSERV_PFN(i) (FX_RAM_BASE_PFN + FX_KCORE_PAGES + (uint64_t)(i))
#define FX_MMIO_PA(i) ((FX_MMIO_BASE_PFN + (uint64_t)(i)) << 12)
#define FX_IMAGE_GFN 0x80000ull     /* gpa 0x80000000 */

#define ERR(e) (-(int64_t)(e))

void fx_boot(struct kcore_boot *b);
/* A fresh model, initialised; every image verifies unless fx_images_good is false. */
struct ref_model *fx_model(void);
extern bool fx_images_good;

const struct ref_page *fx_page(const struct ref_model *m, uint64_t pfn);
const struct ref_vm *fx_vm(const struct ref_model *m, unsigned vm);

/* Host calls on CPU 0 / guest calls on cpu. */
int64_t fx_hvc(struct ref_model *m, uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2);
int64_t fx_ghvc(struct ref_model *m, unsigned cpu, uint64_t op, uint64_t a0);

/* register_vm, register_vcpu 0 and 1, boot info at FX_IMAGE_GFN with
 * npages image pages taken from KServ's pages first_pfn.., all checked.
 * Returns the handle; the VM is READY and its image slots are filled. */
unsigned fx_ready_vm(struct ref_model *m, unsigned npages, uint64_t first_pfn);
/* fx_ready_vm then verify: VERIFIED. */
unsigned fx_verified_vm(struct ref_model *m, unsigned npages, uint64_t first_pfn);
/* fx_verified_vm, vCPU 0 runs on cpu. */
unsigned fx_running_vm(struct ref_model *m, unsigned npages, uint64_t first_pfn, unsigned cpu);

#endif
