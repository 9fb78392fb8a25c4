/* Findings from the sanitizer re-run: each input the ASan+UBSan build
 * reported on (DIR/sanitizer/NAME with NAME.txt), one finding per kind of
 * report and source site, written like the oracles' findings with the
 * report in place of the trace. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "campaign/campaign.h"
#include "engines/fuzz_one.h"
#include "program/file/progfile.h"

#define MAX_SITES 64

struct san_finding {
	char site[128];
	char input[CAMPAIGN_PATH_MAX];
	unsigned inputs;
};

/* "SUMMARY: AddressSanitizer: heap-buffer-overflow /x/hyp/kcore/a.c:12:5 in f"
 * gives "heap-buffer-overflow.a.c:12"; "/x/y/b.c:40:7: runtime error:
 * signed integer overflow: ..." gives "signed-integer-overflow.b.c:40". */
static void site_of(const char *report, char *buf, size_t n)
{
	const char *ub = strstr(report, "runtime error: ");
	const char *asan = strstr(report, "SUMMARY: AddressSanitizer: ");
	char kind[64] = "sanitizer", where[64] = "unknown";
	size_t k = 0;
	if (ub) {
		const char *line = ub;
		while (line > report && line[-1] != '\n')
			line--;
		const char *file = line, *slash;
		while ((slash = strchr(file, '/')) && slash < ub)
			file = slash + 1;
		snprintf(where, sizeof(where), "%.*s", (int)strcspn(file, " "), file);
		char *second = strchr(strchr(where, ':') ? strchr(where, ':') + 1 : where, ':');
		if (second)
			*second = '\0';
		for (const char *p = ub + 15; *p && *p != ':' && *p != '\n' && k + 1 < sizeof(kind); p++)
			kind[k++] = isalnum((unsigned char)*p) ? (char)tolower((unsigned char)*p) : '-';
		kind[k] = '\0';
	} else if (asan) {
		const char *p = asan + 27;
		k = strcspn(p, " \n");
		snprintf(kind, sizeof(kind), "%.*s", (int)k, p);
		const char *file = p + k + strspn(p + k, " "), *end = file + strcspn(file, " \n"), *slash;
		while ((slash = memchr(file, '/', (size_t)(end - file))))
			file = slash + 1;
		snprintf(where, sizeof(where), "%.*s", (int)(end - file), file);
		char *second = strchr(strchr(where, ':') ? strchr(where, ':') + 1 : where, ':');
		if (second)
			*second = '\0';
	}
	snprintf(buf, n, "%s.%s", kind, where);
}

static int read_report(const char *path, char *buf, size_t n)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	size_t got = fread(buf, 1, n - 1, f);
	buf[got] = '\0';
	fclose(f);
	return 0;
}

static void write_one(const struct campaign_config *cfg, const struct san_finding *f, const char *report,
		      FILE *tsv)
{
	static struct program p;
	char dir[CAMPAIGN_PATH_MAX], path[CAMPAIGN_PATH_MAX + 32], err[256];
	snprintf(dir, sizeof(dir), "%s/findings/sanitizer/%s", cfg->out, f->site);
	if (campaign_mkdirs(dir) != 0 || progfile_load(f->input, fuzz_pools(), &p, NULL, err, sizeof(err)) != 0)
		return;
	snprintf(path, sizeof(path), "%s/program.txt", dir);
	progfile_save(path, fuzz_pools(), &p, true);
	snprintf(path, sizeof(path), "%s/sanitizer.txt", dir);
	FILE *r = fopen(path, "w");
	if (r) {
		fputs(report, r);
		fclose(r);
	}
	char repro[CAMPAIGN_PATH_MAX * 2];
	snprintf(repro, sizeof(repro), "ISOFUZZ_TARGET=%s ISOFUZZ_ORACLES=%s %s %s", cfg->target, cfg->oracles,
		 cfg->recheck ? cfg->recheck : "ASAN-BUILD/harness/isofuzz-libfuzzer", f->input);
	snprintf(path, sizeof(path), "%s/repro.txt", dir);
	if ((r = fopen(path, "w"))) {
		fprintf(r, "%s\n", repro);
		fclose(r);
	}
	fprintf(tsv, "sanitizer\t%s\tasan+ubsan\t%u\t%u\t%u\t%s\t%s\t%s\t%s\n", f->site, f->inputs, p.nsteps,
		p.nsteps, f->input, dir, repro, campaign_build_name(cfg->recheck));
	printf("finding: sanitizer report %s\n  repro: %s\n", f->site, repro);
}

int campaign_sanitizer_findings(const struct campaign_config *cfg, FILE *tsv)
{
	static struct san_finding f[MAX_SITES];
	static char report[65536];
	char dir[CAMPAIGN_PATH_MAX];
	unsigned n = 0;
	snprintf(dir, sizeof(dir), "%s/sanitizer", cfg->dir);
	char **names = campaign_list(dir, "");
	for (char **e = names; e && *e; e++) {
		char input[CAMPAIGN_PATH_MAX], txt[CAMPAIGN_PATH_MAX + 8], site[128];
		size_t len = strlen(*e);
		if (len > 4 && !strcmp(*e + len - 4, ".txt"))
			continue;
		if (!campaign_join(input, sizeof(input), dir, *e))
			continue;
		snprintf(txt, sizeof(txt), "%s.txt", input);
		if (read_report(txt, report, sizeof(report)) != 0)
			continue;
		site_of(report, site, sizeof(site));
		unsigned i = 0;
		while (i < n && strcmp(f[i].site, site))
			i++;
		if (i == n && n < MAX_SITES) {
			snprintf(f[n].site, sizeof(f[n].site), "%s", site);
			snprintf(f[n].input, sizeof(f[n].input), "%s", input);
			f[n++].inputs = 0;
		}
		if (i < n)
			f[i].inputs++;
	}
	campaign_free_names(names);
	for (unsigned i = 0; i < n; i++) {
		char txt[CAMPAIGN_PATH_MAX + 8];
		snprintf(txt, sizeof(txt), "%s.txt", f[i].input);
		if (read_report(txt, report, sizeof(report)) == 0)
			write_one(cfg, &f[i], report, tsv);
	}
	return (int)n;
}

const char *campaign_build_name(const char *binary)
{
	static char name[2][256];
	static unsigned which;
	char *out = name[which++ % 2];
	if (!binary) {
		snprintf(out, sizeof(name[0]), "-");
		return out;
	}
	/* BUILD/harness/isofuzz-ENGINE: the build directory's name */
	const char *end = strrchr(binary, '/');
	const char *start = end;
	while (start && start > binary && start[-1] != '/')
		start--;
	if (!end || start == binary || start == end) {
		snprintf(out, sizeof(name[0]), "%s", binary);
		return out;
	}
	const char *b_end = start - 1, *b = b_end;
	while (b > binary && b[-1] != '/')
		b--;
	snprintf(out, sizeof(name[0]), "%.*s", (int)(b_end - b), b);
	return out;
}
