/* replay: run every program of the replay input, each on a freshly reset
 * KCore, and report each step's observation (replay.h). */
#include "replay.h"

#include "host.h"
#include "host_tests.h"
#include "hyp/addr.h"

/* Marks around each program's steps for a TCG plugin watching the run
 * (qemu-plugins/): two hint instructions with no architectural meaning,
 * which execute as NOPs. */
#define MARK_PROGRAM_START() __asm__ volatile("hint #0x7a" : : : "memory")
#define MARK_PROGRAM_END() __asm__ volatile("hint #0x7b" : : : "memory")

extern char __host_end[];

static struct replay_program prog;

static void info(unsigned key, uint64_t a, uint64_t b)
{
	replay_output(REPLAY_REC_INFO | (uint64_t)key << 8, a, b);
}

static void report_layout(void)
{
	const struct host_bootargs *a = host_args();

	info(REPLAY_INFO_KCORE_RAM, a->kram_base, a->kram_size);
	info(REPLAY_INFO_KCORE_REGION, a->kcore_base, a->kcore_size);
	info(REPLAY_INFO_MMIO, a->mmio_base, a->mmio_size);
	info(REPLAY_INFO_HOST, a->host_base, a->host_size);
	info(REPLAY_INFO_CPUS, a->ncpus, replay_workers());
}

/* The page a pfn or pa operand names, if it names one. */
static bool named_page(const struct step_info *info, unsigned a, uint64_t v, uint64_t *pfn)
{
	if (info->arg[a].type == ARG_PFN)
		*pfn = v;
	else if (info->arg[a].type == ARG_PA)
		*pfn = v >> PAGE_SHIFT;
	else
		return false;
	return true;
}

static bool in_host(uint64_t pfn)
{
	const struct host_bootargs *a = host_args();
	uint64_t base = a->host_base >> PAGE_SHIFT;

	return pfn >= base && pfn - base < a->host_size >> PAGE_SHIFT;
}

/* A page of the host's own, named by a step: running it would change the
 * test host under its feet. */
static bool names_host_memory(const struct replay_step *s, uint64_t *pa)
{
	const struct step_info *info = program_step_info(s->kind);

	for (unsigned i = 0; i < PROGRAM_MAX_ARGS; i++) {
		uint64_t pfn;
		if (named_page(info, i, s->arg[i], &pfn) && in_host(pfn)) {
			*pa = pfn << PAGE_SHIFT;
			return true;
		}
	}
	return false;
}

/* A fresh machine's memory is zero, and a program can only see pages it
 * names (what it reads, maps, hands over or gives a device): those are
 * scrubbed before it runs, whatever an earlier program left there. */
static void scrub_named_pages(const struct replay_program *p)
{
	static uint64_t done[PROGRAM_MAX_STEPS * PROGRAM_MAX_ARGS];
	unsigned ndone = 0;

	for (unsigned i = 0; i < p->nsteps; i++) {
		const struct step_info *info = program_step_info(p->step[i].kind);
		for (unsigned a = 0; a < PROGRAM_MAX_ARGS; a++) {
			uint64_t pfn;
			bool seen = false;
			if (!named_page(info, a, p->step[i].arg[a], &pfn))
				continue;
			for (unsigned k = 0; k < ndone && !seen; k++)
				seen = done[k] == pfn;
			/* The host's own pages are where it runs: a step that
			 * names one stops the program instead. */
			if (seen || in_host(pfn))
				continue;
			done[ndone++] = pfn;
			/* The platform refuses pages that are not the host's
			 * to scrub (KCore's, past RAM, devices). */
			host_hvc(PLAT_SCRUB, pfn, 0, 0);
		}
	}
}

/* After a reset KServ's stage-2 is empty: map every page of the host's
 * image now, so that no fault of the host's own lands among the steps. */
static void touch_host(void)
{
	for (uint64_t p = host_args()->host_base; p < (uint64_t)(uintptr_t)__host_end; p += PAGE_SIZE)
		(void)*(volatile uint64_t *)(uintptr_t)p;
}

static void run_program(const struct replay_program *p)
{
	unsigned n = 0;

	replay_cpus_reset(&p->caps);
	scrub_named_pages(p);
	touch_host();
	replay_guest_code_program(p);
	replay_output(replay_rec(REPLAY_REC_START, p->number, 0), 0, 0);
	MARK_PROGRAM_START();
	for (; n < p->nsteps; n++) {
		const struct replay_step *s = &p->step[n];
		struct replay_stop_why why = { 0, 0 };
		struct replay_obs o;

		if (names_host_memory(s, &why.detail))
			why.reason = REPLAY_STOP_HOST_MEMORY;
		else if (!replay_run_step(s, &o, &why) && why.reason == 0)
			why.reason = REPLAY_STOP_BAD_INPUT;
		if (why.reason != 0) {
			replay_output(replay_rec(REPLAY_REC_STOP, p->number, s->index), why.reason, why.detail);
			break;
		}
		replay_output(replay_step_rec(p->number, s->index, o.status, o.fault, o.cpu), (uint64_t)o.ret,
			      o.val);
	}
	MARK_PROGRAM_END();
	replay_output(replay_rec(REPLAY_REC_END, p->number, 0), n, 0);
}

void test_replay(void)
{
	unsigned ncpus = (unsigned)host_args()->ncpus;

	HCHECK(ncpus >= 2);
	while (host_secondaries_up() != ncpus - 1)
		__asm__ volatile("wfe");
	replay_cpus_setup(ncpus);
	int64_t count = replay_input_begin();
	HCHECK(count >= 0);
	report_layout();
	for (int64_t i = 0; i < count; i++) {
		if (!replay_input_next(&prog)) {
			replay_output(replay_rec(REPLAY_REC_STOP, (unsigned)i, 0), REPLAY_STOP_BAD_INPUT, 0);
			HCHECK(false);
			return;
		}
		run_program(&prog);
	}
	replay_output(REPLAY_REC_DONE, (uint64_t)count, 0);
	kprintf("isofuzz-host: replayed %ld programs\n", count);
}
