/* The replay's input and output files (replay_qemu_wire.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "replay/replay_qemu.h"
#include "sim/machine.h"

static int put(FILE *f, uint64_t w)
{
	uint8_t b[8];

	for (unsigned i = 0; i < 8; i++)
		b[i] = (uint8_t)(w >> (8 * i));
	return fwrite(b, 1, 8, f) == 8 ? 0 : -1;
}

_Static_assert(PROGRAM_NCAPS == REPLAY_NCAPS, "one byte of the caps word per capacity");
_Static_assert(KCORE_MAX_VMIDS <= 0xff && KCORE_VM_POOL_PAGES <= 0xff && KCORE_SMMU_POOL_PAGES <= 0xff &&
		       KCORE_KSERV_POOL_PAGES <= 0xff && KCORE_MAX_SHARE <= 0xff,
	       "every capacity fits its byte of the caps word");

static uint64_t caps_word(const struct kcore_caps *caps)
{
	uint32_t cap[REPLAY_NCAPS];

	for (unsigned i = 0; i < REPLAY_NCAPS; i++)
		cap[i] = program_cap_get(caps, i);
	return replay_caps_word(cap);
}

int replay_write_input(const char *path, struct replay_case *cases, unsigned n)
{
	FILE *f = fopen(path, "wb");
	int bad = 0;

	if (!f)
		return -1;
	bad |= put(f, REPLAY_IN_MAGIC) | put(f, n);
	for (unsigned k = 0; k < n; k++) {
		const struct replay_case *c = &cases[k];
		bad |= put(f, replay_program_word(c->run.ncpus, c->norder, k));
		bad |= put(f, caps_word(&c->run.caps));
		for (unsigned j = 0; j < c->norder; j++) {
			unsigned i = c->order[j];
			const struct program_step *s = &c->run.step[i];
			bad |= put(f, replay_step_word(s->kind, s->cpu, i));
			for (unsigned a = 0; a < PROGRAM_MAX_ARGS; a++)
				bad |= put(f, s->arg[a]);
		}
	}
	if (fclose(f) != 0)
		bad = -1;
	return bad ? -1 : 0;
}

static int get(FILE *f, uint64_t *w)
{
	uint8_t b[8];

	if (fread(b, 1, 8, f) != 8)
		return -1;
	*w = 0;
	for (unsigned i = 0; i < 8; i++)
		*w |= (uint64_t)b[i] << (8 * i);
	return 0;
}

static int to_sim_fault(unsigned f)
{
	switch (f) {
	case REPLAY_FAULT_NONE: return SIM_OK;
	case REPLAY_FAULT_TRANSLATION: return SIM_FAULT_TRANSLATION;
	case REPLAY_FAULT_ACCESS_FLAG: return SIM_FAULT_ACCESS_FLAG;
	case REPLAY_FAULT_PERMISSION: return SIM_FAULT_PERMISSION;
	case REPLAY_FAULT_ADDRESS: return SIM_FAULT_ADDRESS;
	case REPLAY_FAULT_EXTERNAL: return SIM_FAULT_EXTERNAL;
	default: return -1;
	}
}

static void take_info(struct image_layout *l, unsigned key, uint64_t a, uint64_t b)
{
	l->have = true;
	switch (key) {
	case REPLAY_INFO_KCORE_RAM: l->kram_base = a; l->kram_size = b; break;
	case REPLAY_INFO_KCORE_REGION: l->region_base = a; l->region_size = b; break;
	case REPLAY_INFO_MMIO: l->mmio_base = a; l->mmio_size = b; break;
	case REPLAY_INFO_HOST: l->host_base = a; l->host_size = b; break;
	case REPLAY_INFO_CPUS: l->cpus = (unsigned)a; l->workers = (unsigned)b; break;
	default: break;
	}
}

static int take_step(struct replay_case *c, const uint64_t w[3], char *err, size_t errcap)
{
	unsigned i = replay_rec_step(w[0]);

	if (i >= c->run.nsteps || c->img[i].have) {
		snprintf(err, errcap, "the image reported step %u of %s twice or out of range", i, c->path);
		return -1;
	}
	struct image_obs *o = &c->img[i];
	o->have = true;
	o->image_cpu = replay_rec_cpu(w[0]);
	o->obs = (struct step_obs){
		.status = (uint8_t)replay_rec_status(w[0]),
		.cpu = (uint8_t)c->run.step[i].cpu,
		.fault = to_sim_fault(replay_rec_fault(w[0])),
		.ret = (int64_t)w[1],
		.val = w[2],
	};
	return 0;
}

static int take(const uint64_t w[3], struct replay_case *cases, unsigned n, struct image_layout *l,
		char *err, size_t errcap)
{
	unsigned tag = replay_rec_tag(w[0]), k = replay_rec_program(w[0]);

	if (tag == REPLAY_REC_INFO) {
		take_info(l, (unsigned)(w[0] >> 8) & 0xff, w[1], w[2]);
		return 0;
	}
	if (tag == REPLAY_REC_DONE)
		return 0;
	if (k >= n) {
		snprintf(err, errcap, "the image reported program %u of %u", k, n);
		return -1;
	}
	struct replay_case *c = &cases[k];
	switch (tag) {
	case REPLAY_REC_START: c->started = true; return 0;
	case REPLAY_REC_END: c->ended = true; return 0;
	case REPLAY_REC_STEP: return take_step(c, w, err, errcap);
	case REPLAY_REC_STOP:
		c->stopped = true;
		c->stop_step = replay_rec_step(w[0]);
		c->stop_reason = (unsigned)w[1];
		c->stop_detail = w[2];
		return 0;
	default:
		snprintf(err, errcap, "the image wrote a record of unknown kind %u", tag);
		return -1;
	}
}

int replay_read_output(const char *path, struct replay_case *cases, unsigned n,
		       struct image_layout *layout, char *err, size_t errcap)
{
	FILE *f = fopen(path, "rb");
	uint64_t w[3];

	memset(layout, 0, sizeof(*layout));
	if (!f) {
		snprintf(err, errcap, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (get(f, &w[0]) == 0) {
		if (get(f, &w[1]) != 0 || get(f, &w[2]) != 0) {
			snprintf(err, errcap, "%s: a record is cut short", path);
			fclose(f);
			return -1;
		}
		if (take(w, cases, n, layout, err, errcap) != 0) {
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	return 0;
}
