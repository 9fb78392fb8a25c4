/* Every exhaustion, limit and rollover path of KCore is reached by some
 * program of the corpus.  The paths are not listed here: they are read
 * from the contract (hyp/inc/hyp/kcore.h), every operation whose checks
 * name E_NOMEM, E_VM_LIMIT or E_SHARE_LIMIT, and the VMID rollover
 * register_vm describes; the count of such returns in KCore's sources
 * must match, so a new site without a contract line fails here too.  A
 * path counts as reached when a corpus program's step of that operation
 * returns the error, and a rollover when a program registers more VMs
 * than its layout has VMIDs (none is reused before a rollover). */
#include <dirent.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "program/binary/binary.h"
#include "harness_fixture.h"
#include "program/mutator/mutator.h"

/* Mutations tried from each seed before a path counts as out of reach. */
#define MUTATIONS_PER_SEED 1500

#define MAX_PATHS 32
static const char *const limit_errs[] = { "E_NOMEM", "E_VM_LIMIT", "E_SHARE_LIMIT" };
#define NERRS (sizeof(limit_errs) / sizeof(limit_errs[0]))

struct path {
	unsigned kind;  /* the step kind of the operation */
	unsigned err;   /* index in limit_errs */
	bool reached;
};

static struct path paths[MAX_PATHS];
static unsigned npaths;
static bool rollover_in_contract, rollover_reached;
static struct program prog;
static struct exec_result r;

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		CHECK_FAIL_("cannot read %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	CHECK(buf && fread(buf, 1, (size_t)n, f) == (size_t)n);
	buf[n] = 0;
	fclose(f);
	return buf;
}

/* "HVC_MAP_VM_PAGE" -> map_vm_page, "GHVC_GRANT" -> guest_grant. */
static unsigned kind_of(const char *op, size_t len)
{
	char name[64] = "";
	size_t at = 0, skip = 4;

	if (strncmp(op, "GHVC_", 5) == 0)
		at = (size_t)snprintf(name, sizeof(name), "guest_"), skip = 5;
	for (size_t i = skip; i < len && at + 1 < sizeof(name); i++)
		name[at++] = (char)tolower((unsigned char)op[i]);
	name[at] = 0;
	for (unsigned k = 0; k < STEP__COUNT; k++)
		if (strcmp(program_step_name(k), name) == 0)
			return k;
	CHECK_FAIL_("no step kind for %.*s", (int)len, op);
}

static void add_paths(const char *doc, size_t doclen, unsigned kind)
{
	for (unsigned e = 0; e < NERRS; e++) {
		const char *hit = doc;
		size_t n = strlen(limit_errs[e]);
		for (; (hit = strstr(hit, limit_errs[e])) && hit < doc + doclen; hit += n)
			if (!isalnum((unsigned char)hit[n]) && hit[n] != '_') {
				CHECK(npaths < MAX_PATHS);
				paths[npaths++] = (struct path){ kind, e, false };
				break;
			}
	}
}

/* Each operation's documentation is the comment text before its
 * enumerator (or, for KServ's faults, its prototype). */
static void read_contract(void)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/hyp/inc/hyp/kcore.h", SOURCE_ROOT);
	char *text = slurp(path), *doc = text;

	for (char *line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		char *s = line;
		while (*s == ' ' || *s == '\t')
			s++;
		size_t len = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789");
		bool op = (strncmp(s, "HVC_", 4) == 0 || strncmp(s, "GHVC_", 5) == 0) && len > 5 &&
			  strncmp(s, "HVC__END", 8) != 0 && strncmp(s, "GHVC__END", 9) != 0;
		if (op) {
			unsigned kind = kind_of(s, len);
			add_paths(doc, (size_t)(s - doc), kind);
			const char *roll = strstr(doc, "rollover");
			if (kind == STEP_REGISTER_VM && roll && roll < s)
				rollover_in_contract = true;
			doc = s + len;
		} else if (strstr(s, "int64_t kcore_kserv_fault(") == s) {
			add_paths(doc, (size_t)(s - doc), STEP_KSERV_FAULT);
			doc = s;
		} else if (strncmp(s, "enum ", 5) == 0 || strncmp(s, "struct ", 7) == 0) {
			doc = s;
		}
	}
	free(text);
}

/* Lines of the .c files under dir, at any depth, that contain needle. */
static unsigned sites_under(const char *dir, const char *needle)
{
	char path[1400];
	unsigned n = 0;
	struct dirent *e;
	struct stat st;

	DIR *d = opendir(dir);
	CHECK(d != NULL);
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		CHECK(stat(path, &st) == 0);
		if (S_ISDIR(st.st_mode)) {
			n += sites_under(path, needle);
			continue;
		}
		if (len < 3 || strcmp(e->d_name + len - 2, ".c") != 0)
			continue;
		char *text = slurp(path);
		for (char *hit = text; (hit = strstr(hit, needle)) != NULL; hit++)
			n++;
		free(text);
	}
	closedir(d);
	return n;
}

/* Lines of KCore's sources (hyp/kcore and its folders) that return err. */
static unsigned sites_in_kcore(const char *err)
{
	char dir[1024], needle[64];

	snprintf(needle, sizeof(needle), "-KCORE_%s;", err);
	snprintf(dir, sizeof(dir), "%s/hyp/kcore", SOURCE_ROOT);
	return sites_under(dir, needle);
}

/* Which paths the run of prog reached: bit p for paths[p], bit npaths
 * for the rollover. */
static uint64_t reached_by(const struct program *q, const struct exec_result *res)
{
	unsigned registered = 0;
	uint64_t got = 0;

	for (unsigned i = 0; i < q->nsteps; i++) {
		if (res->obs[i].status != OBS_DONE)
			continue;
		registered += q->step[i].kind == STEP_REGISTER_VM && res->obs[i].ret > 0;
		for (unsigned p = 0; p < npaths; p++)
			if (paths[p].kind == q->step[i].kind &&
			    strcmp(kcore_err_name(res->obs[i].ret), limit_errs[paths[p].err]) == 0)
				got |= 1ull << p;
	}
	if (registered > kcore_cap(q->caps.vmids, KCORE_MAX_VMIDS))
		got |= 1ull << npaths;
	return got;
}

static void replay(const char *rel)
{
	unsigned registered = 0;

	hf_load(rel, &prog);
	if (exec_run(&prog, &r))
		hf_fail_run("violation on KCore", &prog, &r);
	for (unsigned i = 0; i < prog.nsteps; i++) {
		if (r.obs[i].status != OBS_DONE)
			continue;
		registered += prog.step[i].kind == STEP_REGISTER_VM && r.obs[i].ret > 0;
		for (unsigned p = 0; p < npaths; p++)
			if (paths[p].kind == prog.step[i].kind &&
			    strcmp(kcore_err_name(r.obs[i].ret), limit_errs[paths[p].err]) == 0) {
				if (!paths[p].reached)
					printf("%s %s: %s step %u\n", program_step_name(paths[p].kind),
					       limit_errs[paths[p].err], rel, i);
				paths[p].reached = true;
			}
	}
	if (registered > kcore_cap(prog.caps.vmids, KCORE_MAX_VMIDS)) {
		if (!rollover_reached)
			printf("VMID rollover: %s\n", rel);
		rollover_reached = true;
	}
}

static void replay_dir(const char *sub)
{
	char dir[1024], rel[1400];
	struct dirent *e;

	snprintf(dir, sizeof(dir), "%s/corpus/%s", SOURCE_ROOT, sub);
	DIR *d = opendir(dir);
	CHECK(d != NULL);
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		if (len < 5 || strcmp(e->d_name + len - 4, ".txt") != 0)
			continue;
		snprintf(rel, sizeof(rel), "corpus/%s/%s", sub, e->d_name);
		replay(rel);
	}
	closedir(d);
}

TEST(contract_lists_every_limit_site)
{
	read_contract();
	for (unsigned e = 0; e < NERRS; e++) {
		unsigned ops = 0;
		for (unsigned p = 0; p < npaths; p++)
			ops += paths[p].err == e;
		printf("%s: %u operations in the contract, %u returns in KCore\n", limit_errs[e], ops,
		       sites_in_kcore(limit_errs[e]));
		CHECK(ops > 0);
		CHECK_EQ(ops, sites_in_kcore(limit_errs[e]));
	}
	CHECK(rollover_in_contract);
}

TEST(corpus_reaches_every_limit)
{
	unsigned missing = 0;

	read_contract();
	hf_setup(&target_kcore, ORACLE_ALL);
	replay_dir("seeds");
	replay_dir("regressions");
	replay_dir("limits");
	for (unsigned p = 0; p < npaths; p++)
		if (!paths[p].reached) {
			printf("not reached by the corpus: %s %s\n", program_step_name(paths[p].kind),
			       limit_errs[paths[p].err]);
			missing++;
		}
	if (!rollover_reached)
		printf("not reached by the corpus: VMID rollover\n"), missing++;
	CHECK(npaths >= 6);
	CHECK_EQ(missing, 0u);
	hf_teardown();
}

/* The generator's moves (scenes that fill pools and slots, cycle VMIDs
 * and grant past the limit, and lowered capacities) reach every path from
 * every seed within a bounded number of mutations, on a clean KCore. */
TEST(mutations_reach_every_limit_from_every_seed)
{
	static struct program seed;
	static uint8_t buf[BIN_MAX_SIZE];
	char dir[1024], rel[1300];
	struct dirent *e;
	unsigned missing = 0, seeds = 0;

	read_contract();
	hf_setup(&target_kcore, ORACLE_ALL);
	snprintf(dir, sizeof(dir), "%s/corpus/seeds", SOURCE_ROOT);
	DIR *d = opendir(dir);
	CHECK(d != NULL);
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		uint64_t all = (1ull << (npaths + 1)) - 1, got = 0;
		unsigned m;
		if (len < 5 || strcmp(e->d_name + len - 4, ".txt") != 0)
			continue;
		snprintf(rel, sizeof(rel), "corpus/seeds/%s", e->d_name);
		hf_load(rel, &seed);
		for (m = 0; m < MUTATIONS_PER_SEED && got != all; m++) {
			long n = program_encode(&seed, hf_pools(), buf, sizeof(buf));
			CHECK(n > 0);
			size_t size = mutator_mutate(hf_pools(), buf, (size_t)n, sizeof(buf), seeds * 104729 + m);
			program_decode(buf, size, hf_pools(), &prog);
			if (exec_run(&prog, &r))
				hf_fail_run("violation on KCore", &prog, &r);
			got |= reached_by(&prog, &r);
		}
		printf("%-24s all paths after %u mutations%s\n", e->d_name, m, got == all ? "" : ": NOT");
		for (unsigned p = 0; p <= npaths; p++)
			if (!(got & (1ull << p))) {
				printf("  not reached: %s %s\n", p < npaths ? program_step_name(paths[p].kind) : "VMID",
				       p < npaths ? limit_errs[paths[p].err] : "rollover");
				missing++;
			}
		seeds++;
	}
	closedir(d);
	CHECK(seeds >= 10);
	CHECK_EQ(missing, 0u);
	hf_teardown();
}

static const struct test_case cases[] = {
	CASE(mutations_reach_every_limit_from_every_seed),
	CASE(contract_lists_every_limit_site),
	CASE(corpus_reaches_every_limit),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
