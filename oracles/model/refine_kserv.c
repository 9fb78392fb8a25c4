/* Refinement of KServ's stage-2: identity, one page per leaf, and the
 * contract's attributes for each page's kind. */
#include <inttypes.h>

#include "hyp/addr.h"
#include "ref_attr.h"
#include "refinement.h"

static bool report(struct violation *v, const struct ref_map_entry *e, struct ref_attr want, const char *what)
{
	char wp[4], gp[4];

	violation_init(v, V_STATE_MISMATCH);
	v->page = e->pa >> PAGE_SHIFT;
	v->expected = want.perm | (uint64_t)want.mem << 8;
	v->actual = e->perm | (uint64_t)e->mem << 8;
	violation_detail(v, "KServ's stage-2 at ipa 0x%" PRIx64 ": target pa 0x%" PRIx64 "%s %s %s, model %s %s%s",
			 e->key << PAGE_SHIFT, e->pa, e->pages > 1 ? " block" : "", ref_mem_name(e->mem),
			 ref_perm_text(e->perm, gp), ref_mem_name(want.mem), ref_perm_text(want.perm, wp), what);
	return true;
}

bool refine_check_kserv_map(const struct ref_state *m, const struct ref_state *k, struct violation *v)
{
	if (k->kserv == NULL)
		return false;
	if (k->kserv->overflow) {
		violation_init(v, V_STATE_MISMATCH);
		violation_detail(v, "KServ's stage-2 holds more leaves than its pool can");
		return true;
	}
	for (unsigned i = 0; i < k->kserv->n; i++) {
		const struct ref_map_entry *e = &k->kserv->e[i];
		uint64_t pfn = e->pa >> PAGE_SHIFT;
		enum ref_map_kind kind;

		if (!ref_kserv_kind(m, pfn, &kind))
			continue; /* reach KServ may not have: isolation reports it */
		struct ref_attr want = ref_attr_of(kind);
		if (e->key != pfn || e->pages != 1)
			return report(v, e, want, " at its own address, one page");
		if (e->perm != want.perm || e->mem != want.mem)
			return report(v, e, want, "");
	}
	return false;
}
