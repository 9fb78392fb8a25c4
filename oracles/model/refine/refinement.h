/* The refinement check: after each step the target's (KCore's) return
 * code equals the model's, and the abstraction of its state equals the
 * model's state.  A difference becomes a violation naming the first
 * differing field, with the page, gfn or iova and the VM (expected = the
 * model's value, actual = the target's). */
#ifndef ORACLES_MODEL_REFINEMENT_H
#define ORACLES_MODEL_REFINEMENT_H

#include <stdbool.h>
#include <stdint.h>

#include "model/state/refstate.h"
#include "violation.h"

/* what names the step in the detail ("hvc map_vm_page", "kserv fault"). */
bool refine_check_ret(const char *what, int64_t model_ret, int64_t target_ret, struct violation *v);
bool refine_check_state(const struct ref_state *model, const struct ref_state *target, struct violation *v);

/* The same, comparing only the RAM pages at the indexes idx[0..n). */
bool refine_check_state_pages(const struct ref_state *m, const struct ref_state *k, const uint32_t *idx,
			      unsigned n, struct violation *v);

/* KServ's stage-2 (target->kserv, NULL: nothing to check) against the
 * contract: every entry maps a page at its own address, one page at a
 * time, with the attributes of the kind of mapping the model allows KServ
 * for that page (ref_attr.h).  Entries for pages the model does not allow
 * KServ are isolation's to report.  Part of both state checks above. */
bool refine_check_kserv_map(const struct ref_state *model, const struct ref_state *target, struct violation *v);

/* The KServ check made incremental (refine_kserv_memo.c): an entry's
 * verdict moves only when the entry does or the model's entry for its
 * page does, and an entry that passed maps its own address, so what is
 * re-checked is the entries that differ from the map last checked, the
 * entries at pages the model moved since, and the entries whose page
 * KServ may not have (their verdict waits for the model).  The first
 * violation is the one refine_check_kserv_map reports. */
struct refine_kserv_memo {
	bool valid;
	uint64_t from_tree;            /* the map last checked (REF_MAP_HEAD), 0: unknown */
	struct ref_map_entry *prev;    /* that map */
	unsigned nprev, prev_cap;
	uint64_t *waiting;             /* keys of entries whose page KServ may not have */
	unsigned nwaiting, waiting_cap;
	uint32_t *pick;                /* scratch: entries to check */
	unsigned pick_cap;
};
void refine_kserv_memo_release(struct refine_kserv_memo *memo);
/* The next check is a whole one. */
void refine_kserv_memo_forget(struct refine_kserv_memo *memo);
/* moved: the RAM page indexes whose model entry may have moved since the
 * last call (NULL: any). */
bool refine_check_kserv_since(struct refine_kserv_memo *memo, const struct ref_state *model,
			      const struct ref_state *target, const uint32_t *moved, unsigned nmoved,
			      struct violation *v);
/* The state check made incremental: KServ's map as above, and each VM's
 * and unit's fields and map compared only when the model's or the
 * target's side moved since they were last found equal.  A side is named
 * by its generations (refstate.h: gen, map.gen; the abstraction's map by
 * the kept tree build it came from, map.from_tree), so a pair found equal
 * once is equal whenever it comes back; a part without a generation (0)
 * is always compared.  The first difference is the one the whole check
 * finds: a part skipped would have passed. */
struct refine_agreed { uint64_t model, target; };
struct refine_memo {
	struct refine_kserv_memo kserv;
	struct refine_agreed vm[KCORE_MAX_VMS + 1], vm_map[KCORE_MAX_VMS + 1];
	struct refine_agreed smmu[KCORE_SMMU_UNITS], smmu_map[KCORE_SMMU_UNITS];
};
void refine_memo_release(struct refine_memo *memo);
/* The next check compares everything. */
void refine_memo_forget(struct refine_memo *memo);
/* refine_check_state_pages with the KServ check above and the memo; the
 * model's pages moved since the last call come from its 'unchecked' log
 * (ref_state_take_unchecked), which the call empties. */
bool refine_check_state_since(struct refine_memo *memo, struct ref_state *m, const struct ref_state *k,
			      const uint32_t *idx, unsigned n, struct violation *v);

#endif
