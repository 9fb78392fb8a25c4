/* The trace shows how the steps of several CPUs interleaved: a column per
 * CPU, time order, step:part labels; a program whose steps never overlap
 * shows no interleaving. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <string.h>

#include "exec/machine/exec_timeline.h"
#include "harness_fixture.h"

static struct program prog;
static struct exec_result r;
static char out[65536];

static const char *trace_of(struct program *p)
{
	FILE *f = tmpfile();
	size_t n;

	CHECK(f != NULL);
	exec_run(p, &r);
	exec_print_trace(f, p, &r);
	rewind(f);
	n = fread(out, 1, sizeof(out) - 1, f);
	out[n] = '\0';
	fclose(f);
	return out;
}

/* The line of the interleaving that holds label, or NULL. */
static const char *row_with(const char *text, const char *label)
{
	const char *at = strstr(text, "interleaving");
	return at ? strstr(at, label) : NULL;
}

/* Column of the text at p within its line. */
static long column(const char *text, const char *p)
{
	const char *line = p;
	while (line > text && line[-1] != '\n')
		line--;
	return p - line;
}

TEST(race_shows_both_cpus_in_time_order)
{
	hf_setup(&target_kcore, ORACLE_ALL);
	hf_load("corpus/seeds/map-race.txt", &prog);
	const char *t = trace_of(&prog);
	const char *a = row_with(t, "11:"), *b = row_with(t, "12:");

	CHECK(strstr(t, "interleaving, in time order") != NULL);
	CHECK(strstr(t, " cpu0 ") != NULL && strstr(t, " cpu1\n") != NULL);
	CHECK(a != NULL && b != NULL);
	/* cpu1's step sits in the second column */
	CHECK(column(t, b) > column(t, a));
	/* the two map_vm_page steps take turns, and each ends once */
	CHECK(strstr(t, "taking turns with cpu") != NULL);
	CHECK(strstr(t, "/53 map_vm_page .") != NULL || strstr(t, "/53 map_vm_page, taking") != NULL);
	CHECK(timeline_slices() > prog.nsteps);
}

TEST(sequential_steps_show_no_interleaving)
{
	hf_setup(&target_kcore, ORACLE_ALL);
	hf_parse("config cpus=2\ncpu0 register_vm\ncpu1 register_vm\ncpu0 register_vcpu vm=1 vcpu=0\n", &prog);
	const char *t = trace_of(&prog);

	CHECK(strstr(t, "interleaving") == NULL);
	CHECK_EQ(timeline_slices(), 3);
}

static const struct test_case cases[] = {
	CASE(race_shows_both_cpus_in_time_order),
	CASE(sequential_steps_show_no_interleaving),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
