#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fuzz_one.h"

static int need_value(int argc, char **argv, int i)
{
	if (i + 1 >= argc) {
		fprintf(stderr, "isofuzz %s: %s needs a value\n", argv[0], argv[i]);
		return -1;
	}
	return 0;
}

int cli_parse_common(int argc, char **argv, struct cli_common *c)
{
	memset(c, 0, sizeof(*c));
	c->opt.target = &target_kcore;
	c->opt.oracles = ORACLE_ALL;
	c->opt.thorough = true;
	c->max_runs = 20000;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		bool has = i + 1 < argc;
		if (a[0] != '-' || strcmp(a, "-") == 0) {
			if (c->file) {
				fprintf(stderr, "isofuzz %s: one program file only\n", argv[0]);
				return -1;
			}
			c->file = a;
			continue;
		}
		if (strcmp(a, "--json") == 0) {
			c->json = true;
			continue;
		}
		if (need_value(argc, argv, i) != 0 || !has)
			return -1;
		const char *v = argv[++i];
		if (strcmp(a, "--target") == 0) {
			if (!(c->opt.target = target_by_name(v))) {
				fprintf(stderr, "isofuzz %s: --target %s: expected kcore or vanilla\n", argv[0], v);
				return -1;
			}
		} else if (strcmp(a, "--oracles") == 0) {
			if (fuzz_parse_oracles(v, &c->opt.oracles) != 0) {
				fprintf(stderr, "isofuzz %s: --oracles %s: unknown oracle\n", argv[0], v);
				return -1;
			}
		} else if (strcmp(a, "-o") == 0 || strcmp(a, "--out") == 0) {
			c->out = v;
		} else if (strcmp(a, "--max-runs") == 0) {
			c->max_runs = (unsigned)strtoul(v, NULL, 0);
		} else if (strcmp(a, "--to") == 0) {
			c->to = v;
		} else if (strcmp(a, "--ram-mb") == 0) {
			c->opt.ram_bytes = strtoull(v, NULL, 0) << 20;
		} else {
			fprintf(stderr, "isofuzz %s: unknown option %s\n", argv[0], a);
			return -1;
		}
	}
	return 0;
}

int cli_setup(struct cli_common *c)
{
	if (exec_setup(&c->opt) != 0) {
		fprintf(stderr, "isofuzz: cannot set up the machine model\n");
		return -1;
	}
	return 0;
}
