/* The violation value: kind names and families, defaults, and the printer
 * for people.  (The JSON printer is checked by violation_json_test.py.) */
#include "check.h"
#include "violation.h"
#include "violation_samples.h"

static char out[16384];

/* What printer writes for v, as a string. */
static const char *printed(void (*printer)(FILE *, const struct violation *), const struct violation *v)
{
	FILE *f = tmpfile();
	size_t n;

	CHECK(f != NULL);
	printer(f, v);
	rewind(f);
	n = fread(out, 1, sizeof(out) - 1, f);
	out[n] = '\0';
	fclose(f);
	return out;
}

#define CHECK_HAS(text, part)                                              \
	do {                                                                   \
		if (!strstr((text), (part)))                                       \
			CHECK_FAIL_("missing \"%s\" in:\n%s", (part), (text));         \
	} while (0)

TEST(kind_names_unique_and_round_trip)
{
	for (unsigned k = 0; k < V__COUNT; k++) {
		const char *name = violation_kind_name((enum violation_kind)k);

		CHECK(name != NULL && name[0] != '\0');
		CHECK(strcmp(name, "invalid") != 0);
		for (const char *c = name; *c; c++)
			CHECK((*c >= 'a' && *c <= 'z') || *c == '-');
		CHECK_EQ(violation_kind_from_name(name), k);
		for (unsigned j = 0; j < k; j++)
			CHECK(strcmp(name, violation_kind_name((enum violation_kind)j)) != 0);
	}
	CHECK_STR_EQ(violation_kind_name(V_BBM_MISSING), "bbm-missing");
	CHECK_STR_EQ(violation_kind_name(V_TABLE_FREED_UNCLEAN), "table-freed-unclean");
	CHECK_STR_EQ(violation_kind_name((enum violation_kind)V__COUNT), "invalid");
	CHECK_STR_EQ(violation_kind_name((enum violation_kind)-1), "invalid");
	CHECK_EQ(violation_kind_from_name("no-such-kind"), -1);
	CHECK_EQ(violation_kind_from_name(""), -1);
	CHECK_EQ(violation_kind_from_name(NULL), -1);
}

TEST(kind_families)
{
	static const unsigned family[V__COUNT] = {
		[V_NONE] = 0,
		[V_RET_MISMATCH] = 1, [V_STATE_MISMATCH] = 1,
		[V_KSERV_REACH] = 2, [V_VM_REACH] = 2, [V_DMA_REACH] = 2, [V_TABLE_REACH] = 2,
		[V_MEM_TYPE] = 2,
		[V_BBM_MISSING] = 3, [V_REVALIDATE_EARLY] = 3, [V_TLBI_BEFORE_DSB] = 3,
		[V_TLBI_NOT_COMPLETED] = 3, [V_TLBI_MISSING] = 3, [V_TLBI_WRONG_TARGET] = 3,
		[V_TABLE_FREED_UNCLEAN] = 3, [V_VMID_REUSE] = 3,
		[V_SCRUB_CACHED] = 4, [V_SCRUB_UNCACHED] = 4, [V_DIRTY_LINE] = 4, [V_STALE_LINE] = 4,
		[V_LOCK_NOT_HELD] = 5, [V_LOCK_ORDER] = 5, [V_UNLOCK_NOT_HELD] = 5, [V_LOCK_LEAKED] = 5,
		[V_NONINTERFERENCE] = 6, [V_INTEGRITY] = 6,
		[V_PANIC] = 7,
	};

	for (unsigned k = 0; k < V__COUNT; k++)
		CHECK_EQ(violation_kind_oracle((enum violation_kind)k), family[k]);
	CHECK_EQ(violation_kind_oracle((enum violation_kind)V__COUNT), 0);
	CHECK_STR_EQ(violation_oracle_name(3), "TLB discipline");
	CHECK_STR_EQ(violation_oracle_name(4), "cache bypass");
	CHECK_STR_EQ(violation_oracle_name(0), "none");
	CHECK_STR_EQ(violation_oracle_name(8), "invalid");
}

TEST(init_defaults)
{
	struct violation v;

	memset(&v, 0xa5, sizeof(v));
	violation_init(&v, V_DIRTY_LINE);
	CHECK_EQ(v.kind, V_DIRTY_LINE);
	CHECK_EQ(v.step, VIOLATION_NO_STEP);
	CHECK_EQ(v.cpu, -1);
	CHECK_EQ(v.vm, 0);
	CHECK_EQ(v.page, VIOLATION_NO_PAGE);
	CHECK_EQ(v.expected, 0);
	CHECK_EQ(v.actual, 0);
	CHECK_EQ(v.nrecent, 0);
	CHECK_STR_EQ(v.detail, "");
}

TEST(detail_truncates)
{
	struct violation v;
	char longer[400];

	violation_init(&v, V_PANIC);
	memset(longer, 'x', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	violation_detail(&v, "%s", longer);
	CHECK_EQ(strlen(v.detail), sizeof(v.detail) - 1);
}

TEST(human_names_kind_step_cpu_vm_page)
{
	struct violation v;
	const char *s;

	sample_full(&v);
	s = printed(violation_print, &v);
	CHECK_HAS(s, "bbm-missing");
	CHECK_HAS(s, "TLB discipline");
	CHECK_HAS(s, "step:     12\n");
	CHECK_HAS(s, "cpu:      1\n");
	CHECK_HAS(s, "vm:       3\n");
	CHECK_HAS(s, "page:     0x40012\n");
	CHECK_HAS(s, "expected: 0x40000000000074f\n");
	CHECK_HAS(s, "actual:   0xfffffffffffffff0\n");
	CHECK_HAS(s, "valid entry replaced; vmid 7");
	CHECK_HAS(s, "last 3 events");
	CHECK_HAS(s, "pte-write");
	CHECK_HAS(s, "tlbi-ipa");
	CHECK_HAS(s, "tlbi-vmid");
	CHECK(strstr(s, "#40") < strstr(s, "#41") && strstr(s, "#41") < strstr(s, "#42"));
}

TEST(human_says_none)
{
	struct violation v;
	const char *s;

	violation_init(&v, V_VMID_REUSE);
	s = printed(violation_print, &v);
	CHECK_HAS(s, "vmid-reuse");
	CHECK_HAS(s, "step:     none");
	CHECK_HAS(s, "cpu:      none");
	CHECK_HAS(s, "vm:       0 (KServ or none)");
	CHECK_HAS(s, "page:     none");
	CHECK(strstr(s, "events") == NULL);
	CHECK(strstr(s, "detail") == NULL);
}

TEST(human_survives_corrupt_values)
{
	struct violation v;
	const char *s;

	sample_corrupt(&v);
	s = printed(violation_print, &v);
	CHECK_HAS(s, "violation invalid");
	CHECK_HAS(s, "last 16 events");
	sample_hostile(&v);
	s = printed(violation_print, &v);
	CHECK_HAS(s, "lock-order");
	/* The unterminated detail is printed up to its array's end. */
	CHECK_HAS(s, "detail:   q\"b\\s/");
}

static const struct test_case cases[] = {
	CASE(kind_names_unique_and_round_trip),
	CASE(kind_families),
	CASE(init_defaults),
	CASE(detail_truncates),
	CASE(human_names_kind_step_cpu_vm_page),
	CASE(human_says_none),
	CASE(human_survives_corrupt_values),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
