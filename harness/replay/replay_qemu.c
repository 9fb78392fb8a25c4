/* isofuzz replay-qemu FILE...: the command (replay_qemu.h). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/cli_opts.h"
#include "program/pools.h"
#include "program/file/progfile.h"
#include "replay/replay_qemu.h"

#define DEFAULT_IMAGE "build-aarch64/tests/baremetal/isofuzz-hyp.elf"
#define DEFAULT_BATCH 64
#define CONSOLE_TAIL 40

struct scratch {
	char dir[64], in[96], out[96], console[96], plugin[96];
};

static struct replay_options opts; /* what the option table fills */
static const char *target_name;
static int replay_qemu(int argc, char **argv);

static const struct cli_opt replay_opts[] = {
	{ "--image", NULL, CLI_STRING, "ELF", "the bare-metal image ($ISOFUZZ_IMAGE)", .dst = &opts.image },
	{ "--qemu", NULL, CLI_STRING, "PATH", "qemu-system-aarch64 to run", .dst = &opts.qemu },
	{ "--smp", NULL, CLI_UINT, "N", "CPUs of the QEMU machine", .dst = &opts.smp, .min = 2, .max = ARCH_MAX_CPUS },
	{ "--timeout", NULL, CLI_UINT, "SECONDS", "for one QEMU run", .dst = &opts.timeout, .min = 1, .max = 86400 },
	{ "--batch", NULL, CLI_UINT, "N", "programs per QEMU boot", .dst = &opts.batch, .min = 1,
	  .max = REPLAY_MAX_PROGRAMS },
	{ "--plugin", NULL, CLI_STRING, "SO", "a TCG plugin (qemu-plugins/insn_watch.c) to check arch events",
	  .dst = &opts.plugin },
	{ "--coverage", NULL, CLI_STRING, "LOG", "with --plugin: record which EL2 instructions ran, appended to LOG",
	  .dst = &opts.coverage },
	{ "--target", NULL, CLI_STRING, NULL, "the host library's hypervisor (vanilla must differ)", .dst = &target_name,
	  .choices = cli_targets },
	{ "--verbose", "-v", CLI_FLAG, NULL, "print every trace, not only mismatching ones", .dst = &opts.verbose },
};

const struct cli_command cli_replay_qemu_command = {
	"replay-qemu", "FILE...", "Run programs in the bare-metal image under QEMU and compare every step.",
	"One boot per batch of programs, KCore reset between them; each step is compared\n"
	"with the host library.  The image defaults to $ISOFUZZ_IMAGE, else\n" DEFAULT_IMAGE ".\n",
	"0 no mismatch, 1 a mismatch, 2 bad input or usage or QEMU failed", replay_opts, CLI_COUNT(replay_opts), 1,
	~0u, replay_qemu,
};

/* Options, then the program files in files[0..*nfiles).  -1 to go on, or
 * the exit status to end with. */
static int parse(int argc, char **argv, struct replay_options *o, char **files, unsigned *nfiles)
{
	const char *env = getenv("ISOFUZZ_IMAGE");

	opts = (struct replay_options){
		.image = env && *env ? env : DEFAULT_IMAGE,
		.qemu = "qemu-system-aarch64",
		.smp = 4, .timeout = 600, .batch = DEFAULT_BATCH,
	};
	target_name = "kcore";
	int rc = cli_parse(&cli_replay_qemu_command, argc, argv, files, nfiles);
	opts.target = target_by_name(target_name);
	*o = opts;
	if (rc == 0 && o->coverage && !o->plugin) {
		fprintf(stderr, "isofuzz replay-qemu: --coverage needs --plugin\n");
		return CLI_EXIT_BAD;
	}
	return rc < 0 ? CLI_EXIT_BAD : rc > 0 ? CLI_EXIT_CLEAN : -1;
}

static int make_scratch(struct scratch *s)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(s->dir, sizeof(s->dir), "%s/isofuzz-replay-XXXXXX", tmp && strlen(tmp) < 30 ? tmp : "/tmp");
	if (!mkdtemp(s->dir))
		return -1;
	snprintf(s->in, sizeof(s->in), "%s/in", s->dir);
	snprintf(s->out, sizeof(s->out), "%s/out", s->dir);
	snprintf(s->console, sizeof(s->console), "%s/console", s->dir);
	snprintf(s->plugin, sizeof(s->plugin), "%s/plugin", s->dir);
	return 0;
}

static void drop_scratch(const struct scratch *s)
{
	unlink(s->in);
	unlink(s->out);
	unlink(s->console);
	unlink(s->plugin);
	rmdir(s->dir);
}

/* The last lines QEMU printed, for a run that failed. */
static void print_console_tail(const char *path)
{
	static char lines[CONSOLE_TAIL][256];
	unsigned n = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return;
	while (fgets(lines[n % CONSOLE_TAIL], sizeof(lines[0]), f))
		n++;
	fclose(f);
	fprintf(stderr, "replay-qemu: the console's last lines:\n");
	for (unsigned i = n > CONSOLE_TAIL ? n - CONSOLE_TAIL : 0; i < n; i++)
		fprintf(stderr, "  | %s", lines[i % CONSOLE_TAIL]);
}

static int check_layout(const struct image_layout *l)
{
	const struct kcore_boot *b = exec_boot();

	if (!l->have || l->kram_base != b->ram_base_pfn << PAGE_SHIFT ||
	    l->kram_size != b->ram_pages << PAGE_SHIFT ||
	    l->region_base != b->kcore_base_pfn << PAGE_SHIFT ||
	    l->region_size != b->kcore_pages << PAGE_SHIFT || l->mmio_base != b->mmio_base_pfn << PAGE_SHIFT) {
		fprintf(stderr, "replay-qemu: the image's RAM, KCore region or MMIO base differ from the "
				"model's: the same program would mean other pages\n");
		return -1;
	}
	return 0;
}

/* Load files[0..n) into cases, leaving out (and naming) the programs the
 * image cannot run as written; the number loaded, or -1. */
static int load_batch(struct replay_case *cases, char **files, unsigned n,
		      const struct program_pools *pools, struct replay_totals *t)
{
	char err[512], note[256];
	unsigned loaded = 0;

	for (unsigned k = 0; k < n; k++) {
		struct replay_case *c = &cases[loaded];
		c->path = files[k];
		if (progfile_load_noted(files[k], pools, &c->prog, NULL, note, sizeof(note), err, sizeof(err)) != 0) {
			fprintf(stderr, "%s\n", err);
			return -1;
		}
		if (note[0])
			fprintf(stderr, "%s\n", note);
		const char *why = replay_not_applicable(&c->prog);
		if (why) {
			printf("n/a %s: not applicable in the image: %s\n", c->path, why);
			t->not_applicable++;
			continue;
		}
		replay_case_prepare(c);
		loaded++;
	}
	return (int)loaded;
}

/* One QEMU boot for cases[0..n); 0, 1 (a mismatch) or 2. */
static int run_batch(const struct replay_options *o, struct replay_case *cases, unsigned n,
		     struct replay_totals *t)
{
	struct scratch s;
	struct image_layout layout;
	char err[256];
	int status = 0;

	if (make_scratch(&s) != 0 || replay_write_input(s.in, cases, n) != 0) {
		fprintf(stderr, "replay-qemu: cannot write the replay input\n");
		return 2;
	}
	if (replay_run_qemu(o, s.in, s.out, s.console, s.plugin) != 0) {
		print_console_tail(s.console);
		status = 2;
	} else if (replay_read_output(s.out, cases, n, &layout, err, sizeof(err)) != 0) {
		fprintf(stderr, "replay-qemu: %s\n", err);
		status = 2;
	} else if (check_layout(&layout) != 0) {
		status = 2;
	} else {
		for (unsigned k = 0; k < n; k++)
			if (!replay_compare(stdout, &cases[k], &layout, o->verbose, t))
				status = 1;
		if (o->plugin && !o->coverage && !replay_check_plugin(stdout, s.plugin, cases, n, &layout))
			status = 1;
	}
	drop_scratch(&s);
	return status;
}

static int replay_qemu(int argc, char **argv)
{
	struct replay_options o;
	struct replay_totals t = { 0 };
	struct program_pools pools;
	unsigned nfiles;
	char **files = calloc((size_t)argc + 1, sizeof(*files));
	int status = 0;

	int rc = files ? parse(argc, argv, &o, files, &nfiles) : CLI_EXIT_BAD;
	if (rc >= 0) {
		free(files);
		return rc;
	}
	/* What each step observes is all that is compared: the oracles are
	 * `isofuzz repro`'s business, and their event stream is counted here
	 * instead. */
	struct exec_options eo = { .target = o.target, .oracles = 0 };
	struct replay_case *cases = calloc(o.batch, sizeof(*cases));
	if (!cases || exec_setup(&eo) != 0) {
		fprintf(stderr, "isofuzz replay-qemu: cannot set up the machine model\n");
		free(files);
		free(cases);
		return 2;
	}
	replay_count_events();
	program_pools_init(&pools, exec_boot());
	for (unsigned first = 0; first < nfiles && status != 2; first += o.batch) {
		unsigned n = nfiles - first < o.batch ? nfiles - first : o.batch;
		int loaded = load_batch(cases, files + first, n, &pools, &t);
		if (loaded < 0) {
			status = 2;
			break;
		}
		int s = loaded ? run_batch(&o, cases, (unsigned)loaded, &t) : 0;
		if (s > status)
			status = s;
	}
	printf("replay-qemu: %u programs, %u steps: %u match, %u mismatch, %u cache-dependent, "
	       "%u device (not compared), %u fetch (read in the image, not compared), %u not compared, "
	       "%u not run, %u machine events skipped; "
	       "%u programs not applicable\n",
	       t.programs, t.steps, t.matched, t.mismatched, t.cache_dependent, t.device, t.fetch_as_read, t.not_compared,
	       t.not_run, t.skipped, t.not_applicable);
	exec_teardown();
	free(cases);
	free(files);
	return status;
}
