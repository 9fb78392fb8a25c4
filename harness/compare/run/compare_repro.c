/* isofuzz repro --target linux-kvm|linux-pkvm FILE...: the programs on
 * real KVM, all in one boot, each step's result beside the baseline
 * model's, then the isolation breaks each shows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare/compare.h"
#include "compare/compare_views.h"
#include "program/pools.h"
#include "program/file/progfile.h"
#include "program/text/text.h"

bool compare_wants_linux(int argc, char **argv)
{
	for (int i = 1; i + 1 < argc; i++)
		if (strcmp(argv[i], "--target") == 0 && strncmp(argv[i + 1], "linux-", 6) == 0)
			return true;
	return false;
}

static void print_case(const struct kvm_case *c, enum linux_mode m)
{
	char line[256], a[64], b[64];
	struct target_run kvm, ref;

	printf("# %s on %s, %u steps, %u with a KVM meaning\n", c->path, linux_target_name(m), c->prog.nsteps,
	       c->norder);
	for (unsigned i = 0; i < c->prog.nsteps; i++) {
		const struct program_step *s = &c->prog.step[i];
		program_format_step(line, sizeof(line), s, progfile_images());
		printf("%4u  %-64s -> ", i, line);
		kvm_obs_print(stdout, s, &c->obs[i]);
		printf("\n");
	}
	views_from_kvm(c, &kvm);
	views_from_model(&c->prog, &c->ref, &ref);
	printf("breaks on %s: %s (the baseline's model: %s)%s\n", linux_target_name(m),
	       outcome_text(kvm.out.breaks, a, sizeof(a)), outcome_text(ref.out.breaks, b, sizeof(b)),
	       c->ended ? "" : "; the VMM did not finish this program");
}

/* Options shared with compare: returns the index past the option, or -1
 * if argv[i] is not one of them (0 on a bad value). */
int compare_linux_option(int argc, char **argv, int i, struct linux_options *o)
{
	const char *a = argv[i];
	if (strcmp(a, "--linux") && strcmp(a, "--plugin") && strcmp(a, "--qemu") && strcmp(a, "--timeout"))
		return -1;
	if (i + 1 >= argc) {
		fprintf(stderr, "isofuzz %s: %s needs a value\n", argv[0], a);
		return 0;
	}
	const char *v = argv[i + 1];
	if (strcmp(a, "--linux") == 0)
		o->dir = v;
	else if (strcmp(a, "--plugin") == 0)
		o->plugin = v;
	else if (strcmp(a, "--qemu") == 0)
		o->qemu = v;
	else {
		char *end;
		unsigned long t = strtoul(v, &end, 0);
		if (*v == '\0' || *end != '\0' || t == 0 || t > 86400) {
			fprintf(stderr, "isofuzz %s: --timeout %s: expected 1..86400\n", argv[0], v);
			return 0;
		}
		o->timeout = (unsigned)t;
	}
	return i + 2;
}

void compare_linux_defaults(struct linux_options *o)
{
	*o = (struct linux_options){ .dir = linux_default_dir(), .qemu = "qemu-system-aarch64",
				     .timeout = 900, .cost_rounds = 3, .residue_pages = 16 };
}

int cli_repro_linux(int argc, char **argv)
{
	struct linux_options o;
	int mode = -1;
	unsigned n = 0;
	char err[512];
	struct kvm_case *cases = calloc((size_t)argc, sizeof(*cases));

	compare_linux_defaults(&o);
	for (int i = 1; i < argc && cases;) {
		int next = compare_linux_option(argc, argv, i, &o);
		if (next == 0)
			return 2;
		if (next > 0) {
			i = next;
		} else if (strcmp(argv[i], "--target") == 0 && i + 1 < argc) {
			if ((mode = linux_mode_by_name(argv[i + 1])) < 0) {
				fprintf(stderr, "isofuzz repro: --target %s: expected linux-kvm or linux-pkvm\n", argv[i + 1]);
				return 2;
			}
			i += 2;
		} else if (argv[i][0] == '-') {
			fprintf(stderr, "isofuzz repro: unknown option %s for a linux target\n", argv[i]);
			return 2;
		} else {
			cases[n++].path = argv[i++];
		}
	}
	if (!cases || n == 0) {
		fprintf(stderr, "isofuzz repro: a program file is needed\n");
		return 2;
	}
	struct exec_options eo = { .target = &target_vanilla, .oracles = 0 };
	struct program_pools pools;
	if (exec_setup(&eo) != 0)
		return 2;
	program_pools_init(&pools, exec_boot());
	for (unsigned k = 0; k < n; k++) {
		if (progfile_load(cases[k].path, &pools, &cases[k].prog, NULL, err, sizeof(err)) != 0) {
			fprintf(stderr, "%s\n", err);
			return 2;
		}
		kvm_case_prepare(&cases[k]);
	}
	o.cost_rounds = 0;
	if (linux_run(&o, (enum linux_mode)mode, cases, n, NULL, NULL, err, sizeof(err)) != 0) {
		fprintf(stderr, "isofuzz repro: %s: %s\n", linux_target_name((enum linux_mode)mode), err);
		return 2;
	}
	for (unsigned k = 0; k < n; k++)
		print_case(&cases[k], (enum linux_mode)mode);
	exec_teardown();
	free(cases);
	return 0;
}
