/* The files `isofuzz replay-qemu` exchanges with the bare-metal image.
 *
 * Both are sequences of little-endian 64-bit words, read and written by
 * the image's platform through semihosting
 * (hyp/arch/aarch64/firmware/replay_io.c) and by the replay command on the
 * machine running QEMU.  Plain C with fixed-width types: the image's EL1
 * host and the host build both include it.
 *
 * Input (the programs, each step already in the order the image runs it):
 *
 *   REPLAY_IN_MAGIC, number of programs
 *   for each program:
 *     ncpus | nsteps << 16 | program number << 32
 *     its capacities (struct kcore_caps, replay_caps_word; 0: the maximum)
 *     for each step: kind | cpu << 8 | step index << 16, arg0..arg3
 *
 * Output: records of three words, REPLAY_REC_* in the low byte of the
 * first.  The image writes INFO records first, then for each program
 * START, one STEP per step it ran (in the order it ran them), a STOP if it
 * could not go on faithfully, and END; DONE closes the file.
 */
#ifndef HARNESS_REPLAY_QEMU_WIRE_H
#define HARNESS_REPLAY_QEMU_WIRE_H

#include <stdint.h>

#define REPLAY_IN_MAGIC 0x32796c70726f7369ull /* "isorply2" */
#define REPLAY_STEP_WORDS 5
#define REPLAY_MAX_PROGRAMS 65535u

static inline uint64_t replay_program_word(unsigned ncpus, unsigned nsteps, unsigned number)
{
	return (uint64_t)ncpus | (uint64_t)nsteps << 16 | (uint64_t)number << 32;
}

/* A program's capacities, one byte each in struct kcore_caps's order
 * (vmids, vm_pool_pages, smmu_pool_pages, kserv_pool_pages, max_share):
 * every maximum fits a byte.  The image's reset takes them (PLAT_RESET). */
#define REPLAY_NCAPS 5

static inline uint64_t replay_caps_word(const uint32_t cap[REPLAY_NCAPS])
{
	uint64_t w = 0;

	for (unsigned i = 0; i < REPLAY_NCAPS; i++)
		w |= (uint64_t)(cap[i] & 0xff) << (8 * i);
	return w;
}

static inline uint32_t replay_caps_field(uint64_t w, unsigned i)
{
	return (uint32_t)(w >> (8 * i)) & 0xff;
}

static inline uint64_t replay_step_word(unsigned kind, unsigned cpu, unsigned index)
{
	return (uint64_t)kind | (uint64_t)cpu << 8 | (uint64_t)index << 16;
}

enum replay_rec {
	REPLAY_REC_INFO = 1,  /* key | value... : see REPLAY_INFO_* */
	REPLAY_REC_START,     /* program */
	REPLAY_REC_STEP,      /* program, step, status, fault, image CPU; ret; val */
	REPLAY_REC_STOP,      /* program, step; REPLAY_STOP_*; detail */
	REPLAY_REC_END,       /* program; steps run */
	REPLAY_REC_DONE,      /* - */
};

/* INFO records: word 0 = REPLAY_REC_INFO | key << 8; words 1, 2 = values. */
enum replay_info {
	REPLAY_INFO_KCORE_RAM = 1, /* base, size in bytes: the RAM KCore manages */
	REPLAY_INFO_KCORE_REGION,  /* base, size: KCore's own region */
	REPLAY_INFO_MMIO,          /* base, size: the MMIO KCore lets KServ and VMs map */
	REPLAY_INFO_HOST,          /* base, size: the test host's own memory */
	REPLAY_INFO_CPUS,          /* CPUs, of which the ones that run steps */
};

/* STEP records: word 0 packs the fields below; word 1 = the hypercall's
 * result (step_obs.ret), word 2 = the value read (step_obs.val). */
static inline uint64_t replay_step_rec(unsigned program, unsigned step, unsigned status,
				       unsigned fault, unsigned cpu)
{
	return REPLAY_REC_STEP | (uint64_t)(program & 0xffff) << 8 |
	       (uint64_t)(step & 0xffff) << 24 | (uint64_t)(status & 0xff) << 40 |
	       (uint64_t)(fault & 0xff) << 48 | (uint64_t)(cpu & 0xff) << 56;
}

static inline uint64_t replay_rec(unsigned tag, unsigned program, unsigned step)
{
	return (uint64_t)tag | (uint64_t)(program & 0xffff) << 8 | (uint64_t)(step & 0xffff) << 24;
}

static inline unsigned replay_rec_tag(uint64_t w) { return (unsigned)(w & 0xff); }
static inline unsigned replay_rec_program(uint64_t w) { return (unsigned)(w >> 8) & 0xffff; }
static inline unsigned replay_rec_step(uint64_t w) { return (unsigned)(w >> 24) & 0xffff; }
static inline unsigned replay_rec_status(uint64_t w) { return (unsigned)(w >> 40) & 0xff; }
static inline unsigned replay_rec_fault(uint64_t w) { return (unsigned)(w >> 48) & 0xff; }
static inline unsigned replay_rec_cpu(uint64_t w) { return (unsigned)(w >> 56) & 0xff; }

/* Step status: enum obs_status of harness/exec/exec.h, and the image's own. */
enum replay_status {
	REPLAY_STATUS_DONE = 0,
	REPLAY_STATUS_NOT_HOST,  /* a host or KServ step on a CPU in a guest */
	REPLAY_STATUS_NOT_GUEST, /* a guest access on a CPU in the host */
	REPLAY_STATUS_SKIPPED = 0x10, /* a machine event: no architectural trigger */
};

/* Faults of accesses: the meanings of enum sim_fault (sim/machine.h),
 * told apart from the syndromes the real CPU and the DMA engine report. */
enum replay_fault {
	REPLAY_FAULT_NONE = 0,
	REPLAY_FAULT_TRANSLATION,
	REPLAY_FAULT_ACCESS_FLAG,
	REPLAY_FAULT_PERMISSION,
	REPLAY_FAULT_ADDRESS,
	REPLAY_FAULT_EXTERNAL,
	REPLAY_FAULT_OTHER = 0x80, /* a syndrome with no counterpart in the model */
};

/* Why the image stopped a program before its end (STOP records). */
enum replay_stop {
	REPLAY_STOP_HOST_MEMORY = 1, /* the step names a page of the test host's (detail: pa) */
	REPLAY_STOP_NO_CPU,          /* every CPU that runs steps is in a guest */
	REPLAY_STOP_GUEST_CODE,      /* no gfn or page for the guest's code (detail: KCore's answer) */
	REPLAY_STOP_GUEST_LEFT,      /* the guest left its VM on its own (detail: why) */
	REPLAY_STOP_BAD_INPUT,       /* the input is malformed */
};

#endif
