/* Which image CPU runs what (replay.h), and resets. */
#include "replay.h"

#include "host.h"
#include "host_defs.h"

#define NONE (-1)

static unsigned image_cpus, workers;
static int guest_of_worker[HOST_MAX_CPUS]; /* program CPU whose guest runs there */
static int worker_of_cpu[ARCH_MAX_CPUS];   /* worker running that program CPU's guest */

void replay_cpus_setup(unsigned ncpus)
{
	image_cpus = ncpus;
	workers = ncpus - 1;
	for (unsigned w = 0; w < HOST_MAX_CPUS; w++)
		guest_of_worker[w] = NONE;
	for (unsigned c = 0; c < ARCH_MAX_CPUS; c++)
		worker_of_cpu[c] = NONE;
}

unsigned replay_workers(void)
{
	return workers;
}

static void park(unsigned cpu, void *arg)
{
	(void)cpu;
	(void)arg;
	host_hvc(PLAT_PARK, 0, 0, 0);
}

void replay_cpus_reset(const struct kcore_caps *caps)
{
	uint32_t cap[REPLAY_NCAPS];

	for (unsigned i = 0; i < REPLAY_NCAPS; i++)
		cap[i] = program_cap_get(caps, i);
	/* Workers in the host park at EL2; the platform tells the guests to
	 * leave, which ends their vcpu_run. */
	for (unsigned w = 1; w <= workers; w++)
		if (guest_of_worker[w] == NONE)
			host_post(w, park, NULL);
	if (host_hvc(PLAT_RESET, replay_caps_word(cap), 0, 0).x0 != 0) {
		kprintf("isofuzz-host: the platform refused the reset\n");
		host_exit(1);
	}
	for (unsigned w = 1; w <= workers; w++) {
		host_wait(w);
		guest_of_worker[w] = NONE;
	}
	for (unsigned c = 0; c < ARCH_MAX_CPUS; c++)
		worker_of_cpu[c] = NONE;
}

int replay_guest_worker(unsigned pcpu)
{
	return worker_of_cpu[pcpu];
}

static unsigned home(unsigned pcpu)
{
	return 1 + pcpu % workers;
}

int replay_run_worker(unsigned pcpu)
{
	if (guest_of_worker[home(pcpu)] == NONE)
		return (int)home(pcpu);
	for (unsigned w = 1; w <= workers; w++)
		if (guest_of_worker[w] == NONE)
			return (int)w;
	return NONE;
}

unsigned replay_host_cpu(unsigned pcpu)
{
	int w = replay_run_worker(pcpu);

	return w == NONE ? 0 : (unsigned)w;
}

void replay_guest_entered(unsigned pcpu, unsigned worker)
{
	guest_of_worker[worker] = (int)pcpu;
	worker_of_cpu[pcpu] = (int)worker;
}

void replay_guest_left(unsigned pcpu)
{
	int w = worker_of_cpu[pcpu];

	if (w != NONE)
		guest_of_worker[w] = NONE;
	worker_of_cpu[pcpu] = NONE;
}

struct on_cpu {
	void (*fn)(void *arg);
	void *arg;
};

static void run_there(unsigned cpu, void *arg)
{
	struct on_cpu *c = arg;

	(void)cpu;
	c->fn(c->arg);
}

void replay_on_cpu(unsigned cpu, void (*fn)(void *arg), void *arg)
{
	struct on_cpu c = { fn, arg };

	if (cpu == 0 || cpu >= image_cpus)
		fn(arg);
	else
		host_run_on(cpu, run_there, &c);
}
