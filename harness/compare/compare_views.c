/* Step views of model and KVM runs (compare_views.h). */
#include <string.h>

#include "compare/compare_views.h"
#include "sim/machine.h"

static struct step_view model_view(const struct step_obs *o)
{
	return (struct step_view){
		.ran = o->status == OBS_DONE, .ok = o->ret >= 0, .fault = o->fault != SIM_OK, .val = o->val,
	};
}

void views_from_model(const struct program *p, const struct exec_result *r, struct target_run *t)
{
	unsigned at[PROGRAM_MAX_STEPS];
	bool used[PROGRAM_MAX_STEPS] = { false };

	memset(t, 0, sizeof(*t));
	for (unsigned i = 0; i < p->nsteps; i++) {
		const struct step_obs *o = &r->obs[i];
		t->view[i] = model_view(o);
		if (o->status != OBS_NOT_RUN && o->order < PROGRAM_MAX_STEPS && !used[o->order]) {
			used[o->order] = true;
			at[o->order] = i;
		}
	}
	for (unsigned k = 0; k < PROGRAM_MAX_STEPS; k++)
		if (used[k])
			t->order[t->n++] = at[k];
	outcome_judge(p, t->view, t->order, t->n, &t->out);
}

void views_from_kvm(const struct kvm_case *c, struct target_run *t)
{
	memset(t, 0, sizeof(*t));
	for (unsigned i = 0; i < c->prog.nsteps; i++) {
		unsigned kind = c->prog.step[i].kind;
		const struct kvm_obs *o = &c->obs[i];
		if (kind == STEP_GUEST_GRANT || kind == STEP_GUEST_REVOKE)
			t->view[i] = model_view(&c->ref.obs[i]);
		else if (!kvm_step_why_not(&c->prog.step[i]) && o->have)
			t->view[i] = (struct step_view){
				.ran = o->status == 'd', .ok = o->ret >= 0, .fault = o->fault, .val = o->val,
			};
	}
	/* the baseline's order, grants and revokes included */
	struct target_run ref;
	views_from_model(&c->prog, &c->ref, &ref);
	memcpy(t->order, ref.order, sizeof(t->order));
	t->n = ref.n;
	outcome_judge(&c->prog, t->view, t->order, t->n, &t->out);
}
