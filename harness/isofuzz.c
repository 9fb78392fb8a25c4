/* The isofuzz command: replay, minimize, convert and inspect programs, and
 * run campaigns.  Exit status: 0 clean, 1 violation found, 2 bad input or
 * usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "cli.h"
#include "compare.h"
#include "replay_qemu.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: isofuzz COMMAND [ARGS]\n"
		"  run [--engine libfuzzer|afl] [--jobs N] [--time SECONDS] [--corpus DIR] [--out DIR]\n"
		"      [--target kcore|vanilla] [--oracles LIST]     run a fuzzing campaign\n"
		"      [--join NAME] [--sync SECONDS] [--replay]      (join a shared one; findings only)\n"
		"  repro FILE [--target T] [--oracles LIST] [--json]  replay a program and print its trace\n"
		"  minimize FILE [-o OUT] [--target T] [--max-runs N] shortest program with the same violation\n"
		"  show FILE                                          print a program as text\n"
		"  convert IN OUT [--to text|binary]                  between text and binary forms\n"
		"  ops                                                the step kinds and their arguments\n"
		"  replay-qemu FILE... [--image ELF] [--smp N]        the same programs in the bare-metal image\n"
		"  bench [--mutations N] [--only oracles,ram,cpus]    execs/s per configuration (--help)\n"
		"  compare [--out DIR] [--plugin SO] [--runs N] [DIR|FILE...]  KCore, vanilla, real KVM and pKVM\n"
		"Programs are text (*.txt, see harness/PROGRAM.md) or binary fuzz inputs.\n"
		"Exit status: 0 clean, 1 violation, 2 bad input or usage.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
		usage(stdout);
		return 0;
	}
	static const struct { const char *name; int (*fn)(int, char **); } cmds[] = {
		{ "run", cli_run }, { "repro", cli_repro }, { "minimize", cli_minimize },
		{ "show", cli_show }, { "convert", cli_convert }, { "ops", cli_ops },
		{ "replay-qemu", cli_replay_qemu },
		{ "bench", cli_bench }, { "compare", cli_compare },
	};
	if (strcmp(cmd, "repro") == 0 && compare_wants_linux(argc - 1, argv + 1))
		return cli_repro_linux(argc - 1, argv + 1);
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(cmd, cmds[i].name) == 0)
			return cmds[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "isofuzz: unknown command '%s'\n", cmd);
	usage(stderr);
	return 2;
}
