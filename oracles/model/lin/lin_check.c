/* A window of calls replayed on the model, with the report of the call
 * whose return code no order allows. */
#include <stdio.h>

#include "model/lin/linearize.h"
#include "model/refine/refinement.h"

static void describe(const struct call_record *c, char *buf, size_t n)
{
	static const char *kind[] = { "hvc", "guest hvc", "kserv fault" };
	snprintf(buf, n, "%s %llu on cpu%u", kind[c->kind],
		 (unsigned long long)(c->kind == CALL_KSERV_FAULT ? c->a0 : c->op), c->cpu);
}

enum lin_result lin_check(struct lin_search *l, struct ref_model *model, const struct call_record *win, unsigned n,
			  bool search, struct violation *v)
{
	unsigned bad = 0;
	enum lin_result r = lin_replay(l, model, win, n, search, &bad);
	if (r != LIN_MISMATCH)
		return r;
	/* the model stands just before call bad */
	char what[64];
	describe(&win[bad], what, sizeof(what));
	if (!refine_check_ret(what, lin_apply(l, model, &win[bad]), win[bad].ret, v))
		return LIN_MATCH; /* cannot happen: the replay saw them differ */
	v->step = win[bad].step;
	v->cpu = (int)win[bad].cpu;
	return LIN_MISMATCH;
}
