/* repro, minimize, show, convert and ops. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "exec/minimize.h"
#include "program/pools.h"
#include "program/file/progfile.h"
#include "program/text/text.h"

static struct program prog;

static const char *const forms[] = { "text", "binary", NULL };

#define OPT_TO(what)                                                                                    \
	{ "--to", NULL, CLI_STRING, NULL, what, &cli_common.to, .choices = forms }

static const struct cli_opt repro_opts[] = {
	CLI_OPT_TARGET, CLI_OPT_ORACLES,
	{ "--json", NULL, CLI_FLAG, NULL, "print the violation (or the trace hash) as JSON", .dst = &cli_common.json },
	CLI_OPT_RAM_MB,
};

static const struct cli_opt minimize_opts[] = {
	{ "--out", "-o", CLI_STRING, "FILE", "where the shortened program goes (default standard output)",
	  .dst = &cli_common.out },
	OPT_TO("its form (default text for *.txt and standard output, else binary)"),
	CLI_OPT_TARGET, CLI_OPT_ORACLES,
	{ "--max-runs", NULL, CLI_UINT, "N", "programs run while shortening at most", .dst = &cli_common.max_runs,
	  .min = 1, .max = 100000000 },
	CLI_OPT_RAM_MB,
};

static const struct cli_opt show_opts[] = { CLI_OPT_TARGET, CLI_OPT_RAM_MB };

static const struct cli_opt convert_opts[] = {
	OPT_TO("the form of OUT (default text for *.txt, else binary)"),
	CLI_OPT_TARGET, CLI_OPT_RAM_MB,
};

/* The binary form's operands index pools that depend on the target's
 * memory layout, hence --target and --ram-mb even where nothing runs. */
static int load(const struct cli_command *cmd, int argc, char **argv, struct program_pools *pools)
{
	int rc = cli_parse_common(cmd, argc, argv);
	if (rc >= 0)
		return rc;
	return cli_load(cmd, pools, &prog) == 0 ? -1 : CLI_EXIT_BAD;
}

static int repro(int argc, char **argv)
{
	struct cli_common *c = &cli_common;
	struct program_pools pools;
	static struct exec_result r;
	int rc = load(&cli_repro_command, argc, argv, &pools);
	if (rc >= 0)
		return rc;
	bool bad = exec_run(&prog, &r);
	if (c->json) {
		if (bad)
			violation_json(stdout, &r.v);
		else
			printf("{\"violation\":null,\"trace_hash\":\"%016llx\"}\n", (unsigned long long)r.trace_hash);
	} else {
		printf("# %s on %s, oracles %s, %u steps, %u schedule choices\n", c->args[0], c->target, c->oracles,
		       prog.nsteps, prog.nsched);
		exec_print_trace(stdout, &prog, &r);
		if (!bad)
			printf("no violation\n");
	}
	exec_teardown();
	return bad ? CLI_EXIT_VIOLATION : CLI_EXIT_CLEAN;
}

static int minimize(int argc, char **argv)
{
	struct cli_common *c = &cli_common;
	struct program_pools pools;
	static struct exec_result r;
	int rc = load(&cli_minimize_command, argc, argv, &pools);
	if (rc >= 0)
		return rc;
	if (!exec_run(&prog, &r)) {
		fprintf(stderr, "isofuzz minimize: %s gives no violation on %s with oracles %s: nothing written\n",
			c->args[0], c->target, c->oracles);
		exec_teardown();
		return CLI_EXIT_CLEAN;
	}
	struct minimize_stats st;
	minimize_program(&prog, r.v.kind, c->max_runs, &st);
	fprintf(stderr, "%s: steps %u -> %u, schedule %u -> %u, %u runs\n", violation_kind_name(r.v.kind),
		st.steps_before, st.steps_after, st.sched_before, st.sched_after, st.runs);
	const char *out = c->out ? c->out : "-";
	bool text = c->to ? !strcmp(c->to, "text") : !c->out || strstr(c->out, ".txt");
	rc = progfile_save(out, &pools, &prog, text);
	exec_teardown();
	if (rc != 0) {
		fprintf(stderr, "isofuzz minimize: cannot write %s\n", out);
		return CLI_EXIT_BAD;
	}
	return CLI_EXIT_VIOLATION;
}

static int show(int argc, char **argv)
{
	struct program_pools pools;
	int rc = load(&cli_show_command, argc, argv, &pools);
	if (rc >= 0)
		return rc;
	program_print(stdout, &prog, progfile_images());
	exec_teardown();
	return CLI_EXIT_CLEAN;
}

static int convert(int argc, char **argv)
{
	struct cli_common *c = &cli_common;
	struct program_pools pools;
	int rc = load(&cli_convert_command, argc, argv, &pools);
	if (rc >= 0)
		return rc;
	const char *out = c->args[1];
	bool text = c->to ? !strcmp(c->to, "text") : strstr(out, ".txt") != NULL;
	rc = progfile_save(out, &pools, &prog, text);
	exec_teardown();
	if (rc != 0) {
		fprintf(stderr, "isofuzz convert: cannot write %s\n", out);
		return CLI_EXIT_BAD;
	}
	return CLI_EXIT_CLEAN;
}

static int ops(int argc, char **argv)
{
	char *args[1];
	unsigned n;
	int rc = cli_parse(&cli_ops_command, argc, argv, args, &n);
	if (rc != 0)
		return rc > 0 ? CLI_EXIT_CLEAN : CLI_EXIT_BAD;
	for (unsigned k = 0; k < STEP__COUNT; k++) {
		const struct step_info *info = program_step_info(k);
		printf("%-20s", info->name);
		for (unsigned a = 0; a < PROGRAM_MAX_ARGS && info->arg[a].type != ARG_NONE; a++)
			printf(" %s=<%s>", info->arg[a].name, program_arg_type_info(info->arg[a].type)->name);
		printf("\n");
	}
	return 0;
}

#define PROGRAM_FILES "Programs are text (*.txt, see harness/program/PROGRAM.md) or binary fuzz inputs.\n"

const struct cli_command cli_repro_command = {
	"repro", "FILE", "Replay a program and print its trace.", PROGRAM_FILES,
	"0 no violation, 1 a violation, 2 bad input or usage", repro_opts, CLI_COUNT(repro_opts), 1, 1, repro,
};
const struct cli_command cli_minimize_command = {
	"minimize", "FILE", "The shortest program and schedule that still give the same violation kind.",
	PROGRAM_FILES, "1 a violation, shortened and written; 0 the program gives no violation (nothing written); "
	"2 bad input or usage", minimize_opts, CLI_COUNT(minimize_opts), 1, 1, minimize,
};
const struct cli_command cli_show_command = {
	"show", "FILE", "Print a program as text.", PROGRAM_FILES, "0 done, 2 bad input or usage", show_opts,
	CLI_COUNT(show_opts), 1, 1, show,
};
const struct cli_command cli_convert_command = {
	"convert", "IN OUT", "Convert a program between the text and binary forms.", PROGRAM_FILES,
	"0 done, 2 bad input or usage", convert_opts, CLI_COUNT(convert_opts), 2, 2, convert,
};
const struct cli_command cli_ops_command = {
	"ops", NULL, "The step kinds and their arguments.", NULL, "0 done, 2 bad usage", NULL, 0, 0, 0, ops,
};
