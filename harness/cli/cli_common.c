/* What repro, minimize, show and convert share: their options and loading
 * a program onto the machine model. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "engines/fuzz_one.h"
#include "program/file/progfile.h"

/* The simulated machine's RAM limits, in MiB. */
#define RAM_MB_MIN 16

struct cli_common cli_common;

bool cli_oracles_ok(const char *list)
{
	unsigned mask;
	return fuzz_parse_oracles(list, &mask) == 0;
}

int cli_parse_common(const struct cli_command *cmd, int argc, char **argv)
{
	memset(&cli_common, 0, sizeof(cli_common));
	cli_common.target = "kcore";
	cli_common.oracles = "all";
	cli_common.max_runs = 20000;
	int rc = cli_parse(cmd, argc, argv, cli_common.args, &cli_common.nargs);
	if (rc == 0 && cli_common.ram_mb && cli_common.ram_mb < RAM_MB_MIN) {
		fprintf(stderr, "isofuzz %s: --ram-mb %u: expected 0 or %u..%u\n", cmd->name, cli_common.ram_mb,
			RAM_MB_MIN, CLI_RAM_MB_MAX);
		rc = -1;
	}
	return rc < 0 ? CLI_EXIT_BAD : rc > 0 ? CLI_EXIT_CLEAN : -1;
}

/* A finding's own target and oracles where the command line gives none. */
static int finding_config(const struct cli_command *cmd, const char *file)
{
	static char target[32], oracles[128];
	char from[4096];
	struct cli_common *c = &cli_common;
	if ((c->target_given && c->oracles_given) ||
	    !cli_finding_config(file, target, sizeof(target), oracles, sizeof(oracles), from, sizeof(from)))
		return 0;
	if (!target_by_name(target) || !cli_oracles_ok(oracles)) {
		fprintf(stderr, "%s: target %s, oracles %s: expected kcore or vanilla and an oracle list\n", from,
			target, oracles);
		return -1;
	}
	if (!c->target_given)
		c->target = target;
	if (!c->oracles_given)
		c->oracles = oracles;
	fprintf(stderr, "isofuzz %s: target %s, oracles %s, as in %s\n", cmd->name, c->target, c->oracles, from);
	return 0;
}

static int setup(const struct cli_command *cmd)
{
	struct cli_common *c = &cli_common;
	c->opt = (struct exec_options){ .target = target_by_name(c->target), .thorough = true,
					.ram_bytes = (uint64_t)c->ram_mb << 20 };
	fuzz_parse_oracles(c->oracles, &c->opt.oracles);
	if (exec_setup(&c->opt) != 0) {
		fprintf(stderr, "isofuzz %s: cannot set up the machine model\n", cmd->name);
		return -1;
	}
	return 0;
}

int cli_load(const struct cli_command *cmd, struct program_pools *pools, struct program *p)
{
	const char *file = cli_common.args[0];
	char err[512], note[256];
	if (finding_config(cmd, file) != 0 || setup(cmd) != 0)
		return -1;
	program_pools_init(pools, exec_boot());
	if (progfile_load_noted(file, pools, p, NULL, note, sizeof(note), err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		exec_teardown();
		return -1;
	}
	if (note[0])
		fprintf(stderr, "%s\n", note);
	return 0;
}
