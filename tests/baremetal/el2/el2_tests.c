/* The table of tests that run at EL2 (see el2_test.h). */
#include <stddef.h>

#include "boot/el2_test.h"
#include "el2_tests.h"

const struct el2_test el2_tests[] = {
	{ "arch-locks", el2_test_locks, el2_test_locks_secondary },
	{ "arch-tables", el2_test_tables, NULL },
	{ "arch-dma", el2_test_dma, NULL },
	{ "arch-panic", el2_test_panic, NULL },
	{ "arch-sha256", el2_test_sha256, NULL },
};

const unsigned el2_test_count = sizeof(el2_tests) / sizeof(el2_tests[0]);
