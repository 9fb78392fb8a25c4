/* A program: what one fuzz input or one text trace means.
 *
 * A program is a CPU count, a list of steps (each bound to the simulated CPU
 * it runs on) and a schedule (the choices made at yield points).  It is a
 * plain value: fixed-size arrays, no pointers, so programs can be copied,
 * compared and kept on the side by the fuzzers.  harness/program/PROGRAM.md gives
 * the meaning of every step kind, the binary form and the text grammar.
 *
 * The step kinds are listed once, in PROGRAM_STEP_KINDS below.  That list
 * makes the enum and the table that binary decode/encode and text
 * print/parse all read, so a new step kind is one line there.
 */
#ifndef HARNESS_PROGRAM_H
#define HARNESS_PROGRAM_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/types.h" /* ARCH_MAX_CPUS */
#include "hyp/addr.h"
#include "hyp/kcore.h"

#define PROGRAM_MAX_STEPS 512
#define PROGRAM_MAX_SCHEDULE 4096
#define PROGRAM_MAX_ARGS 4
#define PROGRAM_DEFAULT_CPUS 4

/* Operand types.  Each has a pool of likely-interesting values (pools.h) and
 * a largest allowed value; most take any 64-bit value because the attacker
 * controls them. */
enum arg_type {
	ARG_NONE = 0,
	ARG_VM,     /* VM handle (smmu_alloc owner: 0 = KServ) */
	ARG_VCPU,   /* vCPU index */
	ARG_GFN,    /* guest frame number */
	ARG_GPA,    /* guest physical address */
	ARG_PFN,    /* physical frame number */
	ARG_PA,     /* physical address */
	ARG_IPA,    /* address in the CPU's current stage-2 input space */
	ARG_IOVA,   /* device address behind an SMMU unit */
	ARG_OFF,    /* byte offset inside a page, 0..0xfff */
	ARG_COUNT,  /* a page count or an image slot index */
	ARG_IMG,    /* built-in guest image number */
	ARG_UNIT,   /* SMMU unit */
	ARG_VAL,    /* 64-bit data */
	ARG_FLAG,   /* 0 or 1, written as a bare word when 1 */
	ARG__COUNT
};

/* Who acts in a step: decides how the executor runs it. */
enum step_class {
	STEP_CLASS_HOST,         /* host hypercall: kcore_host_call(op, args...) */
	STEP_CLASS_GUEST_CALL,   /* guest hypercall: kcore_guest_call(op, args...) */
	STEP_CLASS_GUEST_ACCESS, /* memory access by the vCPU running on the CPU */
	STEP_CLASS_KSERV,        /* the attacker: KServ on the CPU */
	STEP_CLASS_DMA,          /* a device behind an SMMU unit */
	STEP_CLASS_MACHINE,      /* a machine event the fuzzer chooses */
};

/* One line per step kind: X(ID, name, class, op, arg0, arg1, arg2, arg3).
 * op is the HVC_* or GHVC_* number of a hypercall (0 otherwise); the
 * arguments are STEP_ARG(name, TYPE) or STEP_NOARG, in the order a
 * hypercall takes them as a0, a1, a2.  Append new kinds at the end: the
 * binary form numbers kinds in this order. */
#define PROGRAM_STEP_KINDS(X) \
	X(REGISTER_VM, "register_vm", HOST, HVC_REGISTER_VM, STEP_NOARG, STEP_NOARG, STEP_NOARG, STEP_NOARG) \
	X(REGISTER_VCPU, "register_vcpu", HOST, HVC_REGISTER_VCPU, STEP_ARG(vm, VM), STEP_ARG(vcpu, VCPU), STEP_NOARG, STEP_NOARG) \
	X(SET_BOOT_INFO, "set_boot_info", HOST, HVC_SET_BOOT_INFO, STEP_ARG(vm, VM), STEP_ARG(gpa, GPA), STEP_ARG(npages, COUNT), STEP_NOARG) \
	X(REMAP_VM_IMAGE, "remap_vm_image", HOST, HVC_REMAP_VM_IMAGE, STEP_ARG(vm, VM), STEP_ARG(pfn, PFN), STEP_ARG(idx, COUNT), STEP_NOARG) \
	X(VERIFY_VM_IMAGE, "verify_vm_image", HOST, HVC_VERIFY_VM_IMAGE, STEP_ARG(vm, VM), STEP_NOARG, STEP_NOARG, STEP_NOARG) \
	X(VCPU_RUN, "vcpu_run", HOST, HVC_VCPU_RUN, STEP_ARG(vm, VM), STEP_ARG(vcpu, VCPU), STEP_NOARG, STEP_NOARG) \
	X(MAP_VM_PAGE, "map_vm_page", HOST, HVC_MAP_VM_PAGE, STEP_ARG(vm, VM), STEP_ARG(gfn, GFN), STEP_ARG(pfn, PFN), STEP_NOARG) \
	X(CLEAR_VM, "clear_vm", HOST, HVC_CLEAR_VM, STEP_ARG(vm, VM), STEP_NOARG, STEP_NOARG, STEP_NOARG) \
	X(SMMU_ALLOC, "smmu_alloc", HOST, HVC_SMMU_ALLOC, STEP_ARG(unit, UNIT), STEP_ARG(owner, VM), STEP_NOARG, STEP_NOARG) \
	X(SMMU_MAP, "smmu_map", HOST, HVC_SMMU_MAP, STEP_ARG(unit, UNIT), STEP_ARG(iova, IOVA), STEP_ARG(pfn, PFN), STEP_NOARG) \
	X(SMMU_UNMAP, "smmu_unmap", HOST, HVC_SMMU_UNMAP, STEP_ARG(unit, UNIT), STEP_ARG(iova, IOVA), STEP_NOARG, STEP_NOARG) \
	X(SMMU_IOVA_TO_PHYS, "smmu_iova_to_phys", HOST, HVC_SMMU_IOVA_TO_PHYS, STEP_ARG(unit, UNIT), STEP_ARG(iova, IOVA), STEP_NOARG, STEP_NOARG) \
	X(SMMU_FREE, "smmu_free", HOST, HVC_SMMU_FREE, STEP_ARG(unit, UNIT), STEP_NOARG, STEP_NOARG, STEP_NOARG) \
	X(IOREMAP, "ioremap", HOST, HVC_IOREMAP, STEP_ARG(vm, VM), STEP_ARG(gpa, GPA), STEP_ARG(pa, PA), STEP_NOARG) \
	X(GUEST_GRANT, "guest_grant", GUEST_CALL, GHVC_GRANT, STEP_ARG(gfn, GFN), STEP_NOARG, STEP_NOARG, STEP_NOARG) \
	X(GUEST_REVOKE, "guest_revoke", GUEST_CALL, GHVC_REVOKE, STEP_ARG(gfn, GFN), STEP_NOARG, STEP_NOARG, STEP_NOARG) \
	X(GUEST_POWER_OFF, "guest_power_off", GUEST_CALL, GHVC_POWER_OFF, STEP_NOARG, STEP_NOARG, STEP_NOARG, STEP_NOARG) \
	X(GUEST_EXIT, "guest_exit", GUEST_CALL, GHVC_EXIT, STEP_NOARG, STEP_NOARG, STEP_NOARG, STEP_NOARG) \
	X(GUEST_READ, "guest_read", GUEST_ACCESS, 0, STEP_ARG(gfn, GFN), STEP_ARG(off, OFF), STEP_ARG(nc, FLAG), STEP_NOARG) \
	X(GUEST_WRITE, "guest_write", GUEST_ACCESS, 0, STEP_ARG(gfn, GFN), STEP_ARG(off, OFF), STEP_ARG(val, VAL), STEP_ARG(nc, FLAG)) \
	X(KSERV_READ, "kserv_read", KSERV, 0, STEP_ARG(pa, PA), STEP_ARG(nc, FLAG), STEP_NOARG, STEP_NOARG) \
	X(KSERV_WRITE, "kserv_write", KSERV, 0, STEP_ARG(pa, PA), STEP_ARG(val, VAL), STEP_ARG(nc, FLAG), STEP_NOARG) \
	X(KSERV_FAULT, "kserv_fault", KSERV, 0, STEP_ARG(pa, PA), STEP_NOARG, STEP_NOARG, STEP_NOARG) \
	X(KSERV_LOAD, "kserv_load", KSERV, 0, STEP_ARG(img, IMG), STEP_ARG(idx, COUNT), STEP_ARG(pfn, PFN), STEP_NOARG) \
	X(DMA_READ, "dma_read", DMA, 0, STEP_ARG(unit, UNIT), STEP_ARG(iova, IOVA), STEP_NOARG, STEP_NOARG) \
	X(DMA_WRITE, "dma_write", DMA, 0, STEP_ARG(unit, UNIT), STEP_ARG(iova, IOVA), STEP_ARG(val, VAL), STEP_NOARG) \
	X(TLB_FILL, "tlb_fill", MACHINE, 0, STEP_ARG(ipa, IPA), STEP_NOARG, STEP_NOARG, STEP_NOARG) \
	X(CACHE_EVICT, "cache_evict", MACHINE, 0, STEP_ARG(pa, PA), STEP_NOARG, STEP_NOARG, STEP_NOARG) \
	X(GUEST_FETCH, "guest_fetch", GUEST_ACCESS, 0, STEP_ARG(gfn, GFN), STEP_ARG(off, OFF), STEP_NOARG, STEP_NOARG) \
	X(KSERV_FETCH, "kserv_fetch", KSERV, 0, STEP_ARG(pa, PA), STEP_NOARG, STEP_NOARG, STEP_NOARG) \
	X(PUBLISH_WRITES, "publish_writes", MACHINE, 0, STEP_NOARG, STEP_NOARG, STEP_NOARG, STEP_NOARG) \
	X(IOTLB_FILL, "iotlb_fill", MACHINE, 0, STEP_ARG(unit, UNIT), STEP_ARG(iova, IOVA), STEP_NOARG, STEP_NOARG)

enum step_kind {
#define PROGRAM_KIND_ENUM_(id, ...) STEP_##id,
	PROGRAM_STEP_KINDS(PROGRAM_KIND_ENUM_)
#undef PROGRAM_KIND_ENUM_
	STEP__COUNT
};

struct step_arg_info {
	const char *name;
	enum arg_type type;
};

struct step_info {
	const char *name;
	enum step_class cls;
	unsigned op;        /* HVC_* / GHVC_* for hypercalls, else 0 */
	struct step_arg_info arg[PROGRAM_MAX_ARGS]; /* ARG_NONE past the last */
};

struct arg_type_info {
	const char *name;   /* "vm", "gfn", ... as PROGRAM.md names the type */
	uint64_t max;       /* largest allowed value */
	bool hex;           /* written in hex in the text form */
};

struct program_step {
	enum step_kind kind;
	unsigned cpu;                   /* < program.ncpus */
	uint64_t arg[PROGRAM_MAX_ARGS]; /* in table order; unused ones are 0 */
};

/* The capacities a program may lower (struct kcore_caps), in the order
 * the binary and text forms list them. */
#define PROGRAM_NCAPS 5

struct program_cap_info {
	const char *name;  /* the text form's config key */
	uint32_t min, max; /* besides 0, which means max */
};

struct program {
	unsigned ncpus;   /* 1..ARCH_MAX_CPUS */
	struct kcore_caps caps; /* 0: KCore's maximum (see kcore.h) */
	unsigned nsteps;
	unsigned nsched;
	struct program_step step[PROGRAM_MAX_STEPS];
	uint8_t sched[PROGRAM_MAX_SCHEDULE]; /* choices, see program_sched_pick */
};

/* NULL for a kind out of range. */
const struct step_info *program_step_info(unsigned kind);
const char *program_step_name(unsigned kind); /* "?" for a kind out of range */
unsigned program_step_nargs(unsigned kind);
const struct arg_type_info *program_arg_type_info(enum arg_type t);

const struct program_cap_info *program_cap_info(unsigned i); /* NULL past the last */
uint32_t *program_cap(struct kcore_caps *caps, unsigned i);
uint32_t program_cap_get(const struct kcore_caps *caps, unsigned i);

/* The empty program: default CPU count and capacities, no steps, empty
 * schedule. */
void program_init(struct program *p);

/* Append a step; -1 when the program is full or the step is not valid for
 * p (see program_check). */
int program_append(struct program *p, const struct program_step *s);

/* NULL if p is well formed, else why not: CPU count, kinds, CPUs, argument
 * ranges, unused arguments zero, counts within the arrays. */
const char *program_check(const struct program *p);
const char *program_check_step(const struct program *p, const struct program_step *s);

bool program_step_equal(const struct program_step *a, const struct program_step *b);
bool program_equal(const struct program *a, const struct program *b);

/* The CPU a schedule choice selects among the runnable ones: choice modulo
 * their number, counting runnable CPUs upwards from CPU 0.  runnable is a
 * bit mask; with none runnable the answer is 0. */
unsigned program_sched_pick(uint8_t choice, uint32_t runnable);

#endif
