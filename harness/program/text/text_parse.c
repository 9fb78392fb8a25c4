/* Text to program.  Line by line: every line is blank, a comment, the
 * config, a schedule line or one step.  The first problem stops the parse
 * with "FILE:LINE: reason". */
#include "program/text/text.h"

#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#include "program/text/text_images.h"

/* Tokens are quoted in messages up to this many characters. */
#define QUOTE_MAX 40

struct token {
	const char *s;
	size_t len;
};

struct parser {
	const char *file;
	unsigned line;
	const struct program_images *images;
	struct program *p;
	bool config_seen;
	char *err;
	size_t errcap;
	const char *cur, *eol; /* the rest of the current line */
};

static int fail(struct parser *ps, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(ps->err, ps->errcap, "%s:%u: ", ps->file, ps->line);

	if (n >= 0 && (size_t)n < ps->errcap) {
		va_start(ap, fmt);
		vsnprintf(ps->err + n, ps->errcap - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static int qlen(struct token t)
{
	return (int)(t.len < QUOTE_MAX ? t.len : QUOTE_MAX);
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* The next whitespace-separated word of the line; len 0 at its end. */
static struct token next_token(struct parser *ps)
{
	struct token t;

	while (ps->cur < ps->eol && is_space(*ps->cur))
		ps->cur++;
	t.s = ps->cur;
	while (ps->cur < ps->eol && !is_space(*ps->cur))
		ps->cur++;
	t.len = (size_t)(ps->cur - t.s);
	return t;
}

static bool tok_is(struct token t, const char *word)
{
	return t.len == strlen(word) && memcmp(t.s, word, t.len) == 0;
}

static int digit_value(char c, unsigned base)
{
	int d = c >= '0' && c <= '9' ? c - '0'
		: c >= 'a' && c <= 'f' ? c - 'a' + 10
		: c >= 'A' && c <= 'F' ? c - 'A' + 10
		: 99;
	return d < (int)base ? d : -1;
}

/* Decimal, or hex after 0x; false on anything else, overflow included. */
static bool parse_number(struct token t, uint64_t *out)
{
	unsigned base = 10;
	size_t i = 0;
	uint64_t v = 0;

	if (t.len > 2 && t.s[0] == '0' && (t.s[1] == 'x' || t.s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (i == t.len)
		return false;
	for (; i < t.len; i++) {
		int d = digit_value(t.s[i], base);
		if (d < 0 || v > (UINT64_MAX - (uint64_t)d) / base)
			return false;
		v = v * base + (uint64_t)d;
	}
	*out = v;
	return true;
}

/* "key=value" into its two halves; value.s is NULL without '='. */
static void split_assignment(struct token t, struct token *key, struct token *value)
{
	const char *eq = memchr(t.s, '=', t.len);

	key->s = t.s;
	key->len = eq ? (size_t)(eq - t.s) : t.len;
	value->s = eq ? eq + 1 : NULL;
	value->len = eq ? t.len - key->len - 1 : 0;
}

/* One capacity key of a config line (PROGRAM.md), 0 on success. */
static int parse_cap(struct parser *ps, struct token key, struct token value, unsigned *seen)
{
	for (unsigned i = 0; i < PROGRAM_NCAPS; i++) {
		const struct program_cap_info *c = program_cap_info(i);
		uint64_t v;

		if (!tok_is(key, c->name))
			continue;
		if (*seen & (1u << i))
			return fail(ps, "config key \"%s\" given twice", c->name);
		if (!value.s || !parse_number(value, &v))
			return fail(ps, "bad number \"%.*s\" for %s", qlen(value), value.s ? value.s : "",
				    c->name);
		if (v < c->min || v > c->max)
			return fail(ps, "value %.*s out of range for %s (%u..%u)", qlen(value), value.s,
				    c->name, c->min, c->max);
		*program_cap(&ps->p->caps, i) = (uint32_t)v;
		*seen |= 1u << i;
		return 0;
	}
	return fail(ps, "unknown config key \"%.*s\"", qlen(key), key.s);
}

static int parse_config(struct parser *ps)
{
	bool cpus_seen = false;
	unsigned caps_seen = 0;

	if (ps->p->nsteps > 0)
		return fail(ps, "config after steps");
	if (ps->config_seen)
		return fail(ps, "config given twice");
	ps->config_seen = true;
	for (struct token t = next_token(ps); t.len; t = next_token(ps)) {
		struct token key, value;
		uint64_t v;

		split_assignment(t, &key, &value);
		if (!tok_is(key, "cpus")) {
			if (parse_cap(ps, key, value, &caps_seen))
				return -1;
			continue;
		}
		if (cpus_seen)
			return fail(ps, "config key \"cpus\" given twice");
		if (!value.s || !parse_number(value, &v))
			return fail(ps, "bad number \"%.*s\" for cpus", qlen(value), value.s ? value.s : "");
		if (v < 1 || v > ARCH_MAX_CPUS)
			return fail(ps, "value %.*s out of range for cpus (1..%u)", qlen(value), value.s,
				    ARCH_MAX_CPUS);
		ps->p->ncpus = (unsigned)v;
		cpus_seen = true;
	}
	if (!cpus_seen)
		return fail(ps, "config needs cpus=N");
	return 0;
}

static int parse_schedule(struct parser *ps)
{
	for (struct token t = next_token(ps); t.len; t = next_token(ps)) {
		uint64_t v;

		if (!parse_number(t, &v))
			return fail(ps, "bad number \"%.*s\" in schedule", qlen(t), t.s);
		if (v > UINT8_MAX)
			return fail(ps, "value %.*s out of range for a schedule choice (0..255)", qlen(t), t.s);
		if (ps->p->nsched >= PROGRAM_MAX_SCHEDULE)
			return fail(ps, "schedule too long (max %u choices)", PROGRAM_MAX_SCHEDULE);
		ps->p->sched[ps->p->nsched++] = (uint8_t)v;
	}
	return 0;
}

static int parse_cpu(struct parser *ps, struct token t, unsigned *cpu)
{
	struct token num = { t.s + 3, t.len - 3 };
	uint64_t v;

	for (size_t i = 0; i < num.len; i++)
		if (num.s[i] < '0' || num.s[i] > '9')
			num.len = 0;
	if (!num.len || !parse_number(num, &v))
		return fail(ps, "bad cpu \"%.*s\" (expected cpuN)", qlen(t), t.s);
	if (v >= ps->p->ncpus)
		return fail(ps, "cpu %.*s beyond the config (%u cpus)", qlen(num), num.s, ps->p->ncpus);
	*cpu = (unsigned)v;
	return 0;
}

static int find_kind(struct parser *ps, struct token t, enum step_kind *kind)
{
	if (!t.len)
		return fail(ps, "missing step kind");
	for (unsigned k = 0; k < STEP__COUNT; k++) {
		if (tok_is(t, program_step_name(k))) {
			*kind = (enum step_kind)k;
			return 0;
		}
	}
	return fail(ps, "unknown step \"%.*s\"", qlen(t), t.s);
}

static int parse_value(struct parser *ps, const struct step_arg_info *a, struct token value,
		       uint64_t *out)
{
	uint64_t max = program_arg_type_info(a->type)->max;

	if (a->type == ARG_IMG && value.len && digit_value(value.s[0], 10) < 0) {
		if (!text_image_lookup(ps->images, value.s, value.len, out))
			return fail(ps, "unknown image \"%.*s\"", qlen(value), value.s);
		return 0;
	}
	if (!parse_number(value, out))
		return fail(ps, "bad number \"%.*s\" for %s", qlen(value), value.s, a->name);
	if (*out > max)
		return fail(ps, "value %.*s out of range for %s (max 0x%" PRIx64 ")", qlen(value), value.s,
			    a->name, max);
	return 0;
}

static int parse_arg(struct parser *ps, const struct step_info *info, struct token t,
		     struct program_step *s, bool seen[PROGRAM_MAX_ARGS])
{
	struct token key, value;
	unsigned i;

	split_assignment(t, &key, &value);
	for (i = 0; i < PROGRAM_MAX_ARGS && info->arg[i].type != ARG_NONE; i++)
		if (tok_is(key, info->arg[i].name))
			break;
	if (i == PROGRAM_MAX_ARGS || info->arg[i].type == ARG_NONE)
		return fail(ps, "unknown argument \"%.*s\" for %s", qlen(key), key.s, info->name);
	if (seen[i])
		return fail(ps, "argument \"%s\" given twice", info->arg[i].name);
	seen[i] = true;
	if (info->arg[i].type == ARG_FLAG) {
		if (value.s)
			return fail(ps, "flag \"%s\" takes no value", info->arg[i].name);
		s->arg[i] = 1;
		return 0;
	}
	if (!value.s)
		return fail(ps, "argument \"%s\" needs a value (%s=...)", info->arg[i].name, info->arg[i].name);
	return parse_value(ps, &info->arg[i], value, &s->arg[i]);
}

static int parse_step(struct parser *ps, struct token cpu_tok)
{
	struct program_step s = { 0 };
	bool seen[PROGRAM_MAX_ARGS] = { false };
	const struct step_info *info;

	if (parse_cpu(ps, cpu_tok, &s.cpu) || find_kind(ps, next_token(ps), &s.kind))
		return -1;
	info = program_step_info(s.kind);
	for (struct token t = next_token(ps); t.len; t = next_token(ps))
		if (parse_arg(ps, info, t, &s, seen))
			return -1;
	for (unsigned i = 0; i < PROGRAM_MAX_ARGS && info->arg[i].type != ARG_NONE; i++)
		if (!seen[i] && info->arg[i].type != ARG_FLAG)
			return fail(ps, "missing argument \"%s\" for %s", info->arg[i].name, info->name);
	if (ps->p->nsteps >= PROGRAM_MAX_STEPS)
		return fail(ps, "too many steps (max %u)", PROGRAM_MAX_STEPS);
	ps->p->step[ps->p->nsteps++] = s;
	return 0;
}

static int parse_line(struct parser *ps)
{
	struct token t = next_token(ps);

	if (!t.len)
		return 0;
	if (tok_is(t, "config"))
		return parse_config(ps);
	if (tok_is(t, "schedule"))
		return parse_schedule(ps);
	if (t.len >= 3 && memcmp(t.s, "cpu", 3) == 0)
		return parse_step(ps, t);
	return fail(ps, "expected cpuN, config or schedule, not \"%.*s\"", qlen(t), t.s);
}

int program_parse(const char *text, const char *filename, const struct program_images *images,
		  struct program *p, char *err, size_t errcap)
{
	struct parser ps = { .file = filename ? filename : "<text>", .images = images, .p = p, .err = err, .errcap = errcap };
	const char *line = text;

	program_init(p);
	if (errcap)
		err[0] = '\0';
	for (ps.line = 1; *line; ps.line++) {
		const char *end = strchr(line, '\n');
		const char *hash;

		if (!end)
			end = line + strlen(line);
		hash = memchr(line, '#', (size_t)(end - line));
		ps.cur = line;
		ps.eol = hash ? hash : end;
		if (parse_line(&ps))
			return -1;
		line = *end ? end + 1 : end;
	}
	return 0;
}
