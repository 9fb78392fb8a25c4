/* The step-kind and operand-type tables, both expanded from program.h so
 * that every reader of programs (binary, text, executor) agrees on them. */
#include "program/program.h"

#define STEP_ARG(n, t) { #n, ARG_##t }
#define STEP_NOARG { 0, ARG_NONE }
#define KIND_INFO_(id, nm, cls_, op_, a0, a1, a2, a3) \
	[STEP_##id] = { .name = nm, .cls = STEP_CLASS_##cls_, .op = op_, .arg = { a0, a1, a2, a3 } },

static const struct step_info kinds[STEP__COUNT] = {
	PROGRAM_STEP_KINDS(KIND_INFO_)
};

/* Offsets past a page and flag values other than 0/1 have no meaning, so
 * they are the only operands with a bound below 2^64 - 1. */
static const struct arg_type_info types[ARG__COUNT] = {
	[ARG_NONE] = { "none", 0, false },
	[ARG_VM] = { "vm", UINT64_MAX, false },
	[ARG_VCPU] = { "vcpu", UINT64_MAX, false },
	[ARG_GFN] = { "gfn", UINT64_MAX, true },
	[ARG_GPA] = { "gpa", UINT64_MAX, true },
	[ARG_PFN] = { "pfn", UINT64_MAX, true },
	[ARG_PA] = { "pa", UINT64_MAX, true },
	[ARG_IPA] = { "ipa", UINT64_MAX, true },
	[ARG_IOVA] = { "iova", UINT64_MAX, true },
	[ARG_OFF] = { "off", PAGE_SIZE - 1, true },
	[ARG_COUNT] = { "count", UINT64_MAX, false },
	[ARG_IMG] = { "img", UINT64_MAX, false },
	[ARG_UNIT] = { "unit", UINT64_MAX, false },
	[ARG_VAL] = { "val", UINT64_MAX, true },
	[ARG_FLAG] = { "flag", 1, false },
};

const struct step_info *program_step_info(unsigned kind)
{
	return kind < STEP__COUNT ? &kinds[kind] : 0;
}

const char *program_step_name(unsigned kind)
{
	return kind < STEP__COUNT ? kinds[kind].name : "?";
}

unsigned program_step_nargs(unsigned kind)
{
	unsigned n = 0;

	if (kind >= STEP__COUNT)
		return 0;
	while (n < PROGRAM_MAX_ARGS && kinds[kind].arg[n].type != ARG_NONE)
		n++;
	return n;
}

const struct arg_type_info *program_arg_type_info(enum arg_type t)
{
	return (unsigned)t < ARG__COUNT ? &types[t] : 0;
}

static const struct program_cap_info caps[PROGRAM_NCAPS] = {
	{ "vmids", KCORE_MIN_VMIDS, KCORE_MAX_VMIDS },
	{ "vm_pool", KCORE_MIN_VM_POOL_PAGES, KCORE_VM_POOL_PAGES },
	{ "smmu_pool", KCORE_MIN_SMMU_POOL_PAGES, KCORE_SMMU_POOL_PAGES },
	{ "kserv_pool", KCORE_MIN_KSERV_POOL_PAGES, KCORE_KSERV_POOL_PAGES },
	{ "shares", KCORE_MIN_SHARE, KCORE_MAX_SHARE },
};

const struct program_cap_info *program_cap_info(unsigned i)
{
	return i < PROGRAM_NCAPS ? &caps[i] : 0;
}

uint32_t *program_cap(struct kcore_caps *c, unsigned i)
{
	uint32_t *field[PROGRAM_NCAPS] = { &c->vmids, &c->vm_pool_pages, &c->smmu_pool_pages,
					   &c->kserv_pool_pages, &c->max_share };
	return i < PROGRAM_NCAPS ? field[i] : 0;
}

uint32_t program_cap_get(const struct kcore_caps *c, unsigned i)
{
	return *program_cap((struct kcore_caps *)c, i);
}
