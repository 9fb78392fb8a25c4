/* Physical memory at the point of coherency.
 *
 * RAM is a flat array of frame pointers (O(1) lookup); a frame is allocated
 * on its first write and reads of an untouched frame give zeros.  Every
 * frame written since the last checkpoint is journalled once with its
 * previous contents, so restoring costs time in the number of frames
 * touched, not in the size of RAM.  MMIO reads give a pattern derived from
 * the address and writes are dropped: the model has no devices, but a
 * read must be repeatable.
 *
 * Each frame also carries a generation (sim_frame_gen): observers that
 * cache what they read of a frame re-read it only when it moved.  The
 * generations come from one counter that never goes back, not even across
 * sim_fini and sim_init, so a cached generation can never match a frame
 * that changed since.
 *
 * An observer that keeps a few frames (the oracles' stage-2 tables) marks
 * them watched, and polls the watch epoch, which moves only when a watched
 * frame is touched: a step that wrote only data leaves it still, so the
 * observer need not look at its frames' generations at all.  The marks
 * outlive sim_fini (an observer's cache does too) and are never taken
 * back; a machine of another size than the last starts with every frame
 * watched, since the marks made for the old one no longer say which
 * frames are kept.
 *
 * Finer than the generation, each frame keeps a mask of its 64 cache
 * lines whose coherent value may have changed since an observer last took
 * it (sim_frame_take_changes): writes set the lines they cover, a
 * restore those it changed (of a watched frame; of others, all), the
 * cache the lines it writes or drops above different memory;
 * a write-back under a present line (a clean) sets none, since the line
 * still decides what the coherent view shows.
 */
#include <stdlib.h>
#include <string.h>

#include "hyp/addr.h"
#include "sim_private.h"

struct journal_entry {
	uint64_t frame;
	uint8_t *saved; /* contents at the checkpoint; NULL: frame was absent */
};

static struct {
	uint64_t ram_base, ram_pages;
	uint64_t mmio_base, mmio_bytes;
	uint8_t **frames;
	uint8_t *journalled; /* per frame: already in the journal */
	struct journal_entry *journal;
	uint64_t journal_len, journal_cap;
	uint64_t *gen;       /* per frame: the epoch of its last possible change */
	uint64_t *lines;     /* per frame: lines changed since the last take */
	uint64_t *taken;     /* per frame: its generation at the last take */
	uint64_t *written;   /* per frame: lines stored since the checkpoint */
} mem;

static uint64_t epoch; /* outside mem: it survives sim_mem_fini */

/* Outside mem too: the observers' caches survive sim_mem_fini. */
static struct {
	uint8_t *mark;       /* per frame: some observer keeps it */
	uint64_t base, pages; /* the RAM mark[] covers */
	uint64_t epoch;
} watch;

void sim_frame_touch(uint64_t frame)
{
	sim_frame_touch_lines(frame, ~0ull);
}

void sim_frame_touch_lines(uint64_t frame, uint64_t lines)
{
	mem.gen[frame] = ++epoch;
	mem.lines[frame] |= lines;
	watch.epoch += watch.mark[frame];
}

bool sim_frame_watched(uint64_t frame)
{
	return watch.mark[frame] != 0;
}

void sim_frame_touch_n(uint64_t frame, unsigned n, uint64_t lines)
{
	epoch += n;
	mem.gen[frame] = epoch;
	mem.lines[frame] |= lines;
	watch.epoch += watch.mark[frame];
}

/* Lines [off, off + n) of a frame (n > 0, within the frame). */
static uint64_t lines_of(uint64_t off, size_t n)
{
	unsigned first = (unsigned)(off / CACHE_LINE_SIZE), last = (unsigned)((off + n - 1) / CACHE_LINE_SIZE);
	uint64_t upto_last = last == 63 ? ~0ull : (2ull << last) - 1;
	return upto_last & ~((1ull << first) - 1);
}

uint64_t sim_frame_take_changes(uint64_t pa, uint64_t since_gen)
{
	if (sim_mem_kind(pa, 1) != MEM_RAM)
		return ~0ull;
	uint64_t i = sim_frame_index(pa);
	uint64_t lines = mem.taken[i] == since_gen ? mem.lines[i] : ~0ull;
	mem.lines[i] = 0;
	mem.taken[i] = mem.gen[i];
	return lines;
}

void sim_frame_watch(uint64_t pa)
{
	if (sim_mem_kind(pa, 1) == MEM_RAM)
		watch.mark[sim_frame_index(pa)] = 1;
}

uint64_t sim_watch_epoch(void)
{
	return watch.epoch;
}

/* Marks for a machine of mem's size; every frame was reset, watched or not. */
static bool watch_init(void)
{
	watch.epoch++;
	if (watch.mark && watch.base == mem.ram_base && watch.pages == mem.ram_pages)
		return true;
	bool first = watch.mark == NULL;
	free(watch.mark);
	watch.mark = malloc(mem.ram_pages ? mem.ram_pages : 1);
	watch.base = mem.ram_base;
	watch.pages = watch.mark ? mem.ram_pages : 0;
	if (watch.mark)
		memset(watch.mark, first ? 0 : 1, mem.ram_pages);
	return watch.mark != NULL;
}

uint64_t sim_frame_gen(uint64_t pa)
{
	return sim_mem_kind(pa, 1) == MEM_RAM ? mem.gen[sim_frame_index(pa)] : 0;
}

const uint64_t *sim_frame_gens(void)
{
	return mem.gen;
}

uint64_t sim_mem_epoch(void)
{
	return epoch;
}

int sim_mem_init(const struct sim_config *cfg)
{
	mem.ram_base = cfg->ram_base;
	mem.ram_pages = cfg->ram_bytes >> PAGE_SHIFT;
	mem.mmio_base = cfg->mmio_base;
	mem.mmio_bytes = cfg->mmio_bytes;
	mem.frames = calloc(mem.ram_pages, sizeof(*mem.frames));
	mem.journalled = calloc(mem.ram_pages, 1);
	mem.gen = calloc(mem.ram_pages, sizeof(*mem.gen));
	mem.lines = malloc(mem.ram_pages ? mem.ram_pages * sizeof(*mem.lines) : 1);
	mem.taken = calloc(mem.ram_pages, sizeof(*mem.taken));
	mem.written = calloc(mem.ram_pages, sizeof(*mem.written));
	if (!mem.frames || !mem.journalled || !mem.gen || !mem.lines || !mem.taken || !mem.written ||
	    !watch_init()) {
		sim_mem_fini();
		return -1;
	}
	/* what an observer kept of another machine says nothing of this one */
	memset(mem.lines, 0xff, mem.ram_pages * sizeof(*mem.lines));
	return 0;
}

static void journal_forget(void)
{
	for (uint64_t i = 0; i < mem.journal_len; i++) {
		sim_pool_page_free(mem.journal[i].saved);
		mem.journalled[mem.journal[i].frame] = 0;
		mem.written[mem.journal[i].frame] = 0;
	}
	mem.journal_len = 0;
}

void sim_mem_fini(void)
{
	journal_forget();
	for (uint64_t i = 0; mem.frames && i < mem.ram_pages; i++)
		sim_pool_page_free(mem.frames[i]);
	free(mem.frames);
	free(mem.journalled);
	free(mem.journal);
	free(mem.gen);
	free(mem.lines);
	free(mem.taken);
	free(mem.written);
	memset(&mem, 0, sizeof(mem));
}

void sim_mem_checkpoint(void)
{
	journal_forget();
}

uint64_t sim_lines_differing(const uint8_t *a, const uint8_t *b, uint64_t which)
{
	static const uint8_t zeros[PAGE_SIZE];
	uint64_t lines = 0;

	a = a ? a : zeros;
	b = b ? b : zeros;
	for (uint64_t left = which; left; left &= left - 1) {
		unsigned l = (unsigned)__builtin_ctzll(left);
		uint64_t x[CACHE_LINE_SIZE / 8], y[CACHE_LINE_SIZE / 8], diff = 0;
		memcpy(x, a + l * CACHE_LINE_SIZE, CACHE_LINE_SIZE);
		memcpy(y, b + l * CACHE_LINE_SIZE, CACHE_LINE_SIZE);
		for (unsigned k = 0; k < CACHE_LINE_SIZE / 8; k++)
			diff |= x[k] ^ y[k];
		lines |= (uint64_t)(diff != 0) << l;
	}
	return lines;
}

const uint8_t *sim_ram_frame(uint64_t frame)
{
	return mem.frames[frame];
}

uint64_t sim_ram_lines_stored(uint64_t frame)
{
	return mem.written[frame];
}

/* A watched frame is told which lines the restore changed (its observer
 * re-reads those); any other, all of them, without comparing.  A line
 * not stored since the checkpoint still holds the saved bytes: only
 * those stored are compared. */
void sim_mem_restore(void)
{
	for (uint64_t i = 0; i < mem.journal_len; i++) {
		struct journal_entry *j = &mem.journal[i];
		uint64_t lines = sim_frame_watched(j->frame)
					 ? sim_lines_differing(mem.frames[j->frame], j->saved, mem.written[j->frame])
					 : ~0ull;

		sim_pool_page_free(mem.frames[j->frame]);
		mem.frames[j->frame] = j->saved;
		mem.journalled[j->frame] = 0;
		mem.written[j->frame] = 0;
		sim_frame_touch_lines(j->frame, lines);
	}
	mem.journal_len = 0;
}

static bool in_range(uint64_t pa, uint64_t len, uint64_t base, uint64_t bytes)
{
	return pa >= base && len <= bytes && pa - base <= bytes - len;
}

enum mem_kind sim_mem_kind(uint64_t pa, uint64_t len)
{
	if (in_range(pa, len, mem.ram_base, mem.ram_pages << PAGE_SHIFT))
		return MEM_RAM;
	if (in_range(pa, len, mem.mmio_base, mem.mmio_bytes))
		return MEM_MMIO;
	return MEM_EXTERNAL;
}

bool sim_is_ram(uint64_t pa)
{
	return sim_mem_kind(pa, 1) == MEM_RAM;
}

bool sim_is_mmio(uint64_t pa)
{
	return sim_mem_kind(pa, 1) == MEM_MMIO;
}

uint64_t sim_frame_index(uint64_t pa)
{
	return (pa - mem.ram_base) >> PAGE_SHIFT;
}

uint64_t sim_frame_pa(uint64_t frame)
{
	return mem.ram_base + (frame << PAGE_SHIFT);
}

void sim_ram_read(uint64_t pa, void *dst, size_t n)
{
	const uint8_t *f = mem.frames[sim_frame_index(pa)];

	if (f)
		memcpy(dst, f + (pa & PAGE_MASK), n);
	else
		memset(dst, 0, n);
}

static void journal_push(uint64_t frame)
{
	if (mem.journal_len == mem.journal_cap) {
		uint64_t cap = mem.journal_cap ? mem.journal_cap * 2 : 256;
		struct journal_entry *j = realloc(mem.journal, cap * sizeof(*j));

		if (!j)
			sim_fatal("machine model: out of host memory");
		mem.journal = j;
		mem.journal_cap = cap;
	}
	uint8_t *saved = NULL;
	if (mem.frames[frame]) {
		saved = sim_pool_page();
		memcpy(saved, mem.frames[frame], PAGE_SIZE);
	}
	mem.journal[mem.journal_len++] = (struct journal_entry){ frame, saved };
	mem.journalled[frame] = 1;
}

/* [pa, pa + n) written at the point of coherency; lines: those of them
 * whose coherent value may change. */
static void ram_store(uint64_t pa, const void *src, size_t n, uint64_t lines)
{
	uint64_t frame = sim_frame_index(pa);

	if (!mem.journalled[frame])
		journal_push(frame);
	if (!mem.frames[frame])
		mem.frames[frame] = sim_pool_page_zeroed();
	sim_frame_touch_lines(frame, lines);
	mem.written[frame] |= n ? lines_of(pa & PAGE_MASK, n) : 0;
	memcpy(mem.frames[frame] + (pa & PAGE_MASK), src, n);
}

void sim_ram_write(uint64_t pa, const void *src, size_t n)
{
	ram_store(pa, src, n, n ? lines_of(pa & PAGE_MASK, n) : 0);
}

void sim_ram_write_back(uint64_t pa, const void *src, size_t n)
{
	ram_store(pa, src, n, 0);
}

uint64_t sim_mmio_read64(uint64_t pa)
{
	/* A 64-bit mix of the word address: distinct, repeatable values. */
	uint64_t x = (pa & ~7ull) ^ 0x6d6d696f6d6d696full;

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	x ^= x >> 33;
	return x;
}

/* The oracles read memory a word at a time, often: RAM is looked up
 * here at once (an aligned word lies in one frame). */
uint64_t sim_mem_read64(uint64_t pa)
{
	uint64_t v = 0, off;

	pa &= ~7ull;
	off = pa - mem.ram_base;
	if (pa >= mem.ram_base && off < mem.ram_pages << PAGE_SHIFT) {
		const uint8_t *f = mem.frames[off >> PAGE_SHIFT];

		if (f)
			memcpy(&v, f + (off & PAGE_MASK), 8);
		return v;
	}
	return sim_mem_kind(pa, 8) == MEM_MMIO ? sim_mmio_read64(pa) : 0;
}

void sim_mem_write64(uint64_t pa, uint64_t v)
{
	pa &= ~7ull;
	if (sim_mem_kind(pa, 8) == MEM_RAM)
		sim_ram_write(pa, &v, 8);
}
