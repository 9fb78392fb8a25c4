/* What the hypervisor hands the EL1 host at boot, like a boot loader hands
 * a kernel its command line and memory map.  The hypervisor writes it to
 * HOST_ARGS_PA before any CPU enters the host; every host CPU receives its
 * address in x0 and its CPU index in x1. */
#ifndef ARCH_AARCH64_BOOTARGS_H
#define ARCH_AARCH64_BOOTARGS_H

#include <stdint.h>

#define BOOTARGS_MAGIC 0x7367726174736f68ull /* "hostargs" */
#define BOOTARGS_CMDLINE_MAX 256

struct host_bootargs {
	uint64_t magic;
	uint64_t ncpus;
	uint64_t ram_base, ram_size;   /* all of the board's RAM */
	uint64_t kram_base, kram_size; /* the RAM KCore manages */
	uint64_t hyp_base, hyp_size;   /* hypervisor image */
	uint64_t kcore_base, kcore_size; /* KCore's region (inside KCore's RAM) */
	uint64_t host_base, host_size; /* the host's own range (inside KCore's RAM) */
	uint64_t mmio_base, mmio_size; /* MMIO the host may map */
	uint64_t has_core;             /* 1: KCore runs and stage-2 is on */
	char cmdline[BOOTARGS_CMDLINE_MAX]; /* "test-name key=value ..." */
};

#endif
