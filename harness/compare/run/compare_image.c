/* KCore's image under compare (compare_image.h).
 *
 * The image brackets each replayed program with the plugin's window
 * marks, so one program is one window.  An operation's EL2 cost is the
 * difference between a program that does it and one that does the same
 * without it, both starting from the same state:
 *
 *   hvc           a guest hypercall KCore refuses (revoke of a page never
 *                 granted) against a guest read of a mapped page: the
 *                 same guest command, plus the trap to EL2 and back
 *   stage2_fault  KServ's first read of a page (KCore maps it into
 *                 KServ's stage-2 on the fault) against no step
 *   mmio_exit     a guest read of an IPA with nothing mapped (a stage-2
 *                 abort EL2 reports and returns from) against a read of
 *                 a mapped page
 *   map_page      map_vm_page against no step
 *   vm_create     register_vm against no step
 *   vm_destroy    clear_vm of a powered-off VM against no step
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compare/run/compare_image.h"
#include "compare/compare_views.h"
#include "program/file/progfile.h"
#include "replay/replay_qemu.h"
#include "program/text/text.h"

#define DEFAULT_IMAGE "build-aarch64/tests/baremetal/isofuzz-hyp.elf"

void image_cost_defaults(struct image_cost_options *o)
{
	const char *env = getenv("ISOFUZZ_IMAGE");
	*o = (struct image_cost_options){ .image = env && *env ? env : DEFAULT_IMAGE,
					  .qemu = "qemu-system-aarch64", .timeout = 900 };
}

bool image_available(const struct image_cost_options *o)
{
	return o->image && access(o->image, R_OK) == 0;
}

/* One boot for cases[0..n); the plugin in el2 mode with log, if given. */
static int boot(const struct image_cost_options *o, struct replay_case *cases, unsigned n, const char *log,
		struct image_layout *layout, char *err, size_t errcap)
{
	char dir[] = "/tmp/isofuzz-kcore-XXXXXX", in[64], out[64], console[64], plugin[1024];
	if (!mkdtemp(dir)) {
		snprintf(err, errcap, "cannot make a scratch directory");
		return -1;
	}
	snprintf(in, sizeof(in), "%s/in", dir);
	snprintf(out, sizeof(out), "%s/out", dir);
	snprintf(console, sizeof(console), "%s/console", dir);
	snprintf(plugin, sizeof(plugin), "%s,mode=el2", o->plugin ? o->plugin : "");
	struct replay_options ro = {
		.target = &target_kcore, .image = o->image, .qemu = o->qemu, .smp = 4, .timeout = o->timeout,
		.batch = n, .plugin = log ? plugin : NULL, .icount = true,
	};
	int rc = -1;
	if (replay_write_input(in, cases, n) != 0)
		snprintf(err, errcap, "cannot write the replay input");
	else if (replay_run_qemu(&ro, in, out, console, log ? log : "/dev/null") != 0)
		snprintf(err, errcap, "the image did not finish (console kept in %s)", console);
	else if (replay_read_output(out, cases, n, layout, err, errcap) == 0)
		rc = 0;
	unlink(in);
	unlink(out);
	if (rc == 0) {
		unlink(console);
		rmdir(dir);
	}
	return rc;
}

static void image_views(const struct replay_case *c, struct target_run *t)
{
	memset(t, 0, sizeof(*t));
	for (unsigned i = 0; i < c->run.nsteps; i++) {
		const struct image_obs *io = &c->img[i];
		if (io->have)
			t->view[c->orig[i]] = (struct step_view){
				.ran = io->obs.status == OBS_DONE, .ok = io->obs.ret >= 0, .fault = io->obs.fault > 0,
				.val = io->obs.val,
			};
	}
	for (unsigned j = 0; j < c->norder; j++)
		t->order[t->n++] = c->orig[c->order[j]];
	outcome_judge(&c->prog, t->view, t->order, t->n, &t->out);
}

int image_outcomes(const struct image_cost_options *o, const struct program *const *progs, unsigned n,
		   struct outcome *out, bool *have, char *err, size_t errcap)
{
	struct replay_case *cases = calloc(n ? n : 1, sizeof(*cases));
	struct image_layout layout;
	static struct target_run t;

	if (!cases)
		return -1;
	replay_count_events();
	for (unsigned k = 0; k < n; k++) {
		cases[k].prog = *progs[k];
		replay_case_prepare(&cases[k]);
	}
	int rc = boot(o, cases, n, NULL, &layout, err, errcap);
	for (unsigned k = 0; rc == 0 && k < n; k++) {
		/* A program the image cannot run as written has no image outcome. */
		have[k] = cases[k].ended && !cases[k].stopped && !replay_not_applicable(&cases[k].prog);
		image_views(&cases[k], &t);
		out[k] = t.out;
	}
	free(cases);
	return rc;
}

#define VM_READY_TEXT \
	"cpu0 register_vm\ncpu0 register_vcpu vm=1 vcpu=0\n" \
	"cpu0 set_boot_info vm=1 gpa=0x80000000 npages=1\n" \
	"cpu0 kserv_load img=tiny idx=0 pfn=0x400e0\ncpu0 remap_vm_image vm=1 pfn=0x400e0 idx=0\n" \
	"cpu0 verify_vm_image vm=1\n"
#define VM_RUNNING_TEXT VM_READY_TEXT "cpu0 map_vm_page vm=1 gfn=0x80001 pfn=0x400e1\ncpu0 vcpu_run vm=1 vcpu=0\n"
#define CONFIG_TEXT "config cpus=1\n"

/* Each operation: the program with it, the program without it. */
static const struct { enum el2_op op; const char *with, *without; } pairs[] = {
	{ EL2_HVC, CONFIG_TEXT VM_RUNNING_TEXT "cpu0 guest_revoke gfn=0x80001\ncpu0 guest_exit\n",
	  CONFIG_TEXT VM_RUNNING_TEXT "cpu0 guest_read gfn=0x80001 off=0x0\ncpu0 guest_exit\n" },
	{ EL2_STAGE2_FAULT, CONFIG_TEXT "cpu0 kserv_read pa=0x400e3000\n", CONFIG_TEXT },
	{ EL2_MMIO_EXIT, CONFIG_TEXT VM_RUNNING_TEXT "cpu0 guest_read gfn=0x80005 off=0x0\ncpu0 guest_exit\n",
	  CONFIG_TEXT VM_RUNNING_TEXT "cpu0 guest_read gfn=0x80001 off=0x0\ncpu0 guest_exit\n" },
	{ EL2_MAP_PAGE, CONFIG_TEXT VM_READY_TEXT "cpu0 map_vm_page vm=1 gfn=0x80001 pfn=0x400e1\n",
	  CONFIG_TEXT VM_READY_TEXT },
	{ EL2_VM_CREATE, CONFIG_TEXT "cpu0 register_vm\n", CONFIG_TEXT },
	{ EL2_VM_DESTROY, CONFIG_TEXT VM_RUNNING_TEXT "cpu0 guest_power_off\ncpu0 clear_vm vm=1\n",
	  CONFIG_TEXT VM_RUNNING_TEXT "cpu0 guest_power_off\n" },
};
#define NPAIRS (sizeof(pairs) / sizeof(pairs[0]))

static int read_windows(const char *log, uint64_t *w, unsigned cap, unsigned *n)
{
	FILE *f = fopen(log, "r");
	char line[256];
	unsigned id;
	unsigned long long insns;

	*n = 0;
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "el2 window %u insns=%llu", &id, &insns) == 2 && *n < cap)
			w[(*n)++] = insns;
	fclose(f);
	return 0;
}

int image_costs(const struct image_cost_options *o, unsigned rounds, struct el2_cost *cost, char *err,
		size_t errcap)
{
	unsigned n = 2 * NPAIRS * rounds, nw = 0;
	struct replay_case *cases = calloc(n, sizeof(*cases));
	struct image_layout layout;
	char log[] = "/tmp/isofuzz-kcore-el2-XXXXXX";
	uint64_t w[2 * NPAIRS * 8];
	int rc = -1, fd = -1;

	for (unsigned k = 0; k < EL2__OPS; k++)
		cost[k] = (struct el2_cost){ .stable = true };
	if (!cases || !o->plugin || rounds > 8 || (fd = mkstemp(log)) < 0) {
		snprintf(err, errcap, "no plugin or no scratch file");
		free(cases);
		return -1;
	}
	close(fd);
	replay_count_events();
	for (unsigned k = 0; k < n; k++) {
		const char *text = k % 2 ? pairs[(k / 2) % NPAIRS].without : pairs[(k / 2) % NPAIRS].with;
		if (program_parse(text, "el2-cost", progfile_images(), &cases[k].prog, err, errcap) != 0)
			goto out;
		replay_case_prepare(&cases[k]);
	}
	if (boot(o, cases, n, log, &layout, err, errcap) != 0 || read_windows(log, w, n, &nw) != 0)
		goto out;
	if (nw != n) {
		snprintf(err, errcap, "%u EL2 windows for %u programs", nw, n);
		goto out;
	}
	for (unsigned k = 0; k < n; k += 2) {
		el2_cost_add(&cost[pairs[(k / 2) % NPAIRS].op], w[k] >= w[k + 1] ? w[k] - w[k + 1] : 0);
	}
	rc = 0;
out:
	unlink(log);
	free(cases);
	return rc;
}
