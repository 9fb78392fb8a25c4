/* isofuzz compare: the state of one comparison run (compare_cli.c fills
 * it, compare_report.c writes it out). */
#ifndef HARNESS_COMPARE_RUN_H
#define HARNESS_COMPARE_RUN_H

#include "compare/compare.h"
#include "compare/compare_match.h"
#include "compare/compare_outcome.h"

enum cmp_target { T_KCORE, T_IMAGE, T_VANILLA, T_KVM, T_PKVM, T__COUNT };
extern const char *const cmp_target_name[T__COUNT];

struct cmp_prog {
	const char *path;
	char corpus[32];               /* the directory it came from: attacks, benign, seeds, ... */
	bool have[T__COUNT];
	struct outcome out[T__COUNT];
	struct kvm_case kvm[LINUX__MODES];
	struct case_match match[LINUX__MODES];
	char explain[256];             /* why a vanilla break is not on KVM, if so */
	bool problem;                  /* an attack breaks KCore, or a break is unexplained */
};

struct cmp_run {
	struct cmp_prog *prog;
	unsigned n;
	char kernel[128];              /* the Debian package */
	struct el2_cost cost[T__COUNT][EL2__OPS];  /* T_IMAGE (KCore), T_KVM, T_PKVM */
	bool cost_repeats[T__COUNT];   /* the same in every run (--runs) */
	struct linux_residue residue[LINUX__MODES];
	unsigned runs;
	unsigned different;            /* unexplained model/KVM mismatches, both modes */
	unsigned problems;
};

int compare_write_md(const char *path, const struct cmp_run *r);
int compare_write_json(const char *path, const struct cmp_run *r);

#endif
