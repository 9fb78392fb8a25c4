/* Command-line options of the isofuzz subcommands, one table per
 * subcommand.  The parser and the --help text both read the table, so the
 * help lists exactly the options the parser knows, with their ranges and
 * defaults.
 *
 * Every option takes `--opt value` and `--opt=value`; numbers are decimal
 * (or 0x hexadecimal) integers checked against their range; "--" ends the
 * options; -h and --help print the help.  A problem is one line on stderr
 * and the caller exits 2. */
#ifndef HARNESS_CLI_OPTS_H
#define HARNESS_CLI_OPTS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum cli_opt_type {
	CLI_FLAG,   /* dst: bool, set to true */
	CLI_STRING, /* dst: const char *, pointing into argv */
	CLI_UINT,   /* dst: unsigned */
	CLI_U64,    /* dst: uint64_t */
};

struct cli_opt {
	const char *name;          /* "--jobs" */
	const char *alias;         /* a short form ("-o"), or NULL */
	enum cli_opt_type type;
	const char *value;         /* what the value is, for the help: "N", "DIR" */
	const char *help;          /* one line */
	void *dst;
	uint64_t min, max;         /* numbers: the accepted range */
	/* strings: the accepted values (NULL-terminated), or a check that
	 * returns true for a good value with what it expects for the error */
	const char *const *choices;
	bool (*valid)(const char *value);
	const char *expects;
	bool *given;               /* set when the option is on the command line */
};

struct cli_command {
	const char *name;          /* "run" */
	const char *args;          /* the positional arguments, for the help: "FILE" */
	const char *summary;       /* one line */
	const char *details;       /* more of the help (lines ending in \n), or NULL */
	const char *exits;         /* what each exit status means for it */
	const struct cli_opt *opts;
	unsigned nopts;
	unsigned min_args, max_args; /* positional arguments accepted */
	int (*main)(int argc, char **argv);
};

/* Every subcommand's exit statuses: clean (or done), a violation found,
 * bad input or usage (or it could not run), stopped by a signal. */
#define CLI_EXIT_CLEAN 0
#define CLI_EXIT_VIOLATION 1
#define CLI_EXIT_BAD 2
#define CLI_EXIT_STOPPED 130

/* The hypervisors a --target option accepts (NULL-terminated). */
extern const char *const cli_targets[]; /* kcore, vanilla */

#define CLI_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Parse argv (argv[0] is the subcommand) against cmd, storing values
 * through the table and the positional arguments in args[0..*nargs)
 * (args has room for argc).  Returns 0; 1 when -h/--help printed the help
 * (exit 0); or -1 after a one-line message on stderr (exit 2). */
int cli_parse(const struct cli_command *cmd, int argc, char **argv, char **args, unsigned *nargs);

/* The subcommand's help: usage, summary, every option with its value,
 * range and default (the value dst holds when it is called), exit statuses. */
void cli_help(FILE *f, const struct cli_command *cmd);

/* The option names of cmd on one line, for the overall usage. */
void cli_option_names(FILE *f, const struct cli_command *cmd, int indent, int width);

/* Strict unsigned integer: decimal or 0x hex, nothing else, no sign, no
 * overflow; within [min, max].  Returns 0 or -1. */
int cli_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);

#endif
