/* The option tables' parser and help (cli_opts.h). */
#include "common/cli_opts.h"

#include <string.h>

const char *const cli_targets[] = { "kcore", "vanilla", NULL };

int cli_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	unsigned base = 10;
	uint64_t v = 0;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return -1;
	for (; *s; s++) {
		unsigned d;
		if (*s >= '0' && *s <= '9')
			d = (unsigned)(*s - '0');
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = (unsigned)(*s - 'a' + 10);
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = (unsigned)(*s - 'A' + 10);
		else
			return -1;
		if (v > (UINT64_MAX - d) / base)
			return -1;
		v = v * base + d;
	}
	if (v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static void choices_text(FILE *f, const char *const *c)
{
	for (unsigned i = 0; c[i]; i++)
		fprintf(f, "%s%s", i ? "|" : "", c[i]);
}

static void say_expected(const struct cli_command *cmd, const struct cli_opt *o, const char *v)
{
	fprintf(stderr, "isofuzz %s: %s %s: expected ", cmd->name, o->name, v);
	if (o->type != CLI_STRING)
		fprintf(stderr, "an integer in %llu..%llu", (unsigned long long)o->min, (unsigned long long)o->max);
	else if (o->choices)
		choices_text(stderr, o->choices);
	else
		fprintf(stderr, "%s", o->expects ? o->expects : "another value");
	fprintf(stderr, "\n");
}

static bool one_of(const char *v, const char *const *c)
{
	for (; *c; c++)
		if (!strcmp(v, *c))
			return true;
	return false;
}

static int store(const struct cli_command *cmd, const struct cli_opt *o, const char *v)
{
	uint64_t n;
	switch (o->type) {
	case CLI_FLAG:
		*(bool *)o->dst = true;
		return 0;
	case CLI_STRING:
		if ((o->choices && !one_of(v, o->choices)) || (o->valid && !o->valid(v)))
			break;
		*(const char **)o->dst = v;
		return 0;
	case CLI_UINT:
	case CLI_U64:
		if (cli_parse_u64(v, o->min, o->max, &n) != 0)
			break;
		if (o->type == CLI_UINT)
			*(unsigned *)o->dst = (unsigned)n;
		else
			*(uint64_t *)o->dst = n;
		return 0;
	}
	say_expected(cmd, o, v);
	return -1;
}

static const struct cli_opt *find(const struct cli_command *cmd, const char *a, size_t len)
{
	for (unsigned i = 0; i < cmd->nopts; i++) {
		const struct cli_opt *o = &cmd->opts[i];
		if ((strlen(o->name) == len && !strncmp(o->name, a, len)) ||
		    (o->alias && strlen(o->alias) == len && !strncmp(o->alias, a, len)))
			return o;
	}
	return NULL;
}

/* One option at argv[*i] (it starts with '-'); moves *i past its value. */
static int option(const struct cli_command *cmd, int argc, char **argv, int *i)
{
	const char *a = argv[*i];
	const char *eq = a[1] == '-' ? strchr(a, '=') : NULL;
	size_t len = eq ? (size_t)(eq - a) : strlen(a);
	const struct cli_opt *o = find(cmd, a, len);
	if (!o) {
		fprintf(stderr, "isofuzz %s: unknown option %.*s (isofuzz %s --help lists them)\n", cmd->name,
			(int)len, a, cmd->name);
		return -1;
	}
	if (o->given)
		*o->given = true;
	if (o->type == CLI_FLAG) {
		if (eq) {
			fprintf(stderr, "isofuzz %s: %s takes no value\n", cmd->name, o->name);
			return -1;
		}
		return store(cmd, o, NULL);
	}
	if (!eq && *i + 1 >= argc) {
		fprintf(stderr, "isofuzz %s: %s needs a value (%s)\n", cmd->name, o->name, o->value);
		return -1;
	}
	return store(cmd, o, eq ? eq + 1 : argv[++*i]);
}

int cli_parse(const struct cli_command *cmd, int argc, char **argv, char **args, unsigned *nargs)
{
	bool options_done = false;
	*nargs = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (options_done || a[0] != '-' || !strcmp(a, "-")) {
			if (*nargs == cmd->max_args) {
				fprintf(stderr, "isofuzz %s: unexpected argument '%s' (usage: isofuzz %s%s%s)\n",
					cmd->name, a, cmd->name, cmd->args ? " " : "", cmd->args ? cmd->args : "");
				return -1;
			}
			args[(*nargs)++] = argv[i];
		} else if (!strcmp(a, "--")) {
			options_done = true;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			cli_help(stdout, cmd);
			return 1;
		} else if (option(cmd, argc, argv, &i) != 0) {
			return -1;
		}
	}
	if (*nargs < cmd->min_args) {
		fprintf(stderr, "isofuzz %s: expected %s (usage: isofuzz %s [OPTIONS] %s)\n", cmd->name, cmd->args,
			cmd->name, cmd->args);
		return -1;
	}
	return 0;
}

/* "-o, --out FILE" into buf. */
static void head_text(char *buf, size_t n, const struct cli_opt *o)
{
	snprintf(buf, n, "%s%s%s ", o->alias ? o->alias : "", o->alias ? ", " : "", o->name);
	if (o->value)
		snprintf(buf + strlen(buf), n - strlen(buf), "%s", o->value);
	for (unsigned i = 0; !o->value && o->choices && o->choices[i]; i++)
		snprintf(buf + strlen(buf), n - strlen(buf), "%s%s", i ? "|" : "", o->choices[i]);
}

static void default_text(FILE *f, const struct cli_opt *o)
{
	switch (o->type) {
	case CLI_FLAG:
		break;
	case CLI_STRING:
		if (*(const char *const *)o->dst)
			fprintf(f, " (default %s)", *(const char *const *)o->dst);
		break;
	case CLI_UINT:
		fprintf(f, " (%llu..%llu, default %u)", (unsigned long long)o->min, (unsigned long long)o->max,
			*(const unsigned *)o->dst);
		break;
	case CLI_U64:
		fprintf(f, " (%llu..%llu, default %llu)", (unsigned long long)o->min, (unsigned long long)o->max,
			(unsigned long long)*(const uint64_t *)o->dst);
		break;
	}
}

void cli_help(FILE *f, const struct cli_command *cmd)
{
	fprintf(f, "usage: isofuzz %s [OPTIONS]%s%s\n%s\n", cmd->name, cmd->args ? " " : "",
		cmd->args ? cmd->args : "", cmd->summary);
	if (cmd->details)
		fprintf(f, "%s", cmd->details);
	fprintf(f, "Options (--opt VALUE or --opt=VALUE):\n");
	for (unsigned i = 0; i < cmd->nopts; i++) {
		const struct cli_opt *o = &cmd->opts[i];
		char head[64];
		head_text(head, sizeof(head), o);
		fprintf(f, "  %-28s %s", head, o->help);
		default_text(f, o);
		fprintf(f, "\n");
	}
	fprintf(f, "  %-28s %s\n", "-h, --help", "this help");
	fprintf(f, "Exit status: %s\n", cmd->exits);
}

void cli_option_names(FILE *f, const struct cli_command *cmd, int indent, int width)
{
	int col = indent;
	fprintf(f, "%*s", indent, "");
	for (unsigned i = 0; i < cmd->nopts; i++) {
		int len = (int)strlen(cmd->opts[i].name) + 1;
		if (col + len > width && col > indent) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
		}
		fprintf(f, "%s ", cmd->opts[i].name);
		col += len;
	}
	fprintf(f, "\n");
}
