/* harness/program/PROGRAM.md stays in step with the code: it documents every step
 * kind with its arguments, and its example is a canonical program. */
#include <stdlib.h>

#include "check.h"
#include "fixtures.h"

static char *read_doc(void)
{
	FILE *f = fopen(PROGRAM_MD, "rb");
	char *buf;
	long len;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return NULL;
	}
	buf = malloc((size_t)len + 1);
	if (buf && fread(buf, 1, (size_t)len, f) != (size_t)len) {
		free(buf);
		buf = NULL;
	}
	if (buf)
		buf[len] = '\0';
	fclose(f);
	return buf;
}

/* The table row "| `name` | ..." of a step kind, up to its end of line. */
static const char *find_row(const char *doc, const char *name, size_t *len)
{
	char key[64];
	const char *row;

	snprintf(key, sizeof(key), "\n| `%s` |", name);
	row = strstr(doc, key);
	if (!row)
		return NULL;
	row++;
	*len = strcspn(row, "\n");
	return row;
}

TEST(doc_lists_every_kind)
{
	char *doc = read_doc();
	unsigned rows = 0;
	char mod[32];

	CHECK(doc != NULL);
	for (unsigned k = 0; k < STEP__COUNT; k++) {
		const struct step_info *info = program_step_info(k);
		size_t len;
		const char *row = find_row(doc, info->name, &len);
		char word[64];

		if (!row)
			CHECK_FAIL_("PROGRAM.md has no row for %s", info->name);
		for (unsigned i = 0; i < PROGRAM_MAX_ARGS && info->arg[i].type != ARG_NONE; i++) {
			const char *hit;
			if (info->arg[i].type == ARG_FLAG)
				snprintf(word, sizeof(word), "[%s]", info->arg[i].name);
			else
				snprintf(word, sizeof(word), "%s=<%s>", info->arg[i].name,
					 program_arg_type_info(info->arg[i].type)->name);
			hit = strstr(row, word);
			if (!hit || hit > row + len)
				CHECK_FAIL_("PROGRAM.md row of %s lacks %s", info->name, word);
		}
	}
	/* and no row for a kind that does not exist */
	for (const char *p = strstr(doc, "\n| `"); p; p = strstr(p + 1, "\n| `")) {
		size_t n = strcspn(p + 4, "`");
		unsigned k;
		for (k = 0; k < STEP__COUNT; k++)
			if (strlen(program_step_name(k)) == n && strncmp(p + 4, program_step_name(k), n) == 0)
				break;
		if (k == STEP__COUNT)
			CHECK_FAIL_("PROGRAM.md documents an unknown step \"%.*s\"", (int)n, p + 4);
		rows++;
	}
	CHECK_EQ(rows, STEP__COUNT);
	/* the binary layout names the kind count */
	snprintf(mod, sizeof(mod), "`b mod %u`", (unsigned)STEP__COUNT);
	if (!strstr(doc, mod))
		CHECK_FAIL_("PROGRAM.md binary form lacks %s", mod);
	free(doc);
}

TEST(doc_example_is_canonical)
{
	static struct program p;
	char *doc = read_doc(), *start, *end, *text;
	char err[256];

	CHECK(doc != NULL);
	start = strstr(doc, "```text\n");
	CHECK(start != NULL);
	start += strlen("```text\n");
	end = strstr(start, "```");
	CHECK(end != NULL);
	*end = '\0';
	if (program_parse(start, "PROGRAM.md example", &fx_images, &p, err, sizeof(err)) != 0)
		CHECK_FAIL_("%s", err);
	CHECK(p.nsteps >= 10);
	text = fx_print(&p, &fx_images);
	CHECK(text != NULL);
	CHECK_STR_EQ(text, start);
	free(text);
	free(doc);
}

static const struct test_case cases[] = {
	CASE(doc_lists_every_kind),
	CASE(doc_example_is_canonical),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
