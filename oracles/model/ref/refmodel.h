/* The reference model of KCore: every operation of hyp/kcore.h on the
 * abstract state of refstate.h, with the same checks in the same order and
 * the same error codes, written to be obviously right rather than fast.
 *
 * The entry points mirror kcore.h; each also names the CPU it runs on,
 * which KCore learns from the hardware.  A CPU index the boot layout does
 * not have gets -KCORE_E_CPU_STATE.
 *
 * verify_vm_image needs the contents of the image pages, which the abstract
 * state does not hold: the model asks an image check (ref_image.h has the
 * one that reads the machine model's memory).  Without one every image
 * fails to verify.
 */
#ifndef ORACLES_MODEL_REFMODEL_H
#define ORACLES_MODEL_REFMODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "hyp/kcore.h"
#include "model/ref/ref_pool.h"
#include "model/state/refstate.h"

/* true if the pages pfn[0..npages) hold, in order, an image KCore's
 * manifest lists with that length. */
typedef bool (*ref_image_fn)(void *ctx, const uint64_t *pfn, unsigned npages);

struct ref_model {
	struct ref_state st;
	struct ref_pool vm_pool[KCORE_MAX_VMS + 1]; /* by handle */
	struct ref_pool smmu_pool[KCORE_SMMU_UNITS];
	struct ref_pool kserv_pool;                 /* keys of every pfn KServ faulted in */
	ref_image_fn image_ok;
	void *image_ctx;
};

/* The model is large (every map at its largest); it lives on the heap.
 * NULL when memory is short. */
struct ref_model *ref_new(void);
void ref_delete(struct ref_model *m);
void ref_set_image_check(struct ref_model *m, ref_image_fn fn, void *ctx);
/* dst becomes a copy of src (to try an order of calls and go back),
 * copying only what is in use.  false if memory ran out. */
bool ref_copy(struct ref_model *dst, const struct ref_model *src);

/* As kcore_init followed by kcore_init_cpu on every CPU.  -KCORE_E_PFN if
 * the layout cannot be represented. */
int64_t ref_init(struct ref_model *m, const struct kcore_boot *boot);
int64_t ref_host_call(struct ref_model *m, unsigned cpu, uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2);
int64_t ref_guest_call(struct ref_model *m, unsigned cpu, uint64_t op, uint64_t a0);
int64_t ref_kserv_fault(struct ref_model *m, unsigned cpu, uint64_t pa);

static inline const struct ref_state *ref_state_of(const struct ref_model *m) { return &m->st; }

#endif
