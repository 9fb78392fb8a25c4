/* The text form: exact output, round trips, canonical form, errors. */
#include <stdlib.h>

#include "check.h"
#include "fixtures.h"

static char err[256];

static void parse_ok(const char *text, const struct program_images *images, struct program *p)
{
	if (program_parse(text, "t.prog", images, p, err, sizeof(err)) != 0)
		CHECK_FAIL_("parse failed: %s", err);
	CHECK(program_check(p) == NULL);
}

/* print(p) is stable under parse and print again, and parses back to p. */
static void check_text_roundtrip(const struct program *p, const struct program_images *images)
{
	static struct program q;
	char *text = fx_print(p, images), *again;

	CHECK(text != NULL);
	parse_ok(text, images, &q);
	if (!program_equal(p, &q)) {
		free(text);
		CHECK_FAIL_("parse(print(p)) != p");
	}
	again = fx_print(&q, images);
	CHECK(again != NULL);
	CHECK_STR_EQ(again, text);
	free(again);
	free(text);
}

TEST(print_exact)
{
	static struct program p;
	const struct program_step steps[] = {
		{ STEP_REGISTER_VM, 0, { 0 } },
		{ STEP_SET_BOOT_INFO, 0, { 1, 0x80000000, 2 } },
		{ STEP_KSERV_LOAD, 1, { 2, 1, 0x40401 } },
		{ STEP_GUEST_WRITE, 1, { 0x80000, 8, 0x1122334455667788, 1 } },
		{ STEP_GUEST_READ, 0, { 0x80000, 0xff8, 0 } },
		{ STEP_KSERV_LOAD, 1, { 9, 0, 0 } },
	};
	char *text;

	program_init(&p);
	p.ncpus = 2;
	for (unsigned i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		CHECK_EQ(program_append(&p, &steps[i]), 0);
	for (unsigned i = 0; i < 34; i++)
		p.sched[p.nsched++] = (uint8_t)(i % 3);
	text = fx_print(&p, &fx_images);
	CHECK(text != NULL);
	CHECK_STR_EQ(text,
		     "config cpus=2\n"
		     "cpu0 register_vm\n"
		     "cpu0 set_boot_info vm=1 gpa=0x80000000 npages=2\n"
		     "cpu1 kserv_load img=boot4 idx=1 pfn=0x40401\n"
		     "cpu1 guest_write gfn=0x80000 off=0x8 val=0x1122334455667788 nc\n"
		     "cpu0 guest_read gfn=0x80000 off=0xff8\n"
		     "cpu1 kserv_load img=9 idx=0 pfn=0x0\n"
		     "schedule 0 1 2 0 1 2 0 1 2 0 1 2 0 1 2 0 1 2 0 1 2 0 1 2 0 1 2 0 1 2 0 1\n"
		     "schedule 2 0\n");
	free(text);
	/* Without image names every image is a number. */
	text = fx_print(&p, NULL);
	CHECK(text != NULL);
	CHECK(strstr(text, "cpu1 kserv_load img=2 idx=1 pfn=0x40401\n") != NULL);
	free(text);
}

TEST(parse_trace_example)
{
	static struct program p;

	parse_ok("cpu0 register_vm\n"
		 "cpu0 set_boot_info vm=1 gpa=0x80000000 npages=2\n"
		 "cpu1 guest_write gfn=0x80000 off=0x8 val=0x1122334455667788 nc\n"
		 "cpu2 kserv_read pa=0x40401000\n"
		 "schedule 0 1 1 2 0\n",
		 NULL, &p);
	CHECK_EQ(p.ncpus, PROGRAM_DEFAULT_CPUS);
	CHECK_EQ(p.nsteps, 4);
	CHECK_EQ(p.step[1].kind, STEP_SET_BOOT_INFO);
	CHECK_EQ(p.step[1].arg[1], 0x80000000);
	CHECK_EQ(p.step[1].arg[2], 2);
	CHECK_EQ(p.step[2].cpu, 1);
	CHECK_EQ(p.step[2].arg[2], 0x1122334455667788);
	CHECK_EQ(p.step[2].arg[3], 1);
	CHECK_EQ(p.step[3].kind, STEP_KSERV_READ);
	CHECK_EQ(p.step[3].arg[0], 0x40401000);
	CHECK_EQ(p.step[3].arg[1], 0);
	CHECK_EQ(p.nsched, 5);
	CHECK_EQ(p.sched[3], 2);
}

TEST(every_kind_text_roundtrip)
{
	static struct program p;

	fx_every_kind(&p);
	check_text_roundtrip(&p, &fx_images);
	check_text_roundtrip(&p, NULL);
	for (unsigned i = 0; i < p.nsteps; i++) {
		static struct program one;
		program_init(&one);
		CHECK_EQ(program_append(&one, &p.step[i]), 0);
		check_text_roundtrip(&one, &fx_images);
	}
}

TEST(random_programs_text_roundtrip)
{
	static struct program p;
	static uint8_t in[2048];
	struct fx_rng r;

	fx_rng_seed(&r, 0x74657874);
	for (unsigned n = 0; n < 300; n++) {
		fx_random_program(&r, &p, (unsigned)fx_rng_below(&r, 80));
		check_text_roundtrip(&p, &fx_images);
	}
	for (unsigned n = 0; n < 1000; n++) {
		size_t len = fx_rng_below(&r, sizeof(in));
		fx_rng_bytes(&r, in, len);
		if (len > 4) {
			in[1] %= 8;
			in[2] = 0;
			in[4] = 0;
		}
		program_decode(in, len, fx_pools(), &p);
		check_text_roundtrip(&p, &fx_images);
	}
}

TEST(canonical_form)
{
	static struct program p;
	char *text;

	parse_ok("# a comment line\n"
		 "\n"
		 "   config   cpus=0x3   # trailing comment\n"
		 "cpu2\tmap_vm_page pfn=262145 gfn=0X8000A vm=01\r\n"
		 "cpu0 kserv_write nc val=0xFF pa=0x40401000\n"
		 "schedule 1 2\n"
		 "cpu1 kserv_load pfn=0x40401 idx=0 img=3\n"
		 "schedule\n"
		 "schedule 0x10 # more later\n"
		 "cpu00 guest_exit",
		 &fx_images, &p);
	text = fx_print(&p, &fx_images);
	CHECK(text != NULL);
	CHECK_STR_EQ(text,
		     "config cpus=3\n"
		     "cpu2 map_vm_page vm=1 gfn=0x8000a pfn=0x40001\n"
		     "cpu0 kserv_write pa=0x40401000 val=0xff nc\n"
		     "cpu1 kserv_load img=full idx=0 pfn=0x40401\n"
		     "cpu0 guest_exit\n"
		     "schedule 1 2 16\n");
	free(text);
}

TEST(empty_text)
{
	static struct program p, def;

	program_init(&def);
	parse_ok("", NULL, &p);
	CHECK(program_equal(&p, &def));
	parse_ok("# nothing\n\n   \n", NULL, &p);
	CHECK(program_equal(&p, &def));
}

TEST(image_names)
{
	static struct program p;

	parse_ok("cpu0 kserv_load img=tiny idx=0 pfn=1\ncpu0 kserv_load img=full idx=7 pfn=2\n"
		 "cpu0 kserv_load img=4 idx=0 pfn=1\n",
		 &fx_images, &p);
	CHECK_EQ(p.step[0].arg[0], 0);
	CHECK_EQ(p.step[1].arg[0], 3);
	CHECK_EQ(p.step[2].arg[0], 4);
	CHECK_EQ(program_parse("cpu0 kserv_load img=tiny idx=0 pfn=1\n", "t.prog", NULL, &p, err,
			       sizeof(err)),
		 (uint64_t)-1);
	CHECK_STR_EQ(err, "t.prog:1: unknown image \"tiny\"");
}

TEST(format_step)
{
	char line[32];
	const struct program_step s = { STEP_DMA_WRITE, 3, { 2, 0x1000, 0xdeadbeef } };
	const char *want = "cpu3 dma_write unit=2 iova=0x1000 val=0xdeadbeef";
	int n = program_format_step(line, sizeof(line), &s, NULL);

	/* Like snprintf: the full length, the text cut to fit. */
	CHECK_EQ(n, strlen(want));
	CHECK_EQ(strlen(line), sizeof(line) - 1);
	CHECK(strncmp(line, want, sizeof(line) - 1) == 0);
	CHECK_EQ(program_format_step(NULL, 0, &s, NULL), strlen(want));
	const struct program_step bad = { STEP__COUNT, 0, { 0 } };
	CHECK_EQ(program_format_step(line, sizeof(line), &bad, NULL), (uint64_t)-1);
}

struct bad_text {
	const char *text;
	const char *error; /* the whole message */
};

static const struct bad_text bad_texts[] = {
	{ "config cpus=2 vmids=7\n", "t.prog:1: value 7 out of range for vmids (8..255)" },
	{ "config cpus=2 vm_pool=17\n", "t.prog:1: value 17 out of range for vm_pool (5..16)" },
	{ "config cpus=2 shares=0\n", "t.prog:1: value 0 out of range for shares (1..4)" },
	{ "config cpus=2 smmu_pool=1 smmu_pool=2\n", "t.prog:1: config key \"smmu_pool\" given twice" },
	{ "config cpus=2 kserv_pool=x\n", "t.prog:1: bad number \"x\" for kserv_pool" },
	{ "config vmids=8\n", "t.prog:1: config needs cpus=N" },
	{ "cpu0 register_vm\ncpu0 frobnicate vm=1\n", "t.prog:2: unknown step \"frobnicate\"" },
	{ "cpu0 register_vm\n\n# x\ncpu1 map_vm_page vm=1 gfn=2\n",
	  "t.prog:4: missing argument \"pfn\" for map_vm_page" },
	{ "cpu0 clear_vm vm=1 pfn=3\n", "t.prog:1: unknown argument \"pfn\" for clear_vm" },
	{ "cpu0 guest_exit nc\n", "t.prog:1: unknown argument \"nc\" for guest_exit" },
	{ "cpu0 clear_vm vm=1 vm=2\n", "t.prog:1: argument \"vm\" given twice" },
	{ "cpu0 kserv_read pa=1 nc nc\n", "t.prog:1: argument \"nc\" given twice" },
	{ "cpu0 clear_vm vm=0xg\n", "t.prog:1: bad number \"0xg\" for vm" },
	{ "cpu0 clear_vm vm=\n", "t.prog:1: bad number \"\" for vm" },
	{ "cpu0 clear_vm vm=0x\n", "t.prog:1: bad number \"0x\" for vm" },
	{ "cpu0 clear_vm vm=-1\n", "t.prog:1: bad number \"-1\" for vm" },
	{ "cpu0 clear_vm vm=18446744073709551616\n",
	  "t.prog:1: bad number \"18446744073709551616\" for vm" },
	{ "cpu0 guest_read gfn=1 off=0x1000\n", "t.prog:1: value 0x1000 out of range for off (max 0xfff)" },
	{ "schedule 1 2\nschedule 255 256\n",
	  "t.prog:2: value 256 out of range for a schedule choice (0..255)" },
	{ "schedule 1 x\n", "t.prog:1: bad number \"x\" in schedule" },
	{ "config cpus=9\n", "t.prog:1: value 9 out of range for cpus (1..8)" },
	{ "config cpus=0\n", "t.prog:1: value 0 out of range for cpus (1..8)" },
	{ "config cpus=two\n", "t.prog:1: bad number \"two\" for cpus" },
	{ "config cpus=2\ncpu1 register_vm\ncpu2 register_vm\n",
	  "t.prog:3: cpu 2 beyond the config (2 cpus)" },
	{ "cpu4 register_vm\n", "t.prog:1: cpu 4 beyond the config (4 cpus)" },
	{ "cpux register_vm\n", "t.prog:1: bad cpu \"cpux\" (expected cpuN)" },
	{ "cpu register_vm\n", "t.prog:1: bad cpu \"cpu\" (expected cpuN)" },
	{ "cpu99999999999999999999 register_vm\n",
	  "t.prog:1: bad cpu \"cpu99999999999999999999\" (expected cpuN)" },
	{ "cpu0 kserv_read pa=1 nc=1\n", "t.prog:1: flag \"nc\" takes no value" },
	{ "cpu0 clear_vm vm\n", "t.prog:1: argument \"vm\" needs a value (vm=...)" },
	{ "cpu0   # only a cpu\n", "t.prog:1: missing step kind" },
	{ "register_vm\n", "t.prog:1: expected cpuN, config or schedule, not \"register_vm\"" },
	{ "cpu0 register_vm\nconfig cpus=2\n", "t.prog:2: config after steps" },
	{ "config cpus=2\nconfig cpus=2\n", "t.prog:2: config given twice" },
	{ "config cpu=2\n", "t.prog:1: unknown config key \"cpu\"" },
	{ "config cpus=2 cpus=3\n", "t.prog:1: config key \"cpus\" given twice" },
	{ "config\n", "t.prog:1: config needs cpus=N" },
	{ "cpu0 kserv_load img=huge idx=0 pfn=0\n", "t.prog:1: unknown image \"huge\"" },
	{ "cpu0 register_vm\r\ncpu0 bogus\r\n", "t.prog:2: unknown step \"bogus\"" },
};

/* Capacities on the config line: printed only when lowered, in table
 * order, and read back to the same program. */
TEST(caps_config_roundtrip)
{
	static struct program p, q;
	char *text;

	CHECK_EQ(program_parse("config shares=1 cpus=2 vmids=8 smmu_pool=1\ncpu0 register_vm\n", "t", &fx_images,
			       &p, err, sizeof(err)), 0u);
	CHECK_EQ(p.caps.vmids, 8u);
	CHECK_EQ(p.caps.max_share, 1u);
	CHECK_EQ(p.caps.smmu_pool_pages, 1u);
	CHECK_EQ(p.caps.vm_pool_pages, 0u);
	text = fx_print(&p, &fx_images);
	CHECK_STR_EQ(text, "config cpus=2 vmids=8 smmu_pool=1 shares=1\ncpu0 register_vm\n");
	CHECK_EQ(program_parse(text, "t", &fx_images, &q, err, sizeof(err)), 0u);
	free(text);
	CHECK(program_equal(&p, &q));
}

TEST(malformed_text_errors)
{
	static struct program p;

	for (unsigned i = 0; i < sizeof(bad_texts) / sizeof(bad_texts[0]); i++) {
		int rc = program_parse(bad_texts[i].text, "t.prog", &fx_images, &p, err, sizeof(err));
		if (rc != -1)
			CHECK_FAIL_("accepted: %s", bad_texts[i].text);
		CHECK_STR_EQ(err, bad_texts[i].error);
	}
}

/* Errors about size limits name the line where the limit is crossed. */
TEST(limit_errors)
{
	size_t cap = (PROGRAM_MAX_STEPS + 2) * 32 + (PROGRAM_MAX_SCHEDULE + 2) * 4;
	char *text = malloc(cap);
	static struct program p;
	size_t len = 0;

	CHECK(text != NULL);
	for (unsigned i = 0; i <= PROGRAM_MAX_STEPS; i++)
		len += (size_t)snprintf(text + len, cap - len, "cpu%u register_vm\n", i % 4);
	CHECK_EQ(program_parse(text, "big", NULL, &p, err, sizeof(err)), (uint64_t)-1);
	CHECK_STR_EQ(err, "big:513: too many steps (max 512)");

	len = (size_t)snprintf(text, cap, "schedule");
	for (unsigned i = 0; i <= PROGRAM_MAX_SCHEDULE; i++)
		len += (size_t)snprintf(text + len, cap - len, " %u", i % 256);
	snprintf(text + len, cap - len, "\n");
	CHECK_EQ(program_parse(text, "big", NULL, &p, err, sizeof(err)), (uint64_t)-1);
	CHECK_STR_EQ(err, "big:1: schedule too long (max 4096 choices)");
	free(text);
}

/* A small error buffer gets a cut message, never an overflow. */
TEST(error_buffer_small)
{
	static struct program p;
	char small[12];

	CHECK_EQ(program_parse("cpu9 x\n", "file.prog", NULL, &p, small, sizeof(small)), (uint64_t)-1);
	CHECK_STR_EQ(small, "file.prog:1");
	CHECK_EQ(program_parse("cpu9 x\n", "file.prog", NULL, &p, NULL, 0), (uint64_t)-1);
}

static const struct test_case cases[] = {
	CASE(print_exact),
	CASE(parse_trace_example),
	CASE(every_kind_text_roundtrip),
	CASE(random_programs_text_roundtrip),
	CASE(canonical_form),
	CASE(empty_text),
	CASE(image_names),
	CASE(format_step),
	CASE(malformed_text_errors),
	CASE(caps_config_roundtrip),
	CASE(limit_errors),
	CASE(error_buffer_small),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
