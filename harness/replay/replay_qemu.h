/* `isofuzz replay-qemu`: run programs in the bare-metal image under
 * qemu-system-aarch64 and compare what each step observed there with what
 * it observes on the host library (exec_run).
 *
 * Machine events (tlb_fill, cache_evict, publish_writes, iotlb_fill) have
 * no architectural trigger: they are left out of both runs and reported as
 * skipped.  QEMU's TCG has no caches and applies table writes and TLBIs at
 * once, so the host library runs each program twice: as written (the
 * reference) and with every access cacheable and the relaxed model off
 * (the coherent run, what a cache-less machine with immediate maintenance
 * shows).  A step matches if the image saw what the coherent run saw;
 * where the reference differs from it, the step depends on the model's
 * caches or relaxed ordering ("cache-dependent"), which is reported, not
 * counted as a mismatch.
 * Accesses to device memory are not compared (QEMU's devices answer, the
 * model has a fixed pattern), nor fetches whose outcome differs from the
 * image's read of the same word (the image cannot fetch from a page
 * without running what it holds).  The image runs the steps in the order the
 * reference completed them, one at a time.
 */
#ifndef HARNESS_REPLAY_QEMU_H
#define HARNESS_REPLAY_QEMU_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "exec/exec.h"
#include "program/program.h"
#include "replay/replay_qemu_wire.h"
#include "sim/event.h"

/* What the image reported for one step. */
struct image_obs {
	bool have;
	struct step_obs obs; /* status, fault (enum sim_fault, or -1), ret, val */
	unsigned image_cpu;
};

struct replay_case {
	const char *path;
	struct program prog;       /* as loaded */
	struct program run;        /* without machine events */
	unsigned orig[PROGRAM_MAX_STEPS];   /* run's step i is prog's step orig[i] */
	unsigned nskipped;
	struct exec_result ref;      /* the reference run */
	struct exec_result coherent; /* every access cacheable */
	unsigned order[PROGRAM_MAX_STEPS];  /* run's steps in completion order */
	unsigned norder;
	/* The reference run's machine events by kind, KCore's own start-up
	 * left out: the arch calls its steps made. */
	uint64_t events[EV__COUNT];
	/* KServ's level-1 entries (one bit per GiB) valid after the reference
	 * run: level-2 tables its steps made, unless the image's host made
	 * that one already. */
	uint64_t kserv_gib_tables[8];
	/* The image's side. */
	struct image_obs img[PROGRAM_MAX_STEPS];
	bool started, ended;
	bool stopped;
	unsigned stop_step, stop_reason;
	uint64_t stop_detail;
};

/* The image's layout as it reported it. */
struct image_layout {
	bool have;
	uint64_t kram_base, kram_size, region_base, region_size;
	uint64_t mmio_base, mmio_size, host_base, host_size;
	unsigned cpus, workers;
};

struct replay_options {
	const struct hyp_target *target; /* the host library's hypervisor */
	const char *image;
	const char *qemu;
	const char *plugin;   /* a TCG plugin to load, or NULL */
	const char *coverage; /* the plugin's coverage log (its mode=coverage), or NULL */
	unsigned smp;
	unsigned timeout;     /* seconds for one QEMU run */
	unsigned batch;       /* programs per QEMU run */
	bool verbose;         /* print every trace, not only mismatching ones */
	bool icount;          /* -icount shift=0,sleep=off: counts that repeat exactly */
};

/* Per-run totals. */
struct replay_totals {
	unsigned programs, steps, matched, mismatched, cache_dependent, device, skipped;
	unsigned not_compared, not_run;
	unsigned fetch_as_read; /* fetches the image could only read, where the two differ */
	unsigned not_applicable; /* programs left out, each named with why */
};

/* --- Reference runs (replay_qemu_case.c) -------------------------------- */

/* Count machine events from now on (the host library runs without its
 * oracles, which would take the event stream). */
void replay_count_events(void);
/* Why the image cannot run p as written (a capacity it cannot apply), or
 * NULL if it can. */
const char *replay_not_applicable(const struct program *p);
/* Prepare c->run and run it twice on the host library. */
void replay_case_prepare(struct replay_case *c);

/* --- Files (replay_qemu_io.c) -------------------------------------------- */

int replay_write_input(const char *path, struct replay_case *cases, unsigned n);
/* Read the image's records into cases and layout.  0, or -1 with a
 * message in err. */
int replay_read_output(const char *path, struct replay_case *cases, unsigned n,
		       struct image_layout *layout, char *err, size_t errcap);

/* --- QEMU (replay_qemu_run.c) --------------------------------------------- */

/* Boot the image with input and output paths (absolute: semihosting
 * opens them from QEMU's directory), QEMU's output going to console; 0 if
 * QEMU ended with the image's pass verdict, else -1 (the console says
 * why). */
int replay_run_qemu(const struct replay_options *o, const char *in, const char *out,
		    const char *console, const char *plugin_out);

/* --- Comparison (replay_qemu_compare.c) ----------------------------------- */

/* Compare and print one program; true if it has no mismatch. */
bool replay_compare(FILE *f, const struct replay_case *c, const struct image_layout *layout,
		    bool verbose, struct replay_totals *t);

/* --- The plugin's counts (replay_qemu_plugin.c) --------------------------- */

/* The -plugin argument for qemu-plugins/insn_watch.c: the plugin, its log
 * and the image's EL2 text range (from the image's ELF section headers).
 * -1 if the image has no .text. */
int replay_plugin_arg(const char *plugin, const char *image, const char *log, char *buf, size_t cap);
/* Check the counts the plugin logged for each program against the
 * model's arch events for the same program; true if they agree. */
bool replay_check_plugin(FILE *f, const char *log, const struct replay_case *cases, unsigned n,
			 const struct image_layout *layout);

#endif
