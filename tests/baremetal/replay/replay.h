/* The image's side of `isofuzz replay-qemu`: the EL1 host reads programs
 * (harness/replay/replay_qemu_wire.h) from the platform, resets KCore before
 * each, runs its steps with the semantics of harness/exec/exec_step.c on the
 * board's CPUs and in real guests, and reports what each step observed.
 *
 * CPU 0 drives; the other CPUs (workers) run the steps.  A program's cpuN
 * runs on worker 1 + N mod workers while that worker is in the host; once
 * a vcpu_run there succeeds, the worker belongs to cpuN's guest until it
 * leaves, and other program CPUs that map to it run their host steps on
 * any worker still in the host (or on CPU 0).
 */
#ifndef BAREMETAL_REPLAY_H
#define BAREMETAL_REPLAY_H

#include <stdbool.h>
#include <stdint.h>

#include "program/program.h"
#include "replay/replay_qemu_wire.h"

struct replay_step {
	unsigned kind, cpu, index;
	uint64_t arg[PROGRAM_MAX_ARGS];
};

struct replay_program {
	unsigned number, ncpus, nsteps;
	struct kcore_caps caps; /* the layout's capacities for its reset */
	struct replay_step step[PROGRAM_MAX_STEPS];
};

struct replay_obs {
	unsigned status;  /* enum replay_status */
	unsigned fault;   /* enum replay_fault */
	unsigned cpu;     /* the image CPU that ran it */
	int64_t ret;
	uint64_t val;
};

/* Why a program cannot go on (enum replay_stop), with a detail word. */
struct replay_stop_why {
	unsigned reason;
	uint64_t detail;
};

/* --- Input and output (replay_input.c) --------------------------------- */

/* The number of programs, or -1 if the input is missing or malformed. */
int64_t replay_input_begin(void);
/* The next program; false at a malformed one. */
bool replay_input_next(struct replay_program *p);
void replay_output(uint64_t w0, uint64_t w1, uint64_t w2);

/* --- CPUs (replay_cpus.c) ----------------------------------------------- */

void replay_cpus_setup(unsigned image_cpus);
unsigned replay_workers(void);
/* Reset KCore (the platform's PLAT_RESET) with the program's capacities
 * and every worker parked, and start every program CPU in the host. */
void replay_cpus_reset(const struct kcore_caps *caps);
/* The worker running cpu's guest, or -1 if cpu is in the host. */
int replay_guest_worker(unsigned pcpu);
/* The image CPU to run a host step of pcpu (in the host). */
unsigned replay_host_cpu(unsigned pcpu);
/* A worker in the host to run pcpu's vcpu_run on, or -1 if none is. */
int replay_run_worker(unsigned pcpu);
void replay_guest_entered(unsigned pcpu, unsigned worker);
void replay_guest_left(unsigned pcpu);
/* fn(arg) on that image CPU, waiting for it. */
void replay_on_cpu(unsigned cpu, void (*fn)(void *arg), void *arg);

/* --- The guest's code in VMs whose image has none (replay_guest_code.c) - */

/* The program about to run: its gfns are off limits for the code page. */
void replay_guest_code_program(const struct replay_program *p);
/* Note what a host hypercall did to a VM (register, boot info, clear). */
void replay_guest_code_track(unsigned kind, const uint64_t *arg, int64_t ret);
/* Before vm's first run: the guest program mapped into it.  false (and
 * why) if that cannot be done. */
bool replay_guest_code_ready(uint64_t vm, struct replay_stop_why *why);

/* --- Steps (replay_steps.c, replay_access.c) ---------------------------- */

/* Run one step; false if the program must stop before it (why). */
bool replay_run_step(const struct replay_step *s, struct replay_obs *o, struct replay_stop_why *why);
/* KServ's own accesses and loads, on the image CPU it runs on. */
void replay_kserv_step(const struct replay_step *s, struct replay_obs *o);
/* The fault a guest command saw, in the model's terms. */
unsigned replay_guest_fault(uint64_t esr);
/* The fault the DMA engine reported. */
unsigned replay_dma_fault(int64_t ret);

#endif
