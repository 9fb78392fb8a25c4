/* The abstraction function: the concrete state of the hypervisor under
 * test (KCore, or the baseline; through its kcore_view.h view and the page
 * tables in the machine's memory) as a ref_state, the shape the reference
 * model keeps, so refinement is an equality check.
 *
 * Maps come from a full scan of each live VM's and allocated SMMU unit's
 * tables, so a mapping the model does not have shows up as an extra entry;
 * attributes are kept (permission, memory type) and a block is one entry
 * covering several pages.  Every gfn the ownership array or the model
 * names that the scan did not find is also walked with the machine's own
 * walker, so a leaf the scan misreads cannot hide.  Call between steps only
 * (the view takes no locks).
 */
#ifndef ORACLES_MODEL_ABSTRACT_H
#define ORACLES_MODEL_ABSTRACT_H

#include <stdbool.h>

#include "hyp_target.h"
#include "model/state/refstate.h"

/* Fill out (sized for boot, the layout the target runs with) from the
 * target's current state; named (the model's state, or NULL) adds the gfns
 * and iovas to walk.  false only if out cannot hold the layout. */
bool abs_from_target(struct ref_state *out, const struct kcore_boot *boot, const struct hyp_target *t,
		     const struct ref_state *named);

/* The same, re-reading only the RAM pages at the indexes idx[0..n)
 * (pfn - RAM base) from the ownership array: out must hold the
 * abstraction of a moment since which no other page's entry can have
 * changed.  Tables, VMs, units and CPUs are read in full. */
bool abs_from_target_pages(struct ref_state *out, const struct kcore_boot *boot, const struct hyp_target *t,
			   const struct ref_state *named, const uint32_t *idx, unsigned n);

/* What the kept abstraction last found for each VM slot and SMMU unit
 * of one out state: the view the part's fields were set from or found
 * equal to, and the complete tree build its map holds (0: none).  A part
 * whose view reads the same bytes again and whose tree is still that
 * build cannot differ from what out holds, so it is left as it is
 * without a field of out being read: most calls move no view and no
 * table.  A memo belongs to one out state; forget it whenever anything
 * but the kept abstraction writes that state. */
struct abs_seen_vm { bool valid; uint64_t tree; struct kcore_vm_view view; };
struct abs_seen_unit { bool valid; uint64_t tree; struct kcore_smmu_view view; };
struct abs_memo {
	struct abs_seen_vm vm[KCORE_MAX_VMS + 1];
	struct abs_seen_unit smmu[KCORE_SMMU_UNITS];
};
void abs_memo_forget(struct abs_memo *memo);

/* The same as abs_from_target_pages (idx NULL: every page), with the
 * maps taken from the kept trees (s2tree.h): tables are re-read only where
 * they changed, and a complete tree leaves the walker nothing to find.
 * memo (NULL: none) skips the parts that did not move, as above. */
struct s2_trees;
bool abs_from_target_kept(struct ref_state *out, const struct kcore_boot *boot, const struct hyp_target *t,
			  const struct ref_state *named, struct s2_trees *trees, struct abs_memo *memo,
			  const uint32_t *idx, unsigned n);

/* The abstract view of one leaf descriptor: permission (execute included)
 * and memory type, as ref_attr.h defines them.
 * A leaf without the access flag grants nothing until hardware or software
 * sets it, so its permission is 0. */
unsigned abs_desc_perm(uint64_t desc);
unsigned abs_desc_mem(uint64_t desc);

#endif
