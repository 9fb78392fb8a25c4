/* Shared set-up for the machine model's tests: a default machine, stage-2
 * tables built by hand in its memory, and a panic hook that returns control
 * to the test instead of aborting. */
#ifndef TESTS_SIM_FIXTURE_H
#define TESTS_SIM_FIXTURE_H

#include <setjmp.h>
#include <stdint.h>

#include "hyp/s2desc.h"
#include "sim/machine.h"

#define FX_RAM 0x40000000ull
#define FX_MMIO 0x09000000ull
#define FX_TABLES (FX_RAM + 0x01000000ull) /* tables are taken from here up */
#define FX_DATA (FX_RAM + 0x00100000ull)   /* data pages the tests map */
#define FX_TABLE_DESC(pa) ((pa) | S2_VALID | S2_TYPE_TABLE)

/* A default machine (64 MiB RAM, 4 CPUs, 64 TLB entries), no event sink,
 * no yield hook, the panic hook below.  Also the first checkpoint. */
void fx_up(void);

/* A zeroed table page for hand-built tables. */
uint64_t fx_table(void);
/* Write leaf at the given level for ipa under root, creating tables on the
 * way; descriptors are written to memory directly. */
void fx_map(uint64_t root, uint64_t ipa, unsigned level, uint64_t leaf);
/* A root mapping one 4 KiB page ipa -> pa with attributes attrs. */
uint64_t fx_root_with_page(uint64_t ipa, uint64_t pa, uint64_t attrs);

/* Load cpu's stage-2 context through the arch call (leaves cpu current). */
void fx_set_stage2(unsigned cpu, uint16_t vmid, uint64_t root);

/* The panic hook records the message and longjmps to fx_panic_jmp. */
extern jmp_buf fx_panic_jmp;
extern const char *fx_panic_why;
extern unsigned fx_panics;

#endif
