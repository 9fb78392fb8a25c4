/* The target and oracles a program was found with, read from the files a
 * campaign writes around it (campaign.h): a finding's repro.txt holds the
 * command that reproduces it, a campaign's state its configuration. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

struct found {
	char *target, *oracles;
	size_t tcap, ocap;
	bool have_target, have_oracles;
};

static void keep(char *dst, size_t cap, const char *v, bool *have)
{
	snprintf(dst, cap, "%s", v);
	*have = true;
}

/* The directory part of path ("." when it has none). */
static void dir_of(const char *path, char *buf, size_t n)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		snprintf(buf, n, ".");
	else if (slash == path)
		snprintf(buf, n, "/");
	else
		snprintf(buf, n, "%.*s", (int)(slash - path), path);
}

static const char *base_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* "isofuzz repro --target T --oracles L FILE": the words after the options. */
static void from_repro_line(char *line, struct found *f)
{
	char *save = NULL, *prev = NULL;
	for (char *w = strtok_r(line, " \t\n", &save); w; prev = w, w = strtok_r(NULL, " \t\n", &save)) {
		if (prev && !strcmp(prev, "--target"))
			keep(f->target, f->tcap, w, &f->have_target);
		else if (prev && !strcmp(prev, "--oracles"))
			keep(f->oracles, f->ocap, w, &f->have_oracles);
		else if (!strncmp(w, "--target=", 9))
			keep(f->target, f->tcap, w + 9, &f->have_target);
		else if (!strncmp(w, "--oracles=", 10))
			keep(f->oracles, f->ocap, w + 10, &f->have_oracles);
	}
}

/* "key value" lines of a campaign's state. */
static void from_state(FILE *in, struct found *f)
{
	char key[64], val[256];
	while (fscanf(in, "%63s %255s", key, val) == 2) {
		if (!strcmp(key, "target"))
			keep(f->target, f->tcap, val, &f->have_target);
		else if (!strcmp(key, "oracles"))
			keep(f->oracles, f->ocap, val, &f->have_oracles);
	}
}

static bool try_file(const char *path, bool repro, struct found *f)
{
	FILE *in = fopen(path, "r");
	if (!in)
		return false;
	if (repro) {
		char line[8192];
		if (fgets(line, sizeof(line), in))
			from_repro_line(line, f);
	} else {
		from_state(in, f);
	}
	fclose(in);
	return f->have_target;
}

int cli_finding_config(const char *file, char *target, size_t tcap, char *oracles, size_t ocap, char *from,
		       size_t fcap)
{
	struct found f = { .target = target, .tcap = tcap, .oracles = oracles, .ocap = ocap };
	char dir[4096];
	dir_of(file, dir, sizeof(dir));
	snprintf(oracles, ocap, "all");
	snprintf(from, fcap, "%s/repro.txt", dir);
	if (try_file(from, true, &f))
		return 1;
	/* OUT/crashes/crash-* (libFuzzer), OUT/afl/NAME/crashes/id:* (AFL++) */
	if (strcmp(base_of(dir), "crashes") != 0)
		return 0;
	snprintf(from, fcap, "%s/../state", dir);
	if (try_file(from, false, &f))
		return 1;
	snprintf(from, fcap, "%s/../../../state", dir);
	return try_file(from, false, &f) ? 1 : 0;
}
