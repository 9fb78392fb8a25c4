/* Subcommands of the isofuzz command; each takes its own argv (argv[0] is
 * the subcommand) and returns the exit status. */
#ifndef HARNESS_CLI_H
#define HARNESS_CLI_H

#include <stdbool.h>

#include "exec.h"

int cli_run(int argc, char **argv);
int cli_repro(int argc, char **argv);
int cli_minimize(int argc, char **argv);
int cli_show(int argc, char **argv);
int cli_convert(int argc, char **argv);
int cli_ops(int argc, char **argv);

/* Options every replaying command shares. */
struct cli_common {
	const char *file;
	const char *out;
	struct exec_options opt;
	bool json;
	unsigned max_runs;
	const char *to;
};
/* Parse argv into c (file is the one positional argument); prints the
 * problem and returns -1 on bad usage. */
int cli_parse_common(int argc, char **argv, struct cli_common *c);
/* exec_setup with c->opt; returns -1 (and says why) if it fails. */
int cli_setup(struct cli_common *c);

#endif
