/* The step-kind and operand-type tables, both expanded from program.h so
 * that every reader of programs (binary, text, executor) agrees on them. */
#include "program.h"

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
