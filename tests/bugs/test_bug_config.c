/* The default build carries no planted bug: compiled with KCore's own
 * include path, bugs.h must see no KCORE_BUG_* macro unless the build was
 * configured with -Dbug=NAME (passed here as EXPECTED_BUG). */
#include <stdbool.h>
#include <string.h>

#include "base/bugs.h"
#include "check.h"

#ifndef EXPECTED_BUG
#error "EXPECTED_BUG (the meson option 'bug') must be given"
#endif

static const char expected_bug[] = EXPECTED_BUG;

TEST(no_bug_unless_selected)
{
	bool selected = strcmp(expected_bug, "none") != 0;

	CHECK_EQ(KCORE_PLANTED_BUG, selected);
}

/* KCORE_BUG() of an unselected or unknown name is 0 in #if, so a site
 * that names a bug nobody selected compiles to the correct code. */
TEST(unselected_sites_are_off)
{
	int share_underflow_site = 0, unknown_site = 0;

#if KCORE_BUG(SHARE_UNDERFLOW)
	share_underflow_site = 1;
#endif
#if KCORE_BUG(NO_SUCH_BUG)
	unknown_site = 1;
#endif
	CHECK_EQ(share_underflow_site, strcmp(expected_bug, "share_underflow") == 0);
	CHECK_EQ(unknown_site, 0);
}

static const struct test_case cases[] = {
	CASE(no_bug_unless_selected),
	CASE(unselected_sites_are_off),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
