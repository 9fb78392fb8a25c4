/* The executable Arm machine model: what the harness, the oracles and the
 * tests see of the simulated hardware.  KCore sees only hyp/arch.h.
 *
 * One machine exists at a time (the arch calls KCore makes carry no machine
 * pointer).  Everything is deterministic: no clocks, no host randomness, no
 * iteration over host pointers.
 */
#ifndef SIM_MACHINE_H
#define SIM_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/event.h"

struct sim_config {
	uint64_t ram_base;   /* default 0x40000000, as on QEMU virt */
	uint64_t ram_bytes;  /* default 64 MiB */
	uint64_t mmio_base;  /* default 0x09000000 */
	uint64_t mmio_bytes; /* default 16 MiB */
	unsigned ncpus;      /* default 4, at most ARCH_MAX_CPUS */
	unsigned tlb_entries; /* per CPU, default 64 */
};

void sim_config_default(struct sim_config *cfg);
/* Create the machine: memory all zero, caches and TLBs empty, every CPU
 * without a stage-2 context.  Returns 0, or -1 if cfg is unusable. */
int sim_init(const struct sim_config *cfg);
void sim_fini(void);
const struct sim_config *sim_cfg(void);

/* Snapshot memory as it is now; sim_restore returns to it, touching only the
 * frames written since, and empties TLBs and caches, clears CPU contexts and
 * SMMU attachments taken since the checkpoint, and restarts event numbering. */
void sim_checkpoint(void);
void sim_restore(void);

/* The CPU on whose behalf arch calls run (arch_cpu_id).  A cpu outside
 * 0..ncpus-1 is ignored. */
void sim_set_cpu(unsigned cpu);
unsigned sim_cpu(void);

bool sim_is_ram(uint64_t pa);
bool sim_is_mmio(uint64_t pa);

/* Physical memory at the point of coherency, bypassing the cache.  pa is
 * rounded down to 8 bytes.  MMIO reads give a fixed pattern derived from
 * the address; outside RAM and MMIO reads give 0; writes to either are
 * dropped. */
uint64_t sim_mem_read64(uint64_t pa);
void sim_mem_write64(uint64_t pa, uint64_t v);
/* The coherent view: a cached line if present, else memory. */
uint64_t sim_coherent_read64(uint64_t pa);
void sim_coherent_write64(uint64_t pa, uint64_t v);
/* The coherent view of the 4 KiB page holding pa, into dst (4096 bytes). */
void sim_coherent_read_page(uint64_t pa, void *dst);

/* --- Stage-2 walks (pure: no TLB, no events) ----------------------------- */

enum sim_fault {
	SIM_OK = 0,
	SIM_FAULT_TRANSLATION, /* invalid descriptor at .level */
	SIM_FAULT_ACCESS_FLAG, /* leaf without AF */
	SIM_FAULT_PERMISSION,  /* S2AP forbids the access */
	SIM_FAULT_ADDRESS,     /* IPA beyond 39 bits, or no stage-2 context */
	SIM_FAULT_EXTERNAL,    /* output address is neither RAM nor MMIO */
	SIM_FAULT_NOT_RUNNING, /* harness-level: no such vCPU running */
	SIM_FAULT_MEMTYPE,     /* MMIO through a leaf that is not Device: the device refuses it */
	SIM_FAULT__COUNT
};
const char *sim_fault_name(int fault);

struct sim_walk {
	int fault;          /* enum sim_fault (translation-level faults only) */
	unsigned level;     /* level of the leaf, or of the faulting descriptor */
	uint64_t desc;      /* leaf descriptor */
	uint64_t pa;        /* output address for the walked ipa */
	uint64_t size;      /* bytes covered by the leaf: 4K, 2M or 1G */
};
/* Walk the table at root for ipa, reading descriptors coherently.  A table
 * outside RAM faults with SIM_FAULT_EXTERNAL; a leaf without AF fills every
 * field and faults with SIM_FAULT_ACCESS_FLAG; on other faults desc is the
 * faulting descriptor and pa and size are 0. */
int sim_s2_walk(uint64_t root, uint64_t ipa, struct sim_walk *out);

/* --- Accesses by guests, KServ and devices -------------------------------- */

enum sim_access_flags {
	SIM_ACC_WRITE = 1u << 0,
	SIM_ACC_NONCACHEABLE = 1u << 1, /* stage-1 says Normal-NC: bypass the cache */
	SIM_ACC_LINE = 1u << 2,         /* in events only: the access was a whole line */
	SIM_ACC_FETCH = 1u << 3,        /* instruction fetch (a read): needs XN clear */
};

struct sim_access {
	int fault;          /* enum sim_fault */
	uint64_t pa;
	bool tlb_hit;
};

/* An aligned 64-bit access by cpu in its current stage-2 context: TLB
 * lookup, else walk and fill; permission check (a fetch needs XN clear);
 * then the cache (or memory, when non-cacheable or when the stage-2
 * attributes are not write-back: RAM mapped Device is read and written at
 * the point of coherency, under whatever the cache holds).  MMIO reaches
 * the device only through a Device leaf: through a Normal one the access
 * would be cached, merged or made speculatively, which the device
 * refuses (SIM_FAULT_MEMTYPE, nothing reaches it).
 * *val is read into or written from. */
int sim_cpu_access(unsigned cpu, uint64_t ipa, unsigned flags, uint64_t *val, struct sim_access *out);
/* The same for the whole 64-byte line holding ipa, words[0..7] in address
 * order, with one event (flags with SIM_ACC_LINE, the line's address): a
 * line is what a cached copy moves anyway, so a page copy costs 64 events,
 * not 512. */
int sim_cpu_access_line(unsigned cpu, uint64_t ipa, unsigned flags, uint64_t words[8], struct sim_access *out);
/* DMA by an SMMU unit (coherent): walks the unit's table; a detached unit
 * faults with SIM_FAULT_ADDRESS.  The device snoops the cache without
 * allocating lines; with SIM_ACC_NONCACHEABLE (a non-coherent device) or a
 * leaf that is not write-back it goes to memory. */
int sim_dma_access(unsigned unit, uint64_t iova, unsigned flags, uint64_t *val, struct sim_access *out);

/* --- Machine events the fuzzer chooses ------------------------------------ */

/* A speculative walk on cpu in its current context fills a TLB entry for ipa
 * if the tables map it.  Returns true if an entry was filled; an entry that
 * already covers ipa is kept as it is (false), stale or not. */
bool sim_tlb_spec_fill(unsigned cpu, uint64_t ipa);
/* The cache line holding pa is evicted (written back if dirty); emits
 * EV_CACHE_EVICT only when a line was present. */
void sim_cache_evict(uint64_t pa);
/* cpu's descriptor writes become visible to every walker now, before its
 * next DSB (the write buffer drains early). */
void sim_relaxed_publish(unsigned cpu);
/* The SMMU's walker fills unit's IOTLB for iova if its table maps it and
 * no entry covers iova yet.  Returns true if an entry was filled. */
bool sim_iotlb_spec_fill(unsigned unit, uint64_t iova);

/* --- Relaxed ordering (on by default) -------------------------------------
 *
 * On: another CPU's walker (and the SMMU's) sees a descriptor write only
 * once the writer's DSB completes (or sim_relaxed_publish); a broadcast
 * TLBI completes at the issuer's DSB; a TLBI issued before the issuer's
 * own writes are published leaves other CPUs' matching entries in place
 * (their walkers refill from the old descriptor); the SMMU keeps leaves in
 * an IOTLB until arch_smmu_tlbi.  Off: every write is seen by every walker
 * at once and every invalidation completes when issued, with no IOTLB.
 * Switching drops what is pending. */
void sim_set_relaxed(bool on);
bool sim_relaxed(void);
/* Descriptor writes cpu has not yet published; TLBIs it has not completed. */
unsigned sim_relaxed_pending_writes(unsigned cpu);
unsigned sim_relaxed_pending_tlbis(unsigned cpu);

/* --- Introspection for oracles --------------------------------------------- */

struct sim_tlb_entry {
	uint16_t vmid;
	uint64_t ipa;       /* base of the region the leaf covers */
	uint64_t pa;        /* base of its output */
	uint64_t size;
	uint64_t desc;      /* leaf descriptor as walked */
};
unsigned sim_tlb_count(unsigned cpu);
/* i < sim_tlb_count(cpu); entries in a fixed order. */
void sim_tlb_get(unsigned cpu, unsigned i, struct sim_tlb_entry *out);

/* The same entries by slot, in one pass: slot i < sim_tlb_slots() of cpu
 * holds a valid entry (true, in *out) or not.  *gen (may be NULL) differs
 * after every refill of the slot. */
unsigned sim_tlb_slots(void);
bool sim_tlb_slot(unsigned cpu, unsigned i, struct sim_tlb_entry *out, uint64_t *gen);
/* Changes whenever an entry is filled or invalidated on any CPU. */
uint64_t sim_tlb_epoch(void);
/* The slots filled since sim_tlb_epoch() was `after`, newest first, into
 * cpu[] and slot[]: how many, or -1 if there were more than max or than
 * the machine keeps a record of (then look at every slot).  A slot may
 * since have been refilled (it is listed again) or dropped. */
int sim_tlb_fills_since(uint64_t after, unsigned *cpu, unsigned *slot, unsigned max);

/* The SMMU's IOTLB: slot i < sim_iotlb_slots() of unit holds a leaf (true,
 * in *out with .vmid the unit, .ipa the iova) or not.  The epoch changes
 * whenever an entry is filled or dropped in any unit. */
unsigned sim_iotlb_slots(void);
bool sim_iotlb_slot(unsigned unit, unsigned i, struct sim_tlb_entry *out);
uint64_t sim_iotlb_epoch(void);
/* How many slots hold a leaf, over all units: none, nothing to look at. */
unsigned sim_iotlb_filled(void);

/* Change tracking for observers that cache what they read (the oracles'
 * table scans).  A frame's generation changes whenever the view of it that
 * any observer has may have changed: a write to memory or to one of its
 * cached lines (the writer's view), a descriptor write in it published to
 * the other CPUs' and the SMMU's walkers (their view), a line dropped
 * (evicted, invalidated or discarded: memory below a clean line may
 * differ), a restore.  Generations only grow, across sim_fini
 * and sim_init too, so an unchanged generation means unchanged contents.
 * 0 outside RAM.  The epoch is the last generation handed out: while it
 * stays the same, no frame changed. */
uint64_t sim_frame_gen(uint64_t pa);
uint64_t sim_mem_epoch(void);
/* The generations of all RAM frames, by frame number from the RAM base,
 * for an observer that polls many of them: valid until sim_fini. */
const uint64_t *sim_frame_gens(void);
/* The frame holding pa (RAM; elsewhere nothing) is kept by an observer:
 * from now on a change of its generation moves the watch epoch.  While
 * the watch epoch stays the same, no watched frame changed (it moves at
 * sim_init too). */
void sim_frame_watch(uint64_t pa);
uint64_t sim_watch_epoch(void);
/* The lines of the frame holding pa (bit l: bytes [64 l, 64 l + 64))
 * whose coherent value may have changed since the caller last took them,
 * when the frame's generation was since_gen; all 64 if someone else took
 * them since (the mask is one per frame, cleared by every take: exact for
 * one observer, the kept stage-2 trees, and safe for more), outside RAM,
 * or on a new machine.  Cleans, fills and write-backs under a present line
 * set none, even though the generation moves. */
uint64_t sim_frame_take_changes(uint64_t pa, uint64_t since_gen);
/* The coherent view of the 64-byte line holding pa (RAM), into dst. */
void sim_coherent_read_line(uint64_t pa, void *dst);

struct sim_stage2 { bool enabled; uint16_t vmid; uint64_t root; };
void sim_cpu_stage2(unsigned cpu, struct sim_stage2 *out);
/* Moves with every write to any CPU's stage-2 context (load, init,
 * restore): while it stays, sim_cpu_stage2 answers as before. */
uint64_t sim_context_epoch(void);
struct sim_smmu_unit { bool attached; uint64_t root; };
void sim_smmu_unit(unsigned unit, struct sim_smmu_unit *out);
/* Moves with every write to any unit's registers (attach, detach, init,
 * restore): while it stays, sim_smmu_unit answers as before. */
uint64_t sim_smmu_epoch(void);
#define SIM_SMMU_UNITS 8

/* The cached copy of the line holding pa: false if none; else *dirty and,
 * when data is not NULL, its 64 bytes. */
bool sim_cache_line(uint64_t pa, bool *dirty, uint8_t data[64]);
/* The lines of the RAM page holding pa that the cache holds, bit l for
 * line l, and in *dirty (may be NULL) those of them dirty: a page's
 * cached lines in one look.  0 outside RAM. */
uint64_t sim_cache_page_lines(uint64_t pa, uint64_t *dirty);
/* Of the lines of the RAM page holding pa in mask lines: those the cache
 * holds with bytes that differ from memory's below them. */
uint64_t sim_cache_stale_lines(uint64_t pa, uint64_t lines);
/* Of the lines of the RAM page holding pa in mask lines: those not all
 * zeros, in the coherent view (coherent) or in memory.  0 outside RAM. */
uint64_t sim_page_nonzero_lines(uint64_t pa, uint64_t lines, bool coherent);

/* --- Events and scheduling ------------------------------------------------ */

typedef void (*sim_event_fn)(void *ctx, const struct sim_event *ev);
/* fn gets every event from now on (NULL: none). */
void sim_set_event_sink(sim_event_fn fn, void *ctx);
/* The kinds (bit 1u << kind) handed to fn while fn is the sink; an event
 * of another kind is still numbered and kept among the recent ones, only
 * not handed over, so a sink that reads few kinds pays for no call on the
 * rest.  Nothing changes when fn is not the sink. */
#define SIM_EVENT_KINDS_ALL ((uint32_t)((1ull << EV__COUNT) - 1))
void sim_set_event_kinds(sim_event_fn fn, uint32_t kinds);
/* The last n events (n <= SIM_RECENT), oldest first; returns how many. */
#define SIM_RECENT 64
unsigned sim_recent_events(struct sim_event *out, unsigned n);
uint64_t sim_event_count(void);

/* Called at every arch call before it acts (a scheduling point) and while a
 * lock is contended.  With no hook, contention is a deadlock: the model
 * reports it through the panic hook.  The hook may run other CPUs, but
 * sim_cpu() must be back to the caller's CPU when it returns.  Only calls
 * that emit an event are scheduling points (not arch_pte_read,
 * arch_pte_next_valid, arch_cpu_id, arch_cpu_count or arch_spin_init). */
enum sim_yield_reason { SIM_YIELD_POINT, SIM_YIELD_CONTENDED };
typedef void (*sim_yield_fn)(void *ctx, enum sim_yield_reason why);
void sim_set_yield_hook(sim_yield_fn fn, void *ctx);

/* arch_panic (and deadlock) call this.  The harness longjmps out to record
 * a violation; the default prints and aborts, as does the model if the hook
 * returns. */
typedef void (*sim_panic_fn)(void *ctx, const char *why);
void sim_set_panic_hook(sim_panic_fn fn, void *ctx);
/* Whether KCore's call on cpu has reached its end-of-call assertions
 * (arch_call_returning), so a panic now is about how the operation ended;
 * the driver marks each call's start and end with sim_call_boundary. */
bool sim_call_returning(unsigned cpu);
void sim_call_boundary(unsigned cpu);

#endif
