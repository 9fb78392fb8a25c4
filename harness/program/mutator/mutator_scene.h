/* Scene splicing: multi-step situations (a VM booted, given SMMU units,
 * run on two CPUs, powered off, cleared, its slot reused, pages shared and
 * revoked, a pool filled, VMIDs cycled) inserted into a program in one
 * mutation, for a VM the program already has or a fresh one. */
#ifndef HARNESS_MUTATOR_SCENE_H
#define HARNESS_MUTATOR_SCENE_H

#include <stdint.h>

#include "program/pools.h"
#include "program/program.h"

enum scene_kind {
	SCENE_BOOT,        /* register a VM, two vCPUs, load, remap, verify */
	SCENE_UNITS,       /* give the VM two SMMU units, map a VM page in one */
	SCENE_RUN_TWO_OFF, /* run two vCPUs on two CPUs; one powers off; clear */
	SCENE_SHARE,       /* map a page, grant it, KServ reads, revoke */
	SCENE_TEARDOWN,    /* run, power off, clear */
	SCENE_REUSE_SLOT,  /* teardown, then a new VM boots into the same slot */
	SCENE_FILL_VM,     /* map pages in fresh 1 GiB regions until the pool ends */
	SCENE_FILL_SMMU,   /* DMA maps in fresh 1 GiB regions of one unit */
	SCENE_VMID_CYCLE,  /* register, fail verification, clear; repeated */
	SCENE_FILL_SLOTS,  /* register VMs until no slot is left */
	SCENE_FILL_KSERV,  /* KServ faults in fresh 2 MiB blocks */
	SCENE__COUNT
};

/* Insert scene k before step at (clamped to the program), for an existing
 * VM when reuse is set and there is one, else for a fresh one.  Steps that
 * do not fit in the program are left out.  A scene that runs something
 * out lowers that capacity to its minimum when reuse is clear, so the
 * limit comes within the scene's few steps. */
void mutator_splice_scene(const struct program_pools *pools, struct program *p, unsigned at,
			  enum scene_kind k, int reuse, uint64_t *rng);

#endif
