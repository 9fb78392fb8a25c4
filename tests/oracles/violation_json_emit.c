/* Writes violations as JSON, one per line, for violation_json_test.py:
 *   violation-json-emit full|hostile|corrupt|none|kinds */
#include <stdio.h>
#include <string.h>

#include "violation.h"
#include "violation_samples.h"

int main(int argc, char **argv)
{
	struct violation v;

	if (argc != 2) {
		fprintf(stderr, "usage: %s full|hostile|corrupt|none|kinds\n", argv[0]);
		return 2;
	}
	if (strcmp(argv[1], "full") == 0) {
		sample_full(&v);
	} else if (strcmp(argv[1], "hostile") == 0) {
		sample_hostile(&v);
	} else if (strcmp(argv[1], "corrupt") == 0) {
		sample_corrupt(&v);
	} else if (strcmp(argv[1], "none") == 0) {
		violation_init(&v, V_PANIC);
	} else if (strcmp(argv[1], "kinds") == 0) {
		for (unsigned k = 0; k <= V__COUNT; k++) {
			violation_init(&v, (enum violation_kind)k);
			violation_json(stdout, &v);
		}
		return 0;
	} else {
		fprintf(stderr, "unknown sample %s\n", argv[1]);
		return 2;
	}
	violation_json(stdout, &v);
	return 0;
}
