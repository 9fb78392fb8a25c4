/* A violation is a value: what broke, where, and the evidence.  Every oracle
 * reports one; the harness turns the first into a crash for the fuzzer and
 * into a readable trace for people. */
#ifndef ORACLES_VIOLATION_H
#define ORACLES_VIOLATION_H

#include <stdint.h>
#include <stdio.h>

#include "sim/event.h"

enum violation_kind {
	V_NONE = 0,
	/* 1. refinement against the reference model */
	V_RET_MISMATCH,          /* KCore's return code differs from the model's */
	V_STATE_MISMATCH,        /* abstraction of KCore's state differs from the model's */
	/* 2. isolation */
	V_KSERV_REACH,           /* KServ can reach a page the model forbids it */
	V_VM_REACH,              /* a VM can reach a page the model forbids it */
	V_DMA_REACH,             /* an SMMU unit can reach a page its owner may not */
	V_TABLE_REACH,           /* a KCore or page-table page is reachable by another principal */
	V_MEM_TYPE,              /* a leaf maps RAM other than Normal write-back, or MMIO other than Device */
	/* 3. TLB discipline */
	V_BBM_MISSING,           /* valid entry changed to another valid entry without a break */
	V_REVALIDATE_EARLY,      /* entry made valid again before its invalidation completed */
	V_TLBI_BEFORE_DSB,       /* TLBI issued before a DSB published the invalid entry */
	V_TLBI_NOT_COMPLETED,    /* operation ended with a TLBI not completed by a DSB */
	V_TLBI_MISSING,          /* operation ended with an unmapped entry never invalidated */
	V_TLBI_WRONG_TARGET,     /* TLBI of a VMID or IPA that does not cover the entry */
	V_TABLE_FREED_UNCLEAN,   /* a table page left with children whose TLB entries may live */
	V_VMID_REUSE,            /* VMID reused while its TLB entries may live */
	/* 4. cache bypass */
	V_SCRUB_CACHED,          /* new owner reads old data through the cache */
	V_SCRUB_UNCACHED,        /* new owner reads old data bypassing the cache */
	V_DIRTY_LINE,            /* a dirty line of the old owner outlives the transfer */
	V_STALE_LINE,            /* a clean line of a handed-over page holds what memory does not */
	/* 5. lock discipline */
	V_LOCK_NOT_HELD,         /* shared object accessed without its lock */
	V_LOCK_ORDER,            /* locks taken against the documented order */
	V_UNLOCK_NOT_HELD,       /* release of a lock the CPU does not hold */
	V_LOCK_LEAKED,           /* operation returned with a lock still held */
	/* 6. noninterference */
	V_NONINTERFERENCE,       /* KServ's observations depend on VM-private data */
	V_INTEGRITY,             /* a VM's reads or a verification depend on what KServ wrote where it may not */
	/* internal */
	V_PANIC,                 /* KCore hit an internal invariant failure */
	V__COUNT
};

const char *violation_kind_name(enum violation_kind k);   /* "bbm-missing", ... */
/* Which oracle family (1..7) reports a kind. */
unsigned violation_kind_oracle(enum violation_kind k);

#define VIOLATION_RECENT 16

struct violation {
	enum violation_kind kind;
	uint64_t step;           /* program step index, or ~0 when not in a program */
	int cpu;                 /* -1 when not tied to a CPU */
	int vm;                  /* VM handle, 0 for KServ/none */
	uint64_t page;           /* pfn (or gfn/iova, as detail says), ~0 if none */
	uint64_t expected, actual;
	char detail[192];        /* short human diff */
	unsigned nrecent;
	struct sim_event recent[VIOLATION_RECENT]; /* last events, oldest first */
};

/* Cold: a check reaches it once per run at most, so the code around its
 * calls is laid out away from the checks' hot paths. */
void violation_init(struct violation *v, enum violation_kind kind) __attribute__((cold));
void violation_print(FILE *f, const struct violation *v);  /* for people */
void violation_json(FILE *f, const struct violation *v);   /* one JSON object */

/* --- Additions --------------------------------------------------------- */

/* The "none" values violation_init puts in step and page. */
#define VIOLATION_NO_STEP UINT64_MAX
#define VIOLATION_NO_PAGE UINT64_MAX

/* Oracle family number (0..7) to its name: "refinement", "TLB discipline",
 * ...; family 0 is "none" (V_NONE, out-of-range kinds) and V_PANIC belongs
 * to 7, memory safety, with the sanitizers: KCore failing on its own. */
const char *violation_oracle_name(unsigned oracle);
/* The kind whose name is name ("bbm-missing"), or -1. */
int violation_kind_from_name(const char *name);
/* printf into v->detail, truncated to fit. */
void violation_detail(struct violation *v, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), cold));

#endif
