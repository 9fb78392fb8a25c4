/* The executor: runs a program on the machine model against a hypervisor
 * target, interleaving simulated CPUs by the program's schedule, with the
 * oracles watching.  One machine exists per process; exec_setup makes it,
 * exec_run resets it and runs one program. */
#ifndef HARNESS_EXEC_H
#define HARNESS_EXEC_H

#include <stdbool.h>
#include <stdint.h>

#include "hyp_target.h"
#include "exec/checks/oracle_mask.h"
#include "program/program.h"
#include "violation.h"

struct exec_options {
	const struct hyp_target *target;
	uint64_t ram_bytes;        /* simulated RAM; 0: the model's default */
	unsigned oracles;          /* ORACLE_* mask */
	/* Compare every page's ownership entry at the end of each run, on top
	 * of the per-window comparison of the pages that can have changed.
	 * On for replay and tests; the fuzz entry points leave it off, since
	 * it costs a pass over all of RAM per input. */
	bool thorough;
	/* The relaxed model off (sim_set_relaxed): table writes seen by every
	 * walker and invalidations complete when issued, no IOTLB. */
	bool strict_order;
};

/* What a step did, as its CPU saw it. */
enum obs_status {
	OBS_DONE = 0,      /* ran; ret holds the result */
	OBS_NOT_HOST,      /* a host or KServ step on a CPU that runs a guest */
	OBS_NOT_GUEST,     /* a guest access on a CPU in the host */
	OBS_NOT_RUN,       /* the run stopped (violation) before the step ended */
};

struct step_obs {
	uint8_t status;    /* enum obs_status */
	uint8_t cpu;
	uint8_t vm_side;   /* observed by a VM (its vCPU or its own device), not by KServ */
	uint8_t shared;    /* a guest write to a page it had granted (public data);
			    * a KServ or DMA write to a page KServ may write */
	uint8_t vm;        /* guest steps: the VM whose vCPU ran it */
	uint8_t pad[3];
	uint16_t order;    /* position in completion order */
	int32_t fault;     /* accesses: enum sim_fault */
	int64_t ret;       /* hypercalls: the return value */
	uint64_t val;      /* reads: the value read */
	uint64_t pfn;      /* guest, KServ and DMA writes and grants: the page, or ~0 */
};

struct exec_result {
	unsigned nsteps;
	struct step_obs obs[PROGRAM_MAX_STEPS];
	bool violated;
	struct violation v;
	uint64_t events;        /* machine events in the run */
	uint64_t switches;      /* hash of the CPU switches (sched_switch_hash) */
	uint64_t trace_hash;    /* over every observation, the event count and the switches */
};

int exec_setup(const struct exec_options *opt);
void exec_teardown(void);
const struct exec_options *exec_options(void);
const struct kcore_boot *exec_boot(void);

/* Run p from a fresh machine; with ORACLE_NI and ORACLE_INTEGRITY also their twins.  Returns true if
 * a violation was found (r->v). */
bool exec_run(const struct program *p, struct exec_result *r);

/* The machine and the target reset now rather than at the next run's
 * start (which then finds the same state whatever ran before).  A fuzz
 * engine calls it after each input: the undoing of what a run changed
 * (a reset costs what the last run changed) then counts toward that run's
 * coverage, so an input's coverage depends on that input alone, not on
 * the one before it. */
void exec_settle(void);

/* The steps of r that ran, as indices into r->obs, in the order they
 * completed; returns how many. */
unsigned exec_completion_order(const struct exec_result *r, unsigned order[PROGRAM_MAX_STEPS]);

/* The trace, for people: one line per step in program order. */
void exec_print_trace(FILE *f, const struct program *p, const struct exec_result *r);

#endif
