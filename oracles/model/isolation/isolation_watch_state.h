/* Inside the incremental isolation check (isolation_watch.h): what it
 * keeps between checks, and the model's side of a check, which pages,
 * grants and statuses moved (isolation_watch_model.c). */
#ifndef ORACLES_MODEL_ISOLATION_WATCH_STATE_H
#define ORACLES_MODEL_ISOLATION_WATCH_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include "model/isolation/isolation_reach.h"
#include "model/isolation/isolation_watch.h"
#include "sim/machine.h"

#define WATCH_TOUCHED_MAX 256  /* more model pages changed at once: check everything */
#define WATCH_TLB_SLOTS (REF_MAX_CPUS * 256)

/* What a principal's verdicts were last computed from. */
struct seen_principal {
	bool live;
	uint64_t root, version, frames_version;
	uint32_t status;   /* VM: state and VMID; unit: model owner and allocation */
};

struct isolation_watch {
	bool primed;                                /* a first full check was made */
	bool pages_ready;                           /* page[] is the model's but for differs */
	struct seen_principal kserv, vm[KCORE_MAX_VMS + 1], unit[SIM_SMMU_UNITS];
	uint32_t live[KCORE_MAX_VMS + 1];           /* VMID + 1 per live VM */
	struct iso_contexts want;                   /* each VM's root and VMID, KServ's root, at this check */
	uint64_t tlb_epoch;
	uint64_t mem_epoch;                         /* sim_watch_epoch at the last check */
	uint64_t smmu_epoch;                        /* sim_smmu_epoch at the last check */
	uint64_t context_epoch;                     /* sim_context_epoch at the last check */
	bool contexts_plain;                        /* the last context check looked at no tree nor TLB */
	int cpu_vm[REF_MAX_CPUS];                   /* whom the model ran on each CPU at that check */
	uint32_t unit_sig[SIM_SMMU_UNITS];          /* each unit's status in the model (watch_unit_status) */
	bool tables_clean;                          /* the last check_tables went through every principal */
	bool reach_moved;                           /* see isolation_watch_reach_moved */
	bool mem_moved;                             /* a tree's frame, at this check */
	uint64_t tlb_gen[WATCH_TLB_SLOTS];
	struct ref_page *page;                      /* the model's pages as last checked */
	uint64_t npages;
	struct page_log differs;                    /* pages of page[] not at their boot value */
	uint64_t touched[WATCH_TOUCHED_MAX];        /* pfns whose model entry moved, sorted */
	unsigned ntouched;
	bool all_touched;
	uint64_t mmio_sig[KCORE_MAX_VMS + 1];       /* see watch_mmio_delta */
	bool mmio_moved;                            /* at this check */
	bool tables_touched;                        /* a touched page was read as a table */
	uint32_t *pick;                             /* scratch: leaf positions to check */
	unsigned pick_cap;
};

/* Fills touched[] with the pages whose model entry moved since the last
 * check; false when everything must be checked. */
bool watch_model_delta(struct isolation_watch *w, struct ref_state *m);
/* The model's MMIO grants may have moved: a VM's map changed size or the
 * VM its state (its map only grows while it lives). */
bool watch_mmio_delta(struct isolation_watch *w, const struct ref_state *m);
/* A unit's status in the model: its owner and whether it is allocated. */
uint32_t watch_unit_status(const struct ref_state *m, unsigned u);
/* Whether a unit's status in the model moved since the last look. */
bool watch_units_delta(struct isolation_watch *w, const struct ref_state *m);

#endif
