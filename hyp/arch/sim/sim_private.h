/* Internal interfaces between the parts of the machine model.
 *
 * Each part keeps its own state in file-scope variables (there is one
 * machine) and exposes only what the others need here.  Nothing in this
 * header is visible to KCore, the harness or the oracles.
 */
#ifndef SIM_PRIVATE_H
#define SIM_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/machine.h"

/* --- Host buffers of one page (pool.c) ------------------------------------ */

/* Pages come from a free list so the hot path does not call malloc once the
 * pool has warmed up. */
void *sim_pool_page(void);      /* contents undefined */
void *sim_pool_page_zeroed(void);
void sim_pool_page_free(void *page);
void sim_pool_fini(void);

/* --- Physical memory (mem.c) ---------------------------------------------- */

enum mem_kind { MEM_EXTERNAL, MEM_RAM, MEM_MMIO };

int sim_mem_init(const struct sim_config *cfg);
void sim_mem_fini(void);
void sim_mem_checkpoint(void);
void sim_mem_restore(void);
/* What [pa, pa + len) is; MEM_EXTERNAL unless all of it is one kind. */
enum mem_kind sim_mem_kind(uint64_t pa, uint64_t len);
/* RAM index of the frame holding pa (pa must be RAM). */
uint64_t sim_frame_index(uint64_t pa);
uint64_t sim_frame_pa(uint64_t frame);
/* Bytes of RAM at the point of coherency; [pa, pa + n) within one frame. */
void sim_ram_read(uint64_t pa, void *dst, size_t n);
void sim_ram_write(uint64_t pa, const void *src, size_t n);
/* As sim_ram_write, for a write-back: the bytes come from lines that stay
 * present above them, so the coherent view does not change (the frame's
 * generation moves, but no line is marked changed). */
void sim_ram_write_back(uint64_t pa, const void *src, size_t n);
/* A frame's bytes at the point of coherency, by RAM index; NULL while
 * it is all zeros (never written). */
const uint8_t *sim_ram_frame(uint64_t frame);
/* Of the lines in which (bit l: bytes [64 l, 64 l + 64)), those in which
 * two 4 KiB frames differ; NULL stands for a frame of zeros. */
uint64_t sim_lines_differing(const uint8_t *a, const uint8_t *b, uint64_t which);
/* The lines of RAM frame stored to since the last checkpoint. */
uint64_t sim_ram_lines_stored(uint64_t frame);
/* The coherent view of a frame (by RAM index) may have changed: a new
 * generation for it.  Memory writes and restores call it here; the cache
 * calls it for writes to lines and for lines it drops. */
void sim_frame_touch(uint64_t frame);
/* As sim_frame_touch, with only the lines set in lines (bit l: bytes
 * [64 l, 64 l + 64)) changed in value; 0 for a move that changed none. */
void sim_frame_touch_lines(uint64_t frame, uint64_t lines);
/* As n calls of sim_frame_touch_lines: a bulk change leaves the frame
 * and the epoch where the same change line by line would. */
void sim_frame_touch_n(uint64_t frame, unsigned n, uint64_t lines);
/* Whether an observer keeps the frame (sim_frame_watch): only for those
 * is it worth comparing which lines a bulk change changed in value. */
bool sim_frame_watched(uint64_t frame);
/* Device registers: reads give a pattern derived from the address. */
uint64_t sim_mmio_read64(uint64_t pa);

/* --- The cache (cache.c) --------------------------------------------------- */

int sim_cache_init(const struct sim_config *cfg);
void sim_cache_fini(void);
/* Write back every dirty line and drop all lines (no events). */
void sim_cache_flush_all(void);
/* Drop all lines without writing anything back (no events). */
void sim_cache_discard_all(void);
/* Cacheable accesses: [pa, pa + n) is RAM within one line; lines are
 * allocated from memory on a miss. */
void sim_cache_read(uint64_t pa, void *dst, size_t n);
void sim_cache_write(uint64_t pa, const void *src, size_t n);
/* The page holding pa written with zeros: the state a cacheable write of
 * zeros to each of its lines in turn leaves. */
void sim_cache_zero_page(uint64_t pa);
/* Words from..to (indexes of 64-bit words, to < 512) of the page holding
 * pa read through the cache in turn, as sim_cache_read of each would,
 * until one has a bit of mask set: returns its index and *val its value,
 * or to + 1 when none has (the lines of every word read are filled). */
unsigned sim_cache_find_word(uint64_t pa, unsigned from, unsigned to, uint64_t mask, uint64_t *val);
/* Coherent accesses that do not allocate: a present line is used (and made
 * dirty by a write), else memory. */
void sim_cache_snoop_read(uint64_t pa, void *dst, size_t n);
void sim_cache_snoop_write(uint64_t pa, const void *src, size_t n);
/* Maintenance of the line holding pa.  Return whether a line was present;
 * *was_dirty (may be NULL) tells whether it was dirty. */
bool sim_cache_clean(uint64_t pa, bool *was_dirty);
bool sim_cache_clean_inval(uint64_t pa, bool *was_dirty);

/* --- Per-CPU state (cpu.c) ------------------------------------------------- */

void sim_cpus_init(const struct sim_config *cfg);
void sim_cpus_checkpoint(void);
void sim_cpus_restore(void);
/* The CPU's stage-2 context; NULL if cpu is out of range. */
const struct sim_stage2 *sim_cpu_context(unsigned cpu);
void sim_cpu_load_stage2(unsigned cpu, uint16_t vmid, uint64_t root);

/* --- TLBs (tlb.c) ---------------------------------------------------------- */

struct tlb_slot {
	bool valid;
	struct sim_tlb_entry e;
	uint64_t gen;      /* the TLB epoch of its last fill */
};

int sim_tlb_init(const struct sim_config *cfg);
void sim_tlb_fini(void);
void sim_tlb_flush_all(void);
/* The entry of cpu's TLB that covers (vmid, ipa), or NULL. */
const struct tlb_slot *sim_tlb_lookup(unsigned cpu, uint16_t vmid, uint64_t ipa);
/* Insert the leaf of a successful walk of ipa and emit EV_TLB_FILL. */
const struct tlb_slot *sim_tlb_fill(unsigned cpu, uint16_t vmid, uint64_t ipa, const struct sim_walk *w);
/* What a TLBI selects: by (VMID, IPA), by VMID, everything. */
enum sim_tlbi_kind { SIM_TLBI_IPA, SIM_TLBI_VMID, SIM_TLBI_ALL };
#define SIM_ALL_CPUS (~0u)
/* Remove the entries kind selects that were filled at or before TLB epoch
 * `before`, from cpu's TLB or from every CPU's (SIM_ALL_CPUS). */
void sim_tlb_inval(enum sim_tlbi_kind kind, uint16_t vmid, uint64_t ipa, unsigned cpu, uint64_t before);

/* --- Stage-2 walks by an observer (walk.c) ---------------------------------- */

/* Who walks: a CPU (its own unpublished writes seen) or a device. */
#define SIM_OBSERVER_DEVICE (~0u)
/* sim_s2_walk with descriptors as observer sees them (relaxed.c). */
int sim_s2_walk_seen_by(unsigned observer, uint64_t root, uint64_t ipa, struct sim_walk *out);

/* --- Relaxed ordering (relaxed.c) ------------------------------------------- */

void sim_relaxed_reset(void);
/* cpu wrote the descriptor at pa, which held old. */
void sim_relaxed_pte_write(unsigned cpu, uint64_t pa, uint64_t old);
/* The 64-bit descriptor at pa as observer's walker sees it. */
uint64_t sim_walker_read64(unsigned observer, uint64_t pa);
/* cpu issued a broadcast TLBI: it completes at cpu's next DSB. */
void sim_relaxed_tlbi(unsigned cpu, enum sim_tlbi_kind kind, uint16_t vmid, uint64_t ipa);
/* Whether an SMMU invalidation by cpu now is ordered after its writes. */
bool sim_relaxed_smmu_inval_ordered(unsigned cpu);
/* cpu's DSB completes: its TLBIs complete, its writes are published. */
void sim_relaxed_dsb(unsigned cpu);

/* --- The SMMU's IOTLB (iotlb.c) --------------------------------------------- */

void sim_iotlb_reset(void);
/* The unit's cached leaf covering iova, filled from a walk on a miss (as the
 * SMMU's walker sees the tables).  Returns the fault; *w the leaf. */
int sim_iotlb_translate(unsigned unit, uint64_t root, uint64_t iova, struct sim_walk *w);
/* Drop every entry of the unit. */
void sim_iotlb_drop(unsigned unit);

/* --- SMMU (smmu.c) --------------------------------------------------------- */

void sim_smmu_init(void);
void sim_smmu_checkpoint(void);
void sim_smmu_restore(void);
/* Returns false if unit is out of range. */
bool sim_smmu_attach(unsigned unit, uint64_t root);
bool sim_smmu_detach(unsigned unit);
/* The unit's root; false when out of range or detached. */
bool sim_smmu_root(unsigned unit, uint64_t *root);

/* --- Events (events.c) ----------------------------------------------------- */

/* The stream's state, events.c's alone to change but for sim_emit. */
struct sim_event_stream {
	sim_event_fn sink;
	void *sink_ctx;
	uint32_t sink_kinds; /* bit 1u << kind: the kinds handed to the sink */
	uint64_t seq;
	struct sim_event ring[SIM_RECENT];
};
extern struct sim_event_stream sim_events;

/* Number the event, keep it among the recent ones and hand it to the sink
 * if it reads its kind.  Inline: nearly every arch call emits one, and a
 * call per event cost more than keeping it. */
static inline void sim_emit(enum sim_event_kind kind, unsigned cpu, uint64_t a, uint64_t b, uint64_t c,
			    uint64_t d)
{
	struct sim_event *ev = &sim_events.ring[sim_events.seq % SIM_RECENT];

	*ev = (struct sim_event){
		.seq = sim_events.seq, .kind = (uint16_t)kind, .cpu = (uint16_t)cpu,
		.a = a, .b = b, .c = c, .d = d,
	};
	sim_events.seq++;
	/* no sink means no kinds */
	if ((unsigned)kind < EV__COUNT && ((sim_events.sink_kinds >> kind) & 1))
		sim_events.sink(sim_events.sink_ctx, ev);
}
/* Restart numbering and forget recent events. */
void sim_events_reset(void);

/* --- Hooks (hooks.c) -------------------------------------------------------- */

/* A scheduling point (or a contended wait).  Returns false if no hook is
 * set, in which case nothing else could run. */
bool sim_yield(enum sim_yield_reason why);
/* Emit EV_PANIC and call the panic hook; abort if it returns. */
_Noreturn void sim_fatal(const char *why);

#endif
