/* The isofuzz command: replay, minimize, convert and inspect programs, run
 * campaigns, compare with QEMU and measure throughput.  The exit statuses
 * are the same for every subcommand (cli.h). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "compare/compare.h"
#include "version.h"

static const struct cli_command *const commands[] = {
	&cli_run_command, &cli_repro_command, &cli_minimize_command, &cli_show_command, &cli_convert_command,
	&cli_ops_command, &cli_replay_qemu_command, &cli_bench_command, &cli_compare_command,
};

/* Every subcommand with its options, from the tables its parser reads. */
static void usage(FILE *f)
{
	fprintf(f, "usage: isofuzz COMMAND [OPTIONS] [ARGS]   (isofuzz COMMAND --help: its options in full)\n"
		   "       isofuzz --version\n");
	for (size_t i = 0; i < CLI_COUNT(commands); i++) {
		const struct cli_command *c = commands[i];
		fprintf(f, "  %-12s%s%s%s\n", c->name, c->args ? c->args : "", c->args ? ": " : "", c->summary);
		if (c->nopts)
			cli_option_names(f, c, 14, 100);
	}
	fprintf(f, "Programs are text (*.txt, see harness/program/PROGRAM.md) or binary fuzz inputs.\n"
		   "Exit status: 0 clean or done, 1 a violation was found, 2 bad input or usage or it\n"
		   "could not run, 130 stopped by a signal (run: the same command resumes).\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return CLI_EXIT_BAD;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
		usage(stdout);
		return CLI_EXIT_CLEAN;
	}
	if (!strcmp(cmd, "--version")) {
		printf("isofuzz %s (commit %s)\n", ISOFUZZ_VERSION, ISOFUZZ_COMMIT);
		return CLI_EXIT_CLEAN;
	}
	/* repro on real KVM or pKVM runs many programs in one boot. */
	if (!strcmp(cmd, "repro") && compare_wants_linux(argc - 1, argv + 1))
		return cli_repro_linux(argc - 1, argv + 1);
	for (size_t i = 0; i < CLI_COUNT(commands); i++)
		if (!strcmp(cmd, commands[i]->name))
			return commands[i]->main(argc - 1, argv + 1);
	fprintf(stderr, "isofuzz: unknown command '%s' (isofuzz --help lists them)\n", cmd);
	return CLI_EXIT_BAD;
}
