/* Judging each step of a replayed program and printing both traces side
 * by side (replay_qemu.h says what counts as a match). */
#include <inttypes.h>
#include <string.h>

#include "program/file/progfile.h"
#include "replay/replay_qemu.h"
#include "sim/machine.h"
#include "program/text/text.h"

enum verdict {
	V_MATCH,
	V_CACHE,         /* the image agrees with the coherent run only */
	V_MISMATCH,
	V_MISSING,       /* the image should have reported the step and did not */
	V_DEVICE,        /* device memory: not compared */
	V_FETCH,         /* an instruction fetch the image could only read */
	V_NOT_COMPARED,  /* after the image stopped or the layouts part */
	V_NOT_RUN,       /* the host library did not run it either */
};

/* What the comparison knows about one program as it walks it in the
 * order the image ran it. */
struct walk {
	const struct replay_case *c;
	const struct image_layout *l;
	uint64_t cpu_vm[ARCH_MAX_CPUS];
	/* gfns ioremapped into each VM (device memory for its guest) */
	uint64_t mmio_gfn[KCORE_MAX_VMS + 1][16];
	unsigned nmmio[KCORE_MAX_VMS + 1];
	unsigned cut;          /* position in run order from which nothing is compared */
	const char *cut_why;
	char cut_buf[160];
};

static bool in_range(uint64_t a, uint64_t base, uint64_t size)
{
	return a >= base && a - base < size;
}

static const struct kcore_boot *model(void)
{
	return exec_boot();
}

static bool model_mmio(uint64_t pa)
{
	const struct kcore_boot *b = model();
	return in_range(pa >> PAGE_SHIFT, b->mmio_base_pfn, b->mmio_pages);
}

/* A page in the model's MMIO that the image does not offer: KCore answers
 * differently there, and every later step may follow from that. */
static bool names_missing_mmio(const struct walk *w, const struct program_step *s, uint64_t *pa)
{
	const struct step_info *info = program_step_info(s->kind);

	for (unsigned a = 0; a < PROGRAM_MAX_ARGS; a++) {
		uint64_t v = s->arg[a];
		if (info->arg[a].type == ARG_PFN && v < (1ull << (64 - PAGE_SHIFT)))
			v <<= PAGE_SHIFT;
		else if (info->arg[a].type != ARG_PA)
			continue;
		if (model_mmio(v) && !in_range(v, w->l->mmio_base, w->l->mmio_size)) {
			*pa = v;
			return true;
		}
	}
	return false;
}

/* The image's test host cannot fetch from a page without executing what
 * the page holds, so it reads the word instead: a fetch that the stage-2
 * execute permission decides differently from read is not comparable. */
static bool is_fetch(unsigned kind)
{
	return kind == STEP_GUEST_FETCH || kind == STEP_KSERV_FETCH;
}

static bool is_access(unsigned kind)
{
	return kind == STEP_KSERV_READ || kind == STEP_KSERV_WRITE || kind == STEP_KSERV_LOAD ||
	       kind == STEP_GUEST_READ || kind == STEP_GUEST_WRITE;
}

static bool guest_mmio(const struct walk *w, unsigned cpu, uint64_t gfn)
{
	uint64_t vm = w->cpu_vm[cpu];

	for (unsigned i = 0; vm && vm <= KCORE_MAX_VMS && i < w->nmmio[vm]; i++)
		if (w->mmio_gfn[vm][i] == gfn)
			return true;
	return false;
}

static bool is_device(const struct walk *w, const struct program_step *s)
{
	switch (s->kind) {
	case STEP_KSERV_READ:
	case STEP_KSERV_WRITE:
		return model_mmio(s->arg[0]);
	case STEP_KSERV_LOAD:
		return s->arg[2] < (1ull << (64 - PAGE_SHIFT)) && model_mmio(s->arg[2] << PAGE_SHIFT);
	case STEP_GUEST_READ:
	case STEP_GUEST_WRITE:
		return guest_mmio(w, s->cpu, s->arg[0]);
	default:
		return false;
	}
}

/* Follow the coherent run, which the image follows: which VM each CPU
 * runs, what is ioremapped. */
static void follow(struct walk *w, const struct program_step *s, const struct step_obs *o)
{
	uint64_t vm = s->arg[0];

	if (o->status != OBS_DONE || o->ret < 0)
		return;
	switch (s->kind) {
	case STEP_VCPU_RUN: w->cpu_vm[s->cpu] = vm; break;
	case STEP_GUEST_EXIT:
	case STEP_GUEST_POWER_OFF: w->cpu_vm[s->cpu] = 0; break;
	case STEP_IOREMAP:
		if (vm && vm <= KCORE_MAX_VMS && w->nmmio[vm] < 16)
			w->mmio_gfn[vm][w->nmmio[vm]++] = s->arg[1] >> PAGE_SHIFT;
		break;
	case STEP_CLEAR_VM:
		if (vm && vm <= KCORE_MAX_VMS)
			w->nmmio[vm] = 0;
		break;
	case STEP_REGISTER_VM:
		if (o->ret > 0 && o->ret <= KCORE_MAX_VMS)
			w->nmmio[o->ret] = 0;
		break;
	default:
		break;
	}
}

static bool same(const struct step_obs *a, const struct step_obs *b)
{
	return a->status == b->status && a->fault == b->fault && a->ret == b->ret && a->val == b->val;
}

static const char *stop_reason(unsigned r)
{
	switch (r) {
	case REPLAY_STOP_HOST_MEMORY: return "it names the test host's own memory";
	case REPLAY_STOP_NO_CPU: return "every CPU of the image that runs steps is in a guest";
	case REPLAY_STOP_GUEST_CODE: return "no gfn or page for the guest's code in this VM";
	case REPLAY_STOP_GUEST_LEFT: return "the guest left its VM by itself";
	case REPLAY_STOP_BAD_INPUT: return "the image could not read the program";
	default: return "unknown reason";
	}
}

/* Where comparing ends: the image's stop, or a page the layouts disagree
 * on, whichever comes first in run order. */
static void find_cut(struct walk *w)
{
	const struct replay_case *c = w->c;

	w->cut = c->norder;
	w->cut_why = NULL;
	for (unsigned j = 0; j < c->norder; j++) {
		unsigned i = c->order[j];
		uint64_t pa;
		if (c->stopped && c->stop_step == i) {
			w->cut = j;
			snprintf(w->cut_buf, sizeof(w->cut_buf), "%u: the image stopped: %s (%#" PRIx64 ")",
				 c->orig[i], stop_reason(c->stop_reason), c->stop_detail);
			w->cut_why = w->cut_buf;
			return;
		}
		if (names_missing_mmio(w, &c->run.step[i], &pa)) {
			w->cut = j;
			snprintf(w->cut_buf, sizeof(w->cut_buf),
				 "%u: MMIO page %#" PRIx64 " is the model's, not the image's", c->orig[i], pa);
			w->cut_why = w->cut_buf;
			return;
		}
	}
}

static enum verdict judge(struct walk *w, unsigned j)
{
	const struct replay_case *c = w->c;
	unsigned i = c->order[j];
	const struct program_step *s = &c->run.step[i];
	const struct image_obs *im = &c->img[i];
	enum verdict v;

	if (j >= w->cut)
		v = V_NOT_COMPARED;
	else if (!im->have)
		v = V_MISSING;
	else if (is_access(s->kind) && is_device(w, s))
		v = V_DEVICE;
	else if (!same(&im->obs, &c->coherent.obs[i]))
		v = is_fetch(s->kind) ? V_FETCH : V_MISMATCH;
	else
		v = same(&c->ref.obs[i], &c->coherent.obs[i]) ? V_MATCH : V_CACHE;
	follow(w, s, &c->coherent.obs[i]);
	return v;
}

static void format_obs(char *buf, size_t cap, const struct program_step *s, const struct step_obs *o)
{
	const struct step_info *info = program_step_info(s->kind);

	switch (o->status) {
	case OBS_NOT_HOST: snprintf(buf, cap, "not in the host"); return;
	case OBS_NOT_GUEST: snprintf(buf, cap, "no guest running"); return;
	case OBS_NOT_RUN: snprintf(buf, cap, "not run"); return;
	case OBS_DONE: break;
	default: snprintf(buf, cap, "status %u", o->status); return;
	}
	if (info->cls == STEP_CLASS_HOST || info->cls == STEP_CLASS_GUEST_CALL || s->kind == STEP_KSERV_FAULT) {
		if (o->ret < 0)
			snprintf(buf, cap, "%s", kcore_err_name(o->ret));
		else
			snprintf(buf, cap, "OK %#" PRIx64, (uint64_t)o->ret);
	} else if (o->fault != SIM_OK) {
		snprintf(buf, cap, "fault %s", o->fault < 0 ? "(other)" : sim_fault_name(o->fault));
	} else if (s->kind == STEP_GUEST_READ || s->kind == STEP_KSERV_READ || s->kind == STEP_DMA_READ) {
		snprintf(buf, cap, "read %#" PRIx64, o->val);
	} else {
		snprintf(buf, cap, "ok");
	}
}

static const char *verdict_note(enum verdict v)
{
	switch (v) {
	case V_MATCH: return "";
	case V_CACHE: return "cache: the model's caches decide this; QEMU has none";
	case V_MISMATCH: return "<< MISMATCH";
	case V_MISSING: return "<< MISSING from the image";
	case V_DEVICE: return "device memory: not compared";
	case V_FETCH: return "fetch: the image reads instead; not compared";
	case V_NOT_COMPARED: return "not compared";
	case V_NOT_RUN: return "not run by the host library";
	}
	return "";
}

static void count(struct replay_totals *t, enum verdict v)
{
	t->steps++;
	switch (v) {
	case V_MATCH: t->matched++; break;
	case V_CACHE: t->cache_dependent++; break;
	case V_MISMATCH:
	case V_MISSING: t->mismatched++; break;
	case V_DEVICE: t->device++; break;
	case V_FETCH: t->fetch_as_read++; break;
	case V_NOT_COMPARED: t->not_compared++; break;
	case V_NOT_RUN: t->not_run++; break;
	}
}

static void print_trace(FILE *f, const struct replay_case *c, const enum verdict *v)
{
	char step[160], a[48], b[48];
	unsigned next = 0;

	fprintf(f, "  %4s  %-62s %-26s %-26s\n", "step", "", "host library", "image");
	for (unsigned k = 0; k < c->prog.nsteps; k++) {
		program_format_step(step, sizeof(step), &c->prog.step[k], progfile_images());
		if (next >= c->run.nsteps || c->orig[next] != k) {
			fprintf(f, "  %4u  %-62s %-26s %-26s skipped: a machine event\n", k, step, "-", "-");
			continue;
		}
		unsigned i = next++;
		format_obs(a, sizeof(a), &c->run.step[i], &c->ref.obs[i]);
		if (c->img[i].have)
			format_obs(b, sizeof(b), &c->run.step[i], &c->img[i].obs);
		else
			snprintf(b, sizeof(b), "-");
		fprintf(f, "  %4u  %-62s %-26s %-26s %s\n", k, step, a, b, verdict_note(v[i]));
		if (v[i] == V_CACHE) {
			format_obs(a, sizeof(a), &c->run.step[i], &c->coherent.obs[i]);
			fprintf(f, "  %4s  %-62s %-26s\n", "", "  (every access cacheable:)", a);
		}
	}
}

bool replay_compare(FILE *f, const struct replay_case *c, const struct image_layout *layout,
		    bool verbose, struct replay_totals *t)
{
	static struct walk w;
	static enum verdict v[PROGRAM_MAX_STEPS];
	unsigned bad = 0, cache = 0;

	memset(&w, 0, sizeof(w));
	w.c = c;
	w.l = layout;
	for (unsigned i = 0; i < c->run.nsteps; i++)
		v[i] = V_NOT_RUN;
	find_cut(&w);
	for (unsigned j = 0; j < c->norder; j++)
		v[c->order[j]] = judge(&w, j);
	for (unsigned i = 0; i < c->run.nsteps; i++) {
		count(t, v[i]);
		bad += v[i] == V_MISMATCH || v[i] == V_MISSING;
		cache += v[i] == V_CACHE;
	}
	t->skipped += c->nskipped;
	t->programs++;
	if (c->started && !c->ended)
		bad++;
	fprintf(f, "%s %s: %u steps, %u skipped machine events, %u cache-dependent%s%s\n",
		bad ? "MISMATCH" : "ok", c->path, c->prog.nsteps, c->nskipped, cache,
		w.cut_why ? "; comparison ends at step " : "", w.cut_why ? w.cut_why : "");
	if (c->ref.violated)
		fprintf(f, "  the host library found a violation: %s\n", c->ref.v.detail);
	if (c->started && !c->ended)
		fprintf(f, "  the image never finished this program\n");
	if (bad || verbose)
		print_trace(f, c, v);
	return bad == 0;
}
