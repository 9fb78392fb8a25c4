/* The violation value: kind names, oracle families, and two printers.
 *
 * Both printers take whatever is in the struct, so a half-filled or corrupt
 * value (unknown kind, detail without its terminator, nrecent too large)
 * still prints something well formed. */
#include "violation.h"

#include "event_text.h"

#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

struct kind_info {
	const char *name;
	unsigned oracle;
};

static const struct kind_info kinds[V__COUNT] = {
	[V_NONE] = { "none", 0 },
	[V_RET_MISMATCH] = { "ret-mismatch", 1 },
	[V_STATE_MISMATCH] = { "state-mismatch", 1 },
	[V_KSERV_REACH] = { "kserv-reach", 2 },
	[V_VM_REACH] = { "vm-reach", 2 },
	[V_DMA_REACH] = { "dma-reach", 2 },
	[V_TABLE_REACH] = { "table-reach", 2 },
	[V_MEM_TYPE] = { "mem-type", 2 },
	[V_BBM_MISSING] = { "bbm-missing", 3 },
	[V_REVALIDATE_EARLY] = { "revalidate-early", 3 },
	[V_TLBI_BEFORE_DSB] = { "tlbi-before-dsb", 3 },
	[V_TLBI_NOT_COMPLETED] = { "tlbi-not-completed", 3 },
	[V_TLBI_MISSING] = { "tlbi-missing", 3 },
	[V_TLBI_WRONG_TARGET] = { "tlbi-wrong-target", 3 },
	[V_TABLE_FREED_UNCLEAN] = { "table-freed-unclean", 3 },
	[V_VMID_REUSE] = { "vmid-reuse", 3 },
	[V_SCRUB_CACHED] = { "scrub-cached", 4 },
	[V_SCRUB_UNCACHED] = { "scrub-uncached", 4 },
	[V_DIRTY_LINE] = { "dirty-line", 4 },
	[V_STALE_LINE] = { "stale-line", 4 },
	[V_LOCK_NOT_HELD] = { "lock-not-held", 5 },
	[V_LOCK_ORDER] = { "lock-order", 5 },
	[V_UNLOCK_NOT_HELD] = { "unlock-not-held", 5 },
	[V_LOCK_LEAKED] = { "lock-leaked", 5 },
	[V_NONINTERFERENCE] = { "noninterference", 6 },
	[V_INTEGRITY] = { "integrity", 6 },
	/* A panic is KCore failing on its own, as a sanitizer report is. */
	[V_PANIC] = { "panic", 7 },
};

static const char *const oracle_names[] = {
	[0] = "none",
	[1] = "refinement",
	[2] = "isolation",
	[3] = "TLB discipline",
	[4] = "cache bypass",
	[5] = "lock discipline",
	[6] = "noninterference",
	[7] = "memory safety",
};

const char *violation_kind_name(enum violation_kind k)
{
	if ((unsigned)k >= V__COUNT)
		return "invalid";
	return kinds[k].name;
}

unsigned violation_kind_oracle(enum violation_kind k)
{
	if ((unsigned)k >= V__COUNT)
		return 0;
	return kinds[k].oracle;
}

const char *violation_oracle_name(unsigned oracle)
{
	if (oracle >= sizeof(oracle_names) / sizeof(oracle_names[0]))
		return "invalid";
	return oracle_names[oracle];
}

int violation_kind_from_name(const char *name)
{
	if (!name)
		return -1;
	for (unsigned k = 0; k < V__COUNT; k++)
		if (strcmp(kinds[k].name, name) == 0)
			return (int)k;
	return -1;
}

void violation_init(struct violation *v, enum violation_kind kind)
{
	memset(v, 0, sizeof(*v));
	v->kind = kind;
	v->step = VIOLATION_NO_STEP;
	v->cpu = -1;
	v->vm = 0;
	v->page = VIOLATION_NO_PAGE;
}

/* detail may fill its array without a terminator. */
static size_t detail_len(const struct violation *v)
{
	const char *end = memchr(v->detail, '\0', sizeof(v->detail));

	return end ? (size_t)(end - v->detail) : sizeof(v->detail);
}

static unsigned recent_count(const struct violation *v)
{
	return v->nrecent < VIOLATION_RECENT ? v->nrecent : VIOLATION_RECENT;
}

static const char *event_name(unsigned kind)
{
	const char *name = sim_event_name(kind);

	return name ? name : "unknown";
}

/* --- For people ------------------------------------------------------------ */

static void print_event(FILE *f, const struct sim_event *ev)
{
	char text[160];

	event_text(text, sizeof(text), ev);
	fprintf(f, "  #%-6" PRIu64 " cpu %-2u %s\n", ev->seq, (unsigned)ev->cpu, text);
}

void violation_print(FILE *f, const struct violation *v)
{
	size_t dlen = detail_len(v);

	fprintf(f, "violation %s (%s oracle)\n", violation_kind_name(v->kind),
		violation_oracle_name(violation_kind_oracle(v->kind)));
	if (v->step == VIOLATION_NO_STEP)
		fprintf(f, "  step:     none\n");
	else
		fprintf(f, "  step:     %" PRIu64 "\n", v->step);
	if (v->cpu < 0)
		fprintf(f, "  cpu:      none\n");
	else
		fprintf(f, "  cpu:      %d\n", v->cpu);
	if (v->vm == 0)
		fprintf(f, "  vm:       0 (KServ or none)\n");
	else
		fprintf(f, "  vm:       %d\n", v->vm);
	if (v->page == VIOLATION_NO_PAGE)
		fprintf(f, "  page:     none\n");
	else
		fprintf(f, "  page:     0x%" PRIx64 "\n", v->page);
	fprintf(f, "  expected: 0x%" PRIx64 "\n  actual:   0x%" PRIx64 "\n", v->expected, v->actual);
	if (dlen)
		fprintf(f, "  detail:   %.*s\n", (int)dlen, v->detail);
	if (recent_count(v)) {
		fprintf(f, "  last %u events, oldest first:\n", recent_count(v));
		for (unsigned i = 0; i < recent_count(v); i++)
			print_event(f, &v->recent[i]);
	}
}

/* --- JSON ------------------------------------------------------------------- */

/* Bytes outside printable ASCII are escaped, so the output is valid JSON
 * (and valid UTF-8) whatever detail holds. */
static void json_string(FILE *f, const char *s, size_t len)
{
	fputc('"', f);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* 64-bit values go out as hex strings: JSON readers often hold numbers as
 * doubles, which would round addresses and descriptors. */
static void json_hex(FILE *f, const char *key, uint64_t x)
{
	fprintf(f, "\"%s\":\"0x%" PRIx64 "\"", key, x);
}

static void json_event(FILE *f, const struct sim_event *ev)
{
	const char *name = event_name(ev->kind);

	fprintf(f, "{\"seq\":%" PRIu64 ",\"kind\":", ev->seq);
	json_string(f, name, strlen(name));
	fprintf(f, ",\"cpu\":%u,", (unsigned)ev->cpu);
	json_hex(f, "a", ev->a);
	fputc(',', f);
	json_hex(f, "b", ev->b);
	fputc(',', f);
	json_hex(f, "c", ev->c);
	fputc(',', f);
	json_hex(f, "d", ev->d);
	fputc('}', f);
}

void violation_json(FILE *f, const struct violation *v)
{
	const char *name = violation_kind_name(v->kind);
	unsigned oracle = violation_kind_oracle(v->kind);

	fputs("{\"kind\":", f);
	json_string(f, name, strlen(name));
	fprintf(f, ",\"oracle\":%u,\"oracle_name\":", oracle);
	json_string(f, violation_oracle_name(oracle), strlen(violation_oracle_name(oracle)));
	if (v->step == VIOLATION_NO_STEP)
		fputs(",\"step\":null", f);
	else
		fprintf(f, ",\"step\":%" PRIu64, v->step);
	if (v->cpu < 0)
		fputs(",\"cpu\":null", f);
	else
		fprintf(f, ",\"cpu\":%d", v->cpu);
	fprintf(f, ",\"vm\":%d,", v->vm);
	if (v->page == VIOLATION_NO_PAGE)
		fputs("\"page\":null", f);
	else
		json_hex(f, "page", v->page);
	fputc(',', f);
	json_hex(f, "expected", v->expected);
	fputc(',', f);
	json_hex(f, "actual", v->actual);
	fputs(",\"detail\":", f);
	json_string(f, v->detail, detail_len(v));
	fputs(",\"recent\":[", f);
	for (unsigned i = 0; i < recent_count(v); i++) {
		if (i)
			fputc(',', f);
		json_event(f, &v->recent[i]);
	}
	fputs("]}\n", f);
}

void violation_detail(struct violation *v, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(v->detail, sizeof(v->detail), fmt, ap);
	va_end(ap);
}
