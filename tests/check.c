#include "check.h"

jmp_buf check_fail_jmp;

static int run_case(const struct test_case *c)
{
	if (setjmp(check_fail_jmp)) {
		fprintf(stderr, "FAIL %s\n", c->name);
		return 1;
	}
	c->fn();
	printf("ok %s\n", c->name);
	return 0;
}

int test_main(int argc, char **argv, const struct test_case *cases, size_t n)
{
	int failed = 0;

	if (argc < 2) {
		for (size_t i = 0; i < n; i++)
			failed |= run_case(&cases[i]);
		return failed;
	}
	for (int a = 1; a < argc; a++) {
		size_t i;
		for (i = 0; i < n; i++)
			if (strcmp(argv[a], cases[i].name) == 0)
				break;
		if (i == n) {
			fprintf(stderr, "no test case named %s\n", argv[a]);
			return 2;
		}
		failed |= run_case(&cases[i]);
	}
	return failed;
}
