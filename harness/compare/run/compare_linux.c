/* One boot of Debian's kernel with the VMM for a batch of programs: the
 * VMM's input goes in as a second cpio archive after setup.sh's
 * initramfs, its records come back on the console ("@@ " lines), the
 * plugin's EL2 windows in its log. */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compare/compare.h"
#include "compare/run/compare_boot.h"
#include "guest_image.h"

struct scratch {
	char dir[96], input[128], initrd[128], console[128], plugin[128];
};

static const char *const op_names[EL2__OPS] = {
	"vm_create", "map_page", "hvc", "stage2_fault", "mmio_exit", "unmap_page", "vm_destroy",
};

const char *el2_op_name(enum el2_op op)
{
	return op < EL2__OPS ? op_names[op] : "?";
}

void el2_cost_add(struct el2_cost *c, uint64_t insns)
{
	if (c->have && c->insns != insns)
		c->stable = false;
	if (!c->have) {
		c->insns = c->min = insns;
		c->rounds_hash = 14695981039346656037ull;
	}
	c->min = c->min < insns ? c->min : insns;
	c->max = c->max > insns ? c->max : insns;
	c->rounds_hash = (c->rounds_hash ^ insns) * 1099511628211ull;
	c->have = true;
}

const char *linux_default_dir(void)
{
	const char *env = getenv("ISOFUZZ_LINUX");
	return env && *env ? env : "build/linux";
}

static void write_page(FILE *f, unsigned img, unsigned idx)
{
	static uint8_t page[PAGE_SIZE];

	guest_image_page(img, idx, page);
	fputs("p ", f);
	for (unsigned i = 0; i < PAGE_SIZE; i++)
		fprintf(f, "%02x", page[i]);
	fputc('\n', f);
}

static int write_input(const char *path, const struct kvm_case *cases, unsigned n, unsigned cost_rounds,
		       unsigned residue_pages)
{
	const struct kcore_boot *b = exec_boot();
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fprintf(f, "isofuzz-kvm 1\nram %#" PRIx64 " %" PRIu64 "\n", b->ram_base_pfn, b->ram_pages);
	for (unsigned k = 0; k < n; k++) {
		const struct kvm_case *c = &cases[k];
		fprintf(f, "prog %u\n", k);
		for (unsigned j = 0; j < c->norder; j++) {
			const struct program_step *s = &c->prog.step[c->order[j]];
			fprintf(f, "s %u %u %s %" PRIx64 " %" PRIx64 " %" PRIx64 "\n", c->order[j], s->cpu,
				program_step_info(s->kind)->name, s->arg[0], s->arg[1], s->arg[2]);
			if (s->kind == STEP_KSERV_LOAD)
				write_page(f, s->arg[0] > 255 ? 255 : (unsigned)s->arg[0],
					   s->arg[1] > 255 ? 255 : (unsigned)s->arg[1]);
		}
		fprintf(f, "endprog %u\n", k);
	}
	if (cost_rounds)
		fprintf(f, "cost %u\n", cost_rounds);
	if (residue_pages)
		fprintf(f, "residue %u\n", residue_pages);
	return fclose(f);
}

/* A cpio "newc" archive holding one file, /input, with bytes data. */
static void newc_entry(FILE *f, unsigned ino, unsigned mode, const char *name, const char *data, size_t len)
{
	size_t namesize = strlen(name) + 1;

	fprintf(f, "070701%08x%08x%08x%08x%08x%08x%08zx%08x%08x%08x%08x%08zx%08x", ino, mode, 0u, 0u, 1u, 0u,
		len, 0u, 0u, 0u, 0u, namesize, 0u);
	fwrite(name, 1, namesize, f);
	for (size_t pad = (4 - (110 + namesize) % 4) % 4; pad; pad--)
		fputc(0, f);
	fwrite(data, 1, len, f);
	for (size_t pad = (4 - len % 4) % 4; pad; pad--)
		fputc(0, f);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0) {
		long n = ftell(f);
		buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
		if (buf && (fseek(f, 0, SEEK_SET) != 0 || fread(buf, 1, (size_t)n, f) != (size_t)n)) {
			free(buf);
			buf = NULL;
		} else if (buf) {
			buf[n] = '\0';
			*len = (size_t)n;
		}
	}
	fclose(f);
	return buf;
}

/* setup.sh's initramfs, then an archive with the input. */
static int write_initrd(const char *dir, const struct scratch *s)
{
	char base[512];
	size_t blen, ilen;

	snprintf(base, sizeof(base), "%s/initramfs.cpio", dir);
	char *b = slurp(base, &blen), *in = slurp(s->input, &ilen);
	FILE *f = fopen(s->initrd, "wb");
	int rc = b && in && f ? 0 : -1;
	if (rc == 0) {
		fwrite(b, 1, blen, f);
		for (size_t pad = (4 - blen % 4) % 4; pad; pad--)
			fputc(0, f);
		newc_entry(f, 1, 0100644, "input", in, ilen);
		newc_entry(f, 0, 0, "TRAILER!!!", "", 0);
	}
	if (f && fclose(f) != 0)
		rc = -1;
	free(b);
	free(in);
	return rc;
}

static int make_scratch(struct scratch *s)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(s->dir, sizeof(s->dir), "%s/isofuzz-kvm-XXXXXX", tmp && strlen(tmp) < 60 ? tmp : "/tmp");
	if (!mkdtemp(s->dir))
		return -1;
	snprintf(s->input, sizeof(s->input), "%s/input", s->dir);
	snprintf(s->initrd, sizeof(s->initrd), "%s/initrd.cpio", s->dir);
	snprintf(s->console, sizeof(s->console), "%s/console", s->dir);
	snprintf(s->plugin, sizeof(s->plugin), "%s/el2.log", s->dir);
	return 0;
}

static void drop_scratch(const struct scratch *s)
{
	unlink(s->input);
	unlink(s->initrd);
	unlink(s->console);
	unlink(s->plugin);
	rmdir(s->dir);
}

/* The VMM's records.  Window names go to names[0..*nnames). */
static int read_console(const char *path, struct kvm_case *cases, unsigned n, enum el2_op *names,
			unsigned *nnames, unsigned cap, struct linux_residue *res, char *err, size_t errcap)
{
	FILE *f = fopen(path, "r");
	char line[512], word[64], status;
	unsigned cur = n, idx, id;
	long long ret;
	unsigned long long val;
	int fault;
	bool done = false;

	*nnames = 0;
	if (!f) {
		snprintf(err, errcap, "no console output");
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		const char *r = strstr(line, "@@ ");
		if (!r)
			continue;
		r += 3;
		if (sscanf(r, "prog %u", &id) == 1)
			cur = id < n ? id : n;
		else if (sscanf(r, "endprog %u", &id) == 1 && id < n)
			cases[id].ended = true;
		else if (cur < n && sscanf(r, "o %u %c %lld %llx %d", &idx, &status, &ret, &val, &fault) == 5 &&
			 idx < PROGRAM_MAX_STEPS)
			cases[cur].obs[idx] = (struct kvm_obs){ .have = true, .status = status, .ret = ret,
								.val = val, .fault = fault != 0 };
		else if (sscanf(r, "window %63s", word) == 1 && *nnames < cap) {
			for (unsigned k = 0; k < EL2__OPS; k++)
				if (strcmp(word, op_names[k]) == 0)
					names[(*nnames)++] = (enum el2_op)k;
		} else if (res && sscanf(r, "residue filled %lu words %lu pages %lu scanned_mb %lu", &res->filled,
					 &res->words, &res->pages, &res->scanned_mb) == 4) {
			res->have = true;
		} else if (strncmp(r, "done", 4) == 0)
			done = true;
		else if (strncmp(r, "error", 5) == 0 || strstr(r, " failed")) {
			snprintf(err, errcap, "the VMM says: %.200s", r);
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	if (!done) {
		snprintf(err, errcap, "the VMM did not finish (console: %s)", path);
		return -1;
	}
	return 0;
}

/* Pair the plugin's windows with the VMM's names: per operation the
 * first count, and whether every round agreed. */
static int read_costs(const char *path, const enum el2_op *names, unsigned nnames, struct el2_cost *cost,
		      char *err, size_t errcap)
{
	FILE *f = fopen(path, "r");
	char line[256];
	unsigned w = 0, id;
	unsigned long long insns;

	for (unsigned k = 0; k < EL2__OPS; k++)
		cost[k] = (struct el2_cost){ .stable = true };
	if (!f) {
		snprintf(err, errcap, "no plugin log %s", path);
		return -1;
	}
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "el2 window %u insns=%llu", &id, &insns) == 2 && w < nnames) {
			el2_cost_add(&cost[names[w++]], insns);
		}
	fclose(f);
	if (w != nnames) {
		snprintf(err, errcap, "%u EL2 windows for %u named by the VMM", w, nnames);
		return -1;
	}
	return 0;
}

int linux_run(const struct linux_options *o, enum linux_mode m, struct kvm_case *cases, unsigned n,
	      struct el2_cost *cost, struct linux_residue *residue, char *err, size_t errcap)
{
	struct scratch s;
	enum el2_op names[64 * EL2__OPS];
	unsigned nnames = 0, rounds = cost && o->plugin ? o->cost_rounds : 0;
	int rc = -1;

	if (rounds > 64)
		rounds = 64;
	if (make_scratch(&s) != 0) {
		snprintf(err, errcap, "cannot make a scratch directory");
		return -1;
	}
	if (residue)
		*residue = (struct linux_residue){ 0 };
	if (write_input(s.input, cases, n, rounds, residue ? o->residue_pages : 0) != 0 ||
	    write_initrd(o->dir, &s) != 0)
		snprintf(err, errcap, "cannot write the initramfs (is %s/initramfs.cpio there?)", o->dir);
	else if (linux_boot(o, m, s.initrd, s.console, s.plugin, err, errcap) == 0 &&
		 read_console(s.console, cases, n, names, &nnames, sizeof(names) / sizeof(names[0]), residue, err,
			      errcap) == 0 &&
		 (!rounds || read_costs(s.plugin, names, nnames, cost, err, errcap) == 0))
		rc = 0;
	if (rc == 0) /* else the console stays, for the message */
		drop_scratch(&s);
	return rc;
}
