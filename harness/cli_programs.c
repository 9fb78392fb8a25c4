/* repro, minimize, show, convert and ops. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "minimize.h"
#include "pools.h"
#include "progfile.h"
#include "text.h"

static struct program prog;

/* Set up the machine (for the pools the binary form needs) and load. */
static int load(struct cli_common *c, int argc, char **argv, struct program_pools *pools)
{
	if (cli_parse_common(argc, argv, c) != 0)
		return -1;
	if (!c->file) {
		fprintf(stderr, "isofuzz %s: a program file is needed\n", argv[0]);
		return -1;
	}
	if (cli_setup(c) != 0)
		return -1;
	program_pools_init(pools, exec_boot());
	char err[512];
	if (progfile_load(c->file, pools, &prog, NULL, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

int cli_repro(int argc, char **argv)
{
	struct cli_common c;
	struct program_pools pools;
	static struct exec_result r;
	if (load(&c, argc, argv, &pools) != 0)
		return 2;
	bool bad = exec_run(&prog, &r);
	if (c.json) {
		if (bad)
			violation_json(stdout, &r.v);
		else
			printf("{\"violation\":null,\"trace_hash\":\"%016llx\"}\n", (unsigned long long)r.trace_hash);
	} else {
		printf("# %s on %s, %u steps, %u schedule choices\n", c.file, c.opt.target->name, prog.nsteps, prog.nsched);
		exec_print_trace(stdout, &prog, &r);
		if (!bad)
			printf("no violation\n");
	}
	exec_teardown();
	return bad ? 1 : 0;
}

int cli_minimize(int argc, char **argv)
{
	struct cli_common c;
	struct program_pools pools;
	static struct exec_result r;
	if (load(&c, argc, argv, &pools) != 0)
		return 2;
	if (!exec_run(&prog, &r)) {
		fprintf(stderr, "isofuzz minimize: %s gives no violation on %s\n", c.file, c.opt.target->name);
		return 0;
	}
	struct minimize_stats st;
	minimize_program(&prog, r.v.kind, c.max_runs, &st);
	fprintf(stderr, "%s: steps %u -> %u, schedule %u -> %u, %u runs\n", violation_kind_name(r.v.kind),
		st.steps_before, st.steps_after, st.sched_before, st.sched_after, st.runs);
	const char *out = c.out ? c.out : "-";
	bool text = !c.out || strstr(c.out, ".txt") || (c.to && strcmp(c.to, "text") == 0);
	if (progfile_save(out, &pools, &prog, text) != 0) {
		fprintf(stderr, "isofuzz minimize: cannot write %s\n", out);
		return 2;
	}
	exec_teardown();
	return 1;
}

int cli_show(int argc, char **argv)
{
	struct cli_common c;
	struct program_pools pools;
	if (load(&c, argc, argv, &pools) != 0)
		return 2;
	program_print(stdout, &prog, progfile_images());
	exec_teardown();
	return 0;
}

int cli_convert(int argc, char **argv)
{
	struct cli_common c;
	struct program_pools pools;
	if (argc < 3) {
		fprintf(stderr, "isofuzz convert: IN and OUT are needed\n");
		return 2;
	}
	const char *out = argv[2];
	/* OUT is positional too: take it out before the common parser */
	char *rest[16];
	int n = 0;
	for (int i = 0; i < argc && n < 16; i++)
		if (i != 2)
			rest[n++] = argv[i];
	if (load(&c, n, rest, &pools) != 0)
		return 2;
	bool text = c.to ? strcmp(c.to, "text") == 0 : strstr(out, ".txt") != NULL;
	if (c.to && strcmp(c.to, "text") != 0 && strcmp(c.to, "binary") != 0) {
		fprintf(stderr, "isofuzz convert: --to %s: expected text or binary\n", c.to);
		return 2;
	}
	if (progfile_save(out, &pools, &prog, text) != 0) {
		fprintf(stderr, "isofuzz convert: cannot write %s\n", out);
		return 2;
	}
	exec_teardown();
	return 0;
}

int cli_ops(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	for (unsigned k = 0; k < STEP__COUNT; k++) {
		const struct step_info *info = program_step_info(k);
		printf("%-20s", info->name);
		for (unsigned a = 0; a < PROGRAM_MAX_ARGS && info->arg[a].type != ARG_NONE; a++)
			printf(" %s=<%s>", info->arg[a].name, program_arg_type_info(info->arg[a].type)->name);
		printf("\n");
	}
	return 0;
}
