/* Subcommands of the isofuzz command.  Each has an option table
 * (cli_opts.h) and a main that takes its own argv (argv[0] is the
 * subcommand) and returns the exit status:
 *   0    clean, or done
 *   1    a violation was found (or, for replay-qemu, a mismatch)
 *   2    bad input, bad usage, or it could not run
 *   130  stopped by a signal; the same command resumes (run) */
#ifndef HARNESS_CLI_H
#define HARNESS_CLI_H

#include <stdbool.h>

#include "common/cli_opts.h"
#include "exec/exec.h"
#include "program/pools.h"
#include "program/program.h"

extern const struct cli_command cli_run_command;
extern const struct cli_command cli_repro_command;
extern const struct cli_command cli_minimize_command;
extern const struct cli_command cli_show_command;
extern const struct cli_command cli_convert_command;
extern const struct cli_command cli_ops_command;
extern const struct cli_command cli_replay_qemu_command;
extern const struct cli_command cli_bench_command;

/* --- cli_common.c: what the program commands share ------------------- */

struct cli_common {
	char *args[2];            /* the positional arguments */
	unsigned nargs;
	const char *target, *oracles, *out, *to;
	bool target_given, oracles_given;
	bool json;
	unsigned max_runs;
	unsigned ram_mb;          /* 0: the model's default */
	struct exec_options opt;  /* made from the above by cli_load */
};
extern struct cli_common cli_common;

#define CLI_RAM_MB_MAX 4096 /* the machine model's most */
bool cli_oracles_ok(const char *list);

/* Option table entries over cli_common. */
#define CLI_OPT_TARGET                                                                                   \
	{ "--target", NULL, CLI_STRING, NULL, "the hypervisor (a finding's own, from its files, if not given)", \
	  .dst = &cli_common.target, .choices = cli_targets, .given = &cli_common.target_given }
#define CLI_OPT_ORACLES_HELP "all, none, thorough (all, with full sweeps), or some of refine,isolation,tlb,cache,lock,ni,integrity (-NAME: all but NAME)"
#define CLI_OPT_ORACLES                                                                                  \
	{ "--oracles", NULL, CLI_STRING, "LIST", CLI_OPT_ORACLES_HELP, .dst = &cli_common.oracles,                  \
	  .valid = cli_oracles_ok, .expects = CLI_OPT_ORACLES_HELP, .given = &cli_common.oracles_given }
#define CLI_OPT_RAM_MB                                                                                   \
	{ "--ram-mb", NULL, CLI_UINT, "N", "simulated RAM in MiB, 0 for the model's 64 (else 16 at least)",   \
	  .dst = &cli_common.ram_mb, .min = 0, .max = CLI_RAM_MB_MAX }

/* Parse argv for cmd into cli_common (defaults first).  Returns the exit
 * status to end with (0 after --help, 2 on bad usage) or -1 to go on. */
int cli_parse_common(const struct cli_command *cmd, int argc, char **argv);
/* Set up the machine with cli_common's target, oracles and RAM (the
 * target and oracles a finding was made with when its files say and the
 * command line does not) and load the program in args[0] into p, with
 * pools for its binary form.  0, or -1 after a message. */
int cli_load(const struct cli_command *cmd, struct program_pools *pools, struct program *p);

/* --- cli_finding.c ----------------------------------------------------- */

/* The target and oracles the program in file was found with, from the
 * campaign's files around it: repro.txt in a finding's directory
 * (OUT/findings/KIND/SITE/), or the campaign's state for a crash the
 * engine saved (OUT/crashes/, OUT/afl/NAME/crashes/).  Returns 1 with
 * target, oracles and the file they came from; 0 when there is none. */
int cli_finding_config(const char *file, char *target, size_t tcap, char *oracles, size_t ocap, char *from,
		       size_t fcap);

#endif
