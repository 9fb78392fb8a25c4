/* Real, unmodified KVM as a target (hyp/linux): Debian's arm64 kernel
 * under qemu-system-aarch64 TCG, KVM in nVHE or protected mode, driven
 * by the VMM in hyp/linux/vmm.  `isofuzz repro --target linux-kvm FILE...`
 * runs programs there (one boot for all of them); `isofuzz compare` runs
 * the corpora on every target and writes compare.md and compare.json.
 *
 * A program's steps run on KVM in the order the baseline's model
 * (vanilla) completed them, one at a time.  Steps with a KVM meaning run
 * for real; the rest are not applicable (README.md has the mapping). */
#ifndef HARNESS_COMPARE_H
#define HARNESS_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/cli_opts.h"
#include "exec/exec.h"
#include "program/program.h"

enum linux_mode { LINUX_NVHE, LINUX_PROTECTED, LINUX__MODES };
const char *linux_target_name(enum linux_mode m);   /* "linux-kvm", "linux-pkvm" */
/* The mode a --target name means, or -1. */
int linux_mode_by_name(const char *name);

/* How a step kind maps to KVM: NULL if it has no KVM meaning, else what
 * the VMM does for it. */
const char *kvm_step_mapping(unsigned kind);
/* Why a kind is not applicable (only for kinds kvm_step_mapping refuses). */
const char *kvm_step_not_applicable(unsigned kind);
/* Why this step is not run on KVM, or NULL if it is. */
const char *kvm_step_why_not(const struct program_step *s);

/* What a step observed on KVM. */
struct kvm_obs {
	bool have;
	char status;          /* 'd' ran, 'h' not in the host, 'g' no guest, 's' its VM
				 is off (KVM stopped the vCPU), 'x' broke */
	int64_t ret;          /* >= 0 success; < 0 refused */
	uint64_t val;
	bool fault;
};

struct kvm_case {
	const char *path;
	struct program prog;
	/* The baseline's model on the program with every access cacheable:
	 * the order to run the steps in, and what KVM must match. */
	struct exec_result ref;
	unsigned order[PROGRAM_MAX_STEPS];   /* steps in the order to run them */
	unsigned norder;
	struct kvm_obs obs[PROGRAM_MAX_STEPS];
	bool ended;                          /* the VMM finished it */
};

/* EL2 cost operations, in the VMM's window order per round. */
enum el2_op {
	EL2_VM_CREATE, EL2_MAP_PAGE, EL2_HVC, EL2_STAGE2_FAULT, EL2_MMIO_EXIT, EL2_UNMAP_PAGE,
	EL2_VM_DESTROY, EL2__OPS
};
const char *el2_op_name(enum el2_op op);
/* One round's count for an operation (cost starts zeroed with stable set). */
struct el2_cost {
	bool have;
	uint64_t insns;       /* the first round's count */
	uint64_t min, max;    /* the smallest and largest round's */
	bool stable;          /* every round counted the same */
	uint64_t rounds_hash; /* over every round's count, for comparing runs */
};
void el2_cost_add(struct el2_cost *c, uint64_t insns);

struct linux_options {
	const char *dir;      /* setup.sh's output: vmlinuz, initramfs.cpio */
	const char *qemu;
	const char *plugin;   /* the TCG plugin (.so), or NULL: no EL2 counts */
	unsigned timeout;     /* seconds per boot (a watchdog only) */
	unsigned cost_rounds; /* 0: no cost windows */
	unsigned residue_pages; /* 0: no residue scan (it reads all RAM: slow) */
};

/* What a destroyed VM left in freed memory (hyp/linux/vmm/residue.c). */
struct linux_residue {
	bool have;
	unsigned long filled, words, pages, scanned_mb;
};

/* The baseline's reference run and the KVM run order for c->prog. */
void kvm_case_prepare(struct kvm_case *c);
/* One boot for cases[0..n): fills each case's obs; with a plugin and
 * cost rounds, cost[0..EL2__OPS); with residue pages, *residue.  0, or -1
 * with the reason in err. */
int linux_run(const struct linux_options *o, enum linux_mode m, struct kvm_case *cases, unsigned n,
	      struct el2_cost *cost, struct linux_residue *residue, char *err, size_t errcap);
/* The run's result for one step, as `isofuzz repro` prints results. */
void kvm_obs_print(FILE *f, const struct program_step *s, const struct kvm_obs *o);

/* Where setup.sh put the kernel: $ISOFUZZ_LINUX, else build/linux. */
const char *linux_default_dir(void);

/* Whether repro's arguments name a linux target. */
bool compare_wants_linux(int argc, char **argv);
void compare_linux_defaults(struct linux_options *o);
int compare_linux_option(int argc, char **argv, int i, struct linux_options *o);
int cli_repro_linux(int argc, char **argv);
extern const struct cli_command cli_compare_command;

#endif
