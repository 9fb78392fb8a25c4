#include "program/mutator/mutator_scene_read.h"

#include <string.h>

unsigned scene_lowest_free_slot(const struct scene_state *st)
{
	for (unsigned vm = 1; vm <= KCORE_MAX_VMS; vm++)
		if (st->slot[vm] == SLOT_FREE)
			return vm;
	return 0;
}

void scene_read_step(struct scene_state *st, const struct program_step *s)
{
	uint64_t vm = s->arg[0];
	bool valid = vm >= 1 && vm <= KCORE_MAX_VMS;

	switch (s->kind) {
	case STEP_REGISTER_VM: {
		unsigned slot = scene_lowest_free_slot(st);
		if (slot)
			st->slot[slot] = SLOT_READY;
		break;
	}
	case STEP_VERIFY_VM_IMAGE:
		if (valid && st->slot[vm] == SLOT_READY)
			st->slot[vm] = SLOT_VERIFIED;
		break;
	case STEP_VCPU_RUN:
		if (valid && st->slot[vm] == SLOT_VERIFIED && !st->cpu_vm[s->cpu])
			st->cpu_vm[s->cpu] = (int)vm;
		break;
	case STEP_GUEST_POWER_OFF:
		if (st->cpu_vm[s->cpu])
			st->slot[st->cpu_vm[s->cpu]] = SLOT_OFF;
		st->cpu_vm[s->cpu] = 0;
		break;
	case STEP_GUEST_EXIT:
		st->cpu_vm[s->cpu] = 0;
		break;
	case STEP_CLEAR_VM:
		if (valid && st->slot[vm] == SLOT_OFF)
			st->slot[vm] = SLOT_FREE;
		break;
	case STEP_SMMU_ALLOC:
		if (s->arg[0] < KCORE_SMMU_UNITS)
			st->unit_taken[s->arg[0]] = true;
		break;
	case STEP_SMMU_FREE:
		if (s->arg[0] < KCORE_SMMU_UNITS)
			st->unit_taken[s->arg[0]] = false;
		break;
	default:
		break;
	}
}

void scene_read_program(struct scene_state *st, const struct program_pools *pools, const struct program *p,
			unsigned upto)
{
	const struct pool *pfns = &pools->type[ARG_PFN];

	memset(st, 0, sizeof(*st));
	for (unsigned i = 0; i < upto; i++)
		scene_read_step(st, &p->step[i]);
	/* Fresh pages lie above every page the program or the hot pool
	 * names, so a scene's pages collide with nothing by accident. */
	for (unsigned i = 0; i < pfns->hot; i++)
		if (pfns->v[i] > st->max_pfn)
			st->max_pfn = pfns->v[i];
	for (unsigned i = 0; i < p->nsteps; i++) {
		const struct step_info *info = program_step_info(p->step[i].kind);
		for (unsigned a = 0; a < PROGRAM_MAX_ARGS; a++)
			if (info->arg[a].type == ARG_PFN && p->step[i].arg[a] > st->max_pfn &&
			    p->step[i].arg[a] - pfns->v[0] < 0x1000)
				st->max_pfn = p->step[i].arg[a];
	}
}
