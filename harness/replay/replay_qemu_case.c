/* The host library's side of a replayed program: the program without
 * machine events, its reference run, its coherent run and the order the
 * image must follow. */
#include <string.h>

#include "replay/replay_qemu.h"
#include "sim/machine.h"

static bool is_machine_event(const struct program_step *s)
{
	return program_step_info(s->kind)->cls == STEP_CLASS_MACHINE;
}

static void drop_machine_events(struct replay_case *c)
{
	c->run = c->prog;
	c->run.nsteps = 0;
	c->nskipped = 0;
	for (unsigned i = 0; i < c->prog.nsteps; i++) {
		if (is_machine_event(&c->prog.step[i])) {
			c->nskipped++;
			continue;
		}
		c->orig[c->run.nsteps] = i;
		c->run.step[c->run.nsteps++] = c->prog.step[i];
	}
}

/* The same program with every access cacheable. */
static void make_coherent(const struct program *p, struct program *out)
{
	*out = *p;
	for (unsigned i = 0; i < out->nsteps; i++) {
		const struct step_info *info = program_step_info(out->step[i].kind);
		for (unsigned a = 0; a < PROGRAM_MAX_ARGS; a++)
			if (info->arg[a].type == ARG_FLAG)
				out->step[i].arg[a] = 0;
	}
}

/* The steps that ran, by their position in completion order. */
static void completion_order(struct replay_case *c)
{
	c->norder = exec_completion_order(&c->ref, c->order);
}

static uint64_t counted[EV__COUNT];

static void count_event(void *ctx, const struct sim_event *ev)
{
	(void)ctx;
	if (ev->kind < EV__COUNT)
		counted[ev->kind]++;
}

void replay_count_events(void)
{
	sim_set_event_sink(count_event, NULL);
}

/* What KCore's start-up on ncpus CPUs alone emits: the run of a program
 * without steps. */
static const uint64_t *startup_events(unsigned ncpus)
{
	static uint64_t known[ARCH_MAX_CPUS + 1][EV__COUNT];
	static bool have[ARCH_MAX_CPUS + 1];
	static struct program empty;
	static struct exec_result r;

	if (!have[ncpus]) {
		program_init(&empty);
		empty.ncpus = ncpus;
		memset(counted, 0, sizeof(counted));
		exec_run(&empty, &r);
		memcpy(known[ncpus], counted, sizeof(counted));
		have[ncpus] = true;
	}
	return known[ncpus];
}

/* Which level-1 entries of KServ's stage-2 hold a table now. */
static void kserv_level1(uint64_t *bits)
{
	struct kcore_region_view r;

	memset(bits, 0, 8 * sizeof(*bits));
	exec_options()->target->view_region(&r);
	for (unsigned i = 0; i < S2_ENTRIES; i++)
		if (s2_is_table(sim_coherent_read64(r.kserv_root + 8ull * i), S2_START_LEVEL))
			bits[i / 64] |= 1ull << (i % 64);
}

/* The image's EL1 host runs in KServ's stage-2 (its code, its pages, its
 * console), so after each reset its own table pages come out of KServ's
 * pool before the first step: a lowered pool would run out at another
 * step than on the model, where KServ has mapped nothing.  The other
 * capacities apply as they are (the image resets KCore with them). */
const char *replay_not_applicable(const struct program *p)
{
	if (p->caps.kserv_pool_pages != 0)
		return "kserv_pool is lowered, and the image's host takes table pages of KServ's pool "
		       "for its own memory before the program's first step";
	return NULL;
}

void replay_case_prepare(struct replay_case *c)
{
	static struct program coherent;
	const uint64_t *startup = startup_events(c->prog.ncpus);

	drop_machine_events(c);
	memset(counted, 0, sizeof(counted));
	exec_run(&c->run, &c->ref);
	for (unsigned k = 0; k < EV__COUNT; k++)
		c->events[k] = counted[k] - startup[k];
	kserv_level1(c->kserv_gib_tables);
	make_coherent(&c->run, &coherent);
	/* TCG applies table writes and TLBIs at once and the image's DMA has
	 * no IOTLB: the coherent run has the relaxed model off too. */
	bool relaxed = sim_relaxed();
	sim_set_relaxed(false);
	exec_run(&coherent, &c->coherent);
	sim_set_relaxed(relaxed);
	completion_order(c);
	memset(c->img, 0, sizeof(c->img));
	c->started = c->ended = c->stopped = false;
}
