/* A coherent write-back cache shared by all CPUs, with 64-byte lines.
 *
 * Per RAM frame a lazily allocated block holds the frame's 64 lines and two
 * masks: which lines are present and which are dirty.  The cache has no
 * capacity limit; lines leave it only through DC CIVAC, an eviction the
 * fuzzer chooses, or a restore.  Non-cacheable accesses never look here,
 * which is the point: they can see memory below a dirty line, and a clean
 * line stays stale above a non-cacheable write, as with mismatched
 * attributes on real hardware.
 *
 * Each change of a frame's coherent view is told to mem.c with the lines
 * it changed (sim_frame_touch_lines): a write to a line, a line dropped
 * above memory that differs from it.  A write-back changes memory under a
 * line that stays, so it changes none.
 */
#include <stdlib.h>
#include <string.h>

#include "hyp/addr.h"
#include "sim_private.h"

#define LINES_PER_FRAME (PAGE_SIZE / CACHE_LINE_SIZE) /* 64: one mask bit each */

struct cache_block {
	uint64_t present, dirty;
	uint64_t zero; /* present lines all zeros from a zeroing, unwritten since */
	uint8_t data[PAGE_SIZE];
};

static struct {
	uint64_t ram_pages;
	struct cache_block **blocks; /* per frame, NULL when no line ever cached */
	uint64_t *active;            /* frames with a block, in allocation order */
	uint64_t nactive;
	struct cache_block *spare;   /* free blocks, chained through data[] */
} cache;

int sim_cache_init(const struct sim_config *cfg)
{
	cache.ram_pages = cfg->ram_bytes >> PAGE_SHIFT;
	cache.blocks = calloc(cache.ram_pages, sizeof(*cache.blocks));
	cache.active = calloc(cache.ram_pages, sizeof(*cache.active));
	if (!cache.blocks || !cache.active) {
		sim_cache_fini();
		return -1;
	}
	return 0;
}

static void spare_push(struct cache_block *b)
{
	memcpy(b->data, &cache.spare, sizeof(cache.spare));
	cache.spare = b;
}

static struct cache_block *spare_pop(void)
{
	struct cache_block *b = cache.spare;

	if (b) {
		memcpy(&cache.spare, b->data, sizeof(cache.spare));
		return b;
	}
	b = malloc(sizeof(*b));
	if (!b)
		sim_fatal("machine model: out of host memory");
	return b;
}

/* The lines of frame's block b a drop of lines changes the coherent view
 * of: those unlike memory below them, for a frame an observer watches
 * (it re-reads them); for any other, all of lines, without comparing.
 * Every line present was filled from memory since the last checkpoint
 * (which empties the cache); a clean one still equals memory unless it
 * was written back and memory stored again since, or memory was stored
 * under it: only dirty lines and those over stored memory can differ. */
static uint64_t dropping_changes(const struct cache_block *b, uint64_t frame, uint64_t lines)
{
	if (!sim_frame_watched(frame))
		return lines;
	const uint8_t *below = sim_ram_frame(frame);
	uint64_t may_differ = lines & (b->dirty | sim_ram_lines_stored(frame));
	if (!below) /* memory all zeros: a zeroed line equals it (fresh tables) */
		may_differ &= ~b->zero;
	return sim_lines_differing(b->data, below, may_differ);
}

void sim_cache_discard_all(void)
{
	for (uint64_t i = 0; i < cache.nactive; i++) {
		const struct cache_block *b = cache.blocks[cache.active[i]];
		if (b->present) /* the lines present were the view; memory is now */
			sim_frame_touch_lines(cache.active[i], dropping_changes(b, cache.active[i], b->present));
		spare_push(cache.blocks[cache.active[i]]);
		cache.blocks[cache.active[i]] = NULL;
	}
	cache.nactive = 0;
}

void sim_cache_fini(void)
{
	sim_cache_discard_all();
	while (cache.spare)
		free(spare_pop());
	free(cache.blocks);
	free(cache.active);
	memset(&cache, 0, sizeof(cache));
}

static unsigned line_of(uint64_t pa)
{
	return (unsigned)((pa & PAGE_MASK) / CACHE_LINE_SIZE);
}

static uint64_t line_base(uint64_t pa)
{
	return pa & ~(uint64_t)(CACHE_LINE_SIZE - 1);
}

static struct cache_block *block_of(uint64_t pa)
{
	return cache.blocks[sim_frame_index(pa)];
}

static struct cache_block *block_get_frame(uint64_t frame)
{
	struct cache_block *b = cache.blocks[frame];

	if (!b) {
		b = spare_pop();
		b->present = b->dirty = b->zero = 0;
		cache.blocks[frame] = b;
		cache.active[cache.nactive++] = frame;
	}
	return b;
}

static void write_back(struct cache_block *b, uint64_t pa)
{
	unsigned l = line_of(pa);

	sim_ram_write_back(line_base(pa), b->data + l * CACHE_LINE_SIZE, CACHE_LINE_SIZE);
	b->dirty &= ~(1ull << l);
}

void sim_cache_flush_all(void)
{
	for (uint64_t i = 0; i < cache.nactive; i++) {
		uint64_t frame = cache.active[i];
		struct cache_block *b = cache.blocks[frame];

		for (unsigned l = 0; b->dirty; l++)
			if (b->dirty & (1ull << l))
				write_back(b, sim_frame_pa(frame) + l * CACHE_LINE_SIZE);
	}
	sim_cache_discard_all();
}

/* Line l of frame's block b, filled from memory if absent. */
static uint8_t *block_line_fill(struct cache_block *b, uint64_t frame, unsigned l)
{
	uint8_t *data = b->data + l * CACHE_LINE_SIZE;

	if (!(b->present & (1ull << l))) {
		sim_ram_read(sim_frame_pa(frame) + l * CACHE_LINE_SIZE, data, CACHE_LINE_SIZE);
		b->present |= 1ull << l;
		b->zero &= ~(1ull << l);
	}
	return data;
}

/* The line holding pa, filled from memory if absent. */
static uint8_t *line_fill(uint64_t pa)
{
	uint64_t frame = sim_frame_index(pa);

	return block_line_fill(block_get_frame(frame), frame, line_of(pa));
}

void sim_cache_read(uint64_t pa, void *dst, size_t n)
{
	memcpy(dst, line_fill(pa) + (pa & (CACHE_LINE_SIZE - 1)), n);
}

/* A write of the whole line needs no fill from memory first: every byte
 * the fill would bring is overwritten. */
void sim_cache_write(uint64_t pa, const void *src, size_t n)
{
	uint64_t frame = sim_frame_index(pa);
	struct cache_block *b = block_get_frame(frame);
	unsigned l = line_of(pa);
	uint8_t *data = n == CACHE_LINE_SIZE ? b->data + l * CACHE_LINE_SIZE
					     : block_line_fill(b, frame, l);

	memcpy(data + (pa & (CACHE_LINE_SIZE - 1)), src, n);
	b->present |= 1ull << l;
	b->dirty |= 1ull << l;
	b->zero &= ~(1ull << l);
	sim_frame_touch_lines(frame, 1ull << l);
}

/* The lines of frame whose coherent view (b's line if present, else
 * memory) is not all zeros. */
static uint64_t nonzero_lines(const struct cache_block *b, uint64_t frame)
{
	const uint8_t *below = sim_ram_frame(frame);
	uint64_t lines = sim_lines_differing(b->data, NULL, b->present);

	return below ? lines | sim_lines_differing(below, NULL, ~b->present) : lines;
}

void sim_cache_zero_page(uint64_t pa)
{
	uint64_t frame = sim_frame_index(pa);
	struct cache_block *b = block_get_frame(frame);
	uint64_t changed = sim_frame_watched(frame) ? nonzero_lines(b, frame) : ~0ull;

	memset(b->data, 0, PAGE_SIZE);
	b->present = b->dirty = b->zero = ~0ull;
	sim_frame_touch_n(frame, LINES_PER_FRAME, changed);
}

unsigned sim_cache_find_word(uint64_t pa, unsigned from, unsigned to, uint64_t mask, uint64_t *val)
{
	uint64_t frame = sim_frame_index(pa);
	struct cache_block *b = from <= to ? block_get_frame(frame) : NULL;
	const unsigned per_line = CACHE_LINE_SIZE / 8;

	for (unsigned i = from; i <= to;) {
		const uint8_t *line = block_line_fill(b, frame, i / per_line);
		unsigned end = (i | (per_line - 1)) < to ? (i | (per_line - 1)) : to;

		for (; i <= end; i++) {
			uint64_t w;

			memcpy(&w, line + (i % per_line) * 8, 8);
			if (w & mask) {
				*val = w;
				return i;
			}
		}
	}
	return to + 1;
}

/* The present line holding pa, or NULL. */
static uint8_t *line_present(uint64_t pa)
{
	struct cache_block *b = block_of(pa);
	unsigned l = line_of(pa);

	if (!b || !(b->present & (1ull << l)))
		return NULL;
	return b->data + l * CACHE_LINE_SIZE;
}

void sim_cache_snoop_read(uint64_t pa, void *dst, size_t n)
{
	const uint8_t *line = line_present(pa);

	if (line)
		memcpy(dst, line + (pa & (CACHE_LINE_SIZE - 1)), n);
	else
		sim_ram_read(pa, dst, n);
}

void sim_cache_snoop_write(uint64_t pa, const void *src, size_t n)
{
	uint8_t *line = line_present(pa);

	if (line) {
		memcpy(line + (pa & (CACHE_LINE_SIZE - 1)), src, n);
		block_of(pa)->dirty |= 1ull << line_of(pa);
		block_of(pa)->zero &= ~(1ull << line_of(pa));
		sim_frame_touch_lines(sim_frame_index(pa), 1ull << line_of(pa));
	} else {
		sim_ram_write(pa, src, n);
	}
}

/* Line l of frame written back if dirty.  Returns its block when the line
 * is present, else NULL; *was_dirty (may be NULL) whether it was dirty. */
static struct cache_block *clean_line(uint64_t frame, unsigned l, bool *was_dirty)
{
	struct cache_block *b = cache.blocks[frame];
	uint64_t bit = 1ull << l;
	bool dirty = b && (b->dirty & bit);

	if (was_dirty)
		*was_dirty = dirty;
	if (!b || !(b->present & bit))
		return NULL;
	if (dirty) {
		sim_ram_write_back(sim_frame_pa(frame) + l * CACHE_LINE_SIZE, b->data + l * CACHE_LINE_SIZE,
				   CACHE_LINE_SIZE);
		b->dirty &= ~bit;
	}
	return b;
}

bool sim_cache_clean(uint64_t pa, bool *was_dirty)
{
	return clean_line(sim_frame_index(pa), line_of(pa), was_dirty) != NULL;
}

bool sim_cache_clean_inval(uint64_t pa, bool *was_dirty)
{
	uint64_t frame = sim_frame_index(pa);
	unsigned l = line_of(pa);
	bool dirty;
	struct cache_block *b = clean_line(frame, l, &dirty);

	if (was_dirty)
		*was_dirty = dirty;
	if (!b)
		return false;
	b->present &= ~(1ull << l);
	b->zero &= ~(1ull << l);
	/* memory below a clean line may differ from it (a non-cacheable
	 * write): the coherent view changes when the line goes; below a
	 * line just written back it is the same */
	sim_frame_touch_lines(frame, dirty ? 0 : dropping_changes(b, frame, 1ull << l));
	return true;
}

bool sim_cache_line(uint64_t pa, bool *dirty, uint8_t data[64])
{
	const uint8_t *line;

	if (sim_mem_kind(pa, 1) != MEM_RAM || !(line = line_present(pa)))
		return false;
	if (dirty)
		*dirty = (block_of(pa)->dirty >> line_of(pa)) & 1;
	if (data)
		memcpy(data, line, CACHE_LINE_SIZE);
	return true;
}

/* The page's block, NULL if none or the page is not RAM. */
static const struct cache_block *ram_block(uint64_t pa)
{
	return sim_mem_kind(pa & ~PAGE_MASK, PAGE_SIZE) == MEM_RAM ? block_of(pa) : NULL;
}

uint64_t sim_cache_page_lines(uint64_t pa, uint64_t *dirty)
{
	const struct cache_block *b = ram_block(pa);

	if (dirty)
		*dirty = b ? b->dirty & b->present : 0;
	return b ? b->present : 0;
}

uint64_t sim_cache_stale_lines(uint64_t pa, uint64_t lines)
{
	const struct cache_block *b = ram_block(pa);

	return b ? sim_lines_differing(b->data, sim_ram_frame(sim_frame_index(pa)), lines & b->present) : 0;
}

uint64_t sim_page_nonzero_lines(uint64_t pa, uint64_t lines, bool coherent)
{
	if (sim_mem_kind(pa & ~PAGE_MASK, PAGE_SIZE) != MEM_RAM)
		return 0;
	const struct cache_block *b = coherent ? block_of(pa) : NULL;
	uint64_t cached = b ? lines & b->present : 0;
	uint64_t nonzero = cached ? sim_lines_differing(b->data, NULL, cached) : 0;

	return nonzero | sim_lines_differing(sim_ram_frame(sim_frame_index(pa)), NULL, lines & ~cached);
}

void sim_cache_evict(uint64_t pa)
{
	bool dirty;

	if (sim_mem_kind(pa, 1) != MEM_RAM || !sim_cache_clean_inval(pa, &dirty))
		return;
	sim_emit(EV_CACHE_EVICT, sim_cpu(), line_base(pa), dirty, 0, 0);
}

uint64_t sim_coherent_read64(uint64_t pa)
{
	uint64_t v = 0;

	pa &= ~7ull;
	switch (sim_mem_kind(pa, 8)) {
	case MEM_RAM: sim_cache_snoop_read(pa, &v, 8); return v;
	case MEM_MMIO: return sim_mmio_read64(pa);
	default: return 0;
	}
}

/* A whole page: what a coherent observer (the oracles' table scans)
 * sees.  The frame at the point of coherency in one copy, then the lines
 * present in the cache over it, as sim_cache_snoop_read would pick them. */
void sim_coherent_read_page(uint64_t pa, void *dst)
{
	pa &= ~PAGE_MASK;
	if (sim_mem_kind(pa, PAGE_SIZE) != MEM_RAM) {
		uint64_t *w = dst;
		for (unsigned i = 0; i < PAGE_SIZE / 8; i++)
			w[i] = sim_coherent_read64(pa + 8ull * i);
		return;
	}
	sim_ram_read(pa, dst, PAGE_SIZE);
	const struct cache_block *b = block_of(pa);
	for (uint64_t left = b ? b->present : 0; left; left &= left - 1) {
		unsigned l = (unsigned)__builtin_ctzll(left);
		memcpy((uint8_t *)dst + l * CACHE_LINE_SIZE, b->data + l * CACHE_LINE_SIZE, CACHE_LINE_SIZE);
	}
}

void sim_coherent_read_line(uint64_t pa, void *dst)
{
	sim_cache_snoop_read(line_base(pa), dst, CACHE_LINE_SIZE);
}

void sim_coherent_write64(uint64_t pa, uint64_t v)
{
	pa &= ~7ull;
	if (sim_mem_kind(pa, 8) == MEM_RAM)
		sim_cache_snoop_write(pa, &v, 8);
}
