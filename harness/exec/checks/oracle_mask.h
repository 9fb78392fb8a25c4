/* Which oracles watch a run: the executor takes the mask, the checks
 * read it. */
#ifndef HARNESS_ORACLE_MASK_H
#define HARNESS_ORACLE_MASK_H

/* Oracle switches (each can be turned off alone, to measure its cost). */
enum {
	ORACLE_REFINE = 1u << 0,   /* 1: return codes and abstract state vs the model */
	ORACLE_ISOLATION = 1u << 1,/* 2: reachable pages within what the model allows */
	ORACLE_TLB = 1u << 2,      /* 3: break-before-make, TLBI/DSB order, VMID reuse */
	ORACLE_CACHE = 1u << 3,    /* 4: scrubbed and cleaned pages on owner changes */
	ORACLE_LOCK = 1u << 4,     /* 5: lockset and lock order */
	ORACLE_NI = 1u << 5,       /* 6: noninterference (a twin run) */
	ORACLE_INTEGRITY = 1u << 6,/* 6: integrity, noninterference the other way (a twin run) */
	ORACLE_ALL = (1u << 7) - 1,
	/* Not an oracle: the model checks sweep every table, TLB entry and
	 * page at every check instead of re-reading what changed (slow; the
	 * verdicts are the same, which the tests hold the fast checks to). */
	ORACLE_THOROUGH = 1u << 7,
};

#endif
