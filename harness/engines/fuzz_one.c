#include "engines/fuzz_one.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "program/binary/binary.h"
#include "exec/exec.h"

static struct program_pools pools;
static bool ready;

static const struct { const char *name; unsigned bit; } oracle_names[] = {
	{ "refine", ORACLE_REFINE }, { "isolation", ORACLE_ISOLATION }, { "tlb", ORACLE_TLB },
	{ "cache", ORACLE_CACHE }, { "lock", ORACLE_LOCK }, { "ni", ORACLE_NI },
	{ "integrity", ORACLE_INTEGRITY },
	{ "thorough", ORACLE_THOROUGH },
};

static int oracle_bit(const char *name, size_t len, unsigned *bit)
{
	for (size_t i = 0; i < sizeof(oracle_names) / sizeof(oracle_names[0]); i++)
		if (strlen(oracle_names[i].name) == len && strncmp(oracle_names[i].name, name, len) == 0) {
			*bit = oracle_names[i].bit;
			return 0;
		}
	return -1;
}

int fuzz_parse_oracles(const char *s, unsigned *mask)
{
	if (strcmp(s, "all") == 0) { *mask = ORACLE_ALL; return 0; }
	if (strcmp(s, "none") == 0) { *mask = 0; return 0; }
	if (strcmp(s, "thorough") == 0) { *mask = ORACLE_ALL | ORACLE_THOROUGH; return 0; }
	*mask = s[0] == '-' ? ORACLE_ALL : 0;
	while (*s) {
		bool off = *s == '-';
		s += off;
		size_t len = strcspn(s, ",");
		unsigned bit;
		if (oracle_bit(s, len, &bit) != 0)
			return -1;
		*mask = off ? (*mask & ~bit) : (*mask | bit);
		s += len;
		s += *s == ',';
	}
	return 0;
}

/* A first run pays for the resets that start from nothing (every page of
 * the model and its followers rewritten): in an AFL++ target that run
 * happens once, before the fork server, and every forked process's first
 * input then rewrites only what the run before it changed, instead of
 * copying every page of those arrays on write.  An empty program changes
 * nothing any later run can see: a run starts from its resets. */
static void warm_up(void)
{
	fuzz_one_reported(NULL, 0, NULL, 0);
}

int fuzz_init(void)
{
	if (ready)
		return 0;
	struct exec_options opt = { .target = &target_kcore, .oracles = ORACLE_ALL };
	const char *t = getenv("ISOFUZZ_TARGET"), *o = getenv("ISOFUZZ_ORACLES"), *ram = getenv("ISOFUZZ_RAM_MB");
	if (t && !(opt.target = target_by_name(t))) {
		fprintf(stderr, "isofuzz: ISOFUZZ_TARGET=%s: expected kcore or vanilla\n", t);
		return -1;
	}
	if (o && fuzz_parse_oracles(o, &opt.oracles) != 0) {
		fprintf(stderr, "isofuzz: ISOFUZZ_ORACLES=%s: unknown oracle\n", o);
		return -1;
	}
	if (ram)
		opt.ram_bytes = strtoull(ram, NULL, 0) << 20;
	if (exec_setup(&opt) != 0) {
		fprintf(stderr, "isofuzz: cannot set up the machine model\n");
		return -1;
	}
	program_pools_init(&pools, exec_boot());
	warm_up();
	ready = true;
	return 0;
}

const struct program_pools *fuzz_pools(void)
{
	return &pools;
}

/* The oracle's field: the detail up to its first ':' or ',', without the
 * words that hold numbers (pages, CPUs, VMs), as a few lowercase words
 * joined by '-'.  "page 0x12 owner:
 * target KServ, model VM 1" gives "page-owner". */
static void field_of(const char *detail, char *buf, size_t n)
{
	size_t len = 0, words = 0;
	const char *end = detail + strcspn(detail, ":,");
	for (const char *p = detail; p < end && words < 5;) {
		while (p < end && isspace((unsigned char)*p))
			p++;
		const char *w = p;
		while (p < end && !isspace((unsigned char)*p))
			p++;
		bool has_digit = false;
		for (const char *q = w; q < p; q++)
			has_digit |= isdigit((unsigned char)*q) != 0;
		if (w == p || has_digit)
			continue;
		if (len && len + 1 < n)
			buf[len++] = '-';
		for (const char *q = w; q < p && len + 1 < n; q++)
			if (isalnum((unsigned char)*q) || *q == '_')
				buf[len++] = (char)tolower((unsigned char)*q);
		words++;
	}
	buf[len] = '\0';
	if (!len)
		snprintf(buf, n, "none");
}

void fuzz_violation_site(const struct program *p, const struct violation *v, char *buf, size_t n)
{
	char field[64];
	field_of(v->detail, field, sizeof(field));
	const char *step = v->step < p->nsteps ? program_step_name(p->step[v->step].kind) : "end";
	snprintf(buf, n, "%s.%s", step, field);
}

bool fuzz_one_reported(const uint8_t *data, size_t size, char *key, size_t n)
{
	static struct program p;
	static struct exec_result r;
	program_decode(data, size, &pools, &p);
	bool violated = exec_run(&p, &r);
	exec_settle();
	if (!violated)
		return false;
	fprintf(stderr, "==isofuzz== violation %s\n", violation_kind_name(r.v.kind));
	exec_print_trace(stderr, &p, &r);
	fflush(stderr);
	if (key) {
		char site[96];
		fuzz_violation_site(&p, &r.v, site, sizeof(site));
		snprintf(key, n, "%s-%s", violation_kind_name(r.v.kind), site);
	}
	return true;
}

void fuzz_one(const uint8_t *data, size_t size)
{
	if (fuzz_one_reported(data, size, NULL, 0))
		abort();
}
