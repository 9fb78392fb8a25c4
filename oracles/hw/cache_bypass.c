#include "hw/cache_bypass.h"

#include <inttypes.h>

#include "hyp/addr.h"
#include "hyp/kcore.h"
#include "sim/machine.h"

#define WORDS_PER_LINE (CACHE_LINE_SIZE / 8)

static int owner_vm(unsigned owner)
{
	return owner >= 1 && owner <= KCORE_MAX_VMS ? (int)owner : 0;
}

static const char *owner_name(unsigned owner, char buf[16])
{
	if (owner == KCORE_OWNER_KSERV)
		return "KServ";
	if (owner == KCORE_OWNER_KCORE)
		return "KCore";
	snprintf(buf, 16, "vm %u", owner);
	return buf;
}

struct finding {
	bool found;
	uint64_t pa, value;
};

/* The first nonzero word of the lowest line in lines (0: none), read
 * through the cache (coherent) or in memory. */
static struct finding first_word(uint64_t base, uint64_t lines, bool coherent)
{
	if (!lines)
		return (struct finding){ 0 };
	uint64_t line = base + (uint64_t)__builtin_ctzll(lines) * CACHE_LINE_SIZE;
	for (unsigned w = 0; w < WORDS_PER_LINE; w++) {
		uint64_t pa = line + 8u * w, value = coherent ? sim_coherent_read64(pa) : sim_mem_read64(pa);
		if (value)
			return (struct finding){ true, pa, value };
	}
	return (struct finding){ 0 };
}

/* The first nonzero word the new owner reads through the cache, lines in
 * skip passed over. */
static struct finding first_coherent(uint64_t base, uint64_t skip)
{
	return first_word(base, sim_page_nonzero_lines(base, ~skip, true), true);
}

/* The first nonzero word in memory, once the coherent view reads zero:
 * memory differs from it only below the lines the cache holds. */
static struct finding first_in_memory(uint64_t base, uint64_t skip)
{
	return first_word(base, sim_page_nonzero_lines(base, sim_cache_page_lines(base, NULL) & ~skip, false), false);
}

/* What the new owner reads through the cache takes precedence: a page not
 * scrubbed at all is nonzero both ways and is reported as scrub-cached. */
static bool check_scrub(uint64_t pfn, unsigned old_owner, uint64_t skip, struct violation *v)
{
	uint64_t base = pfn << PAGE_SHIFT;
	char buf[16];

	struct finding cached = first_coherent(base, skip), f = cached;
	if (!cached.found)
		f = first_in_memory(base, skip);
	if (!f.found)
		return false;

	violation_init(v, cached.found ? V_SCRUB_CACHED : V_SCRUB_UNCACHED);
	v->vm = owner_vm(old_owner);
	v->page = pfn;
	v->expected = 0;
	v->actual = f.value;
	violation_detail(v, "pfn 0x%" PRIx64 " reclaimed from %s: offset 0x%03" PRIx64 " reads 0x%" PRIx64 " %s",
			 pfn, owner_name(old_owner, buf), f.pa - base, f.value,
			 cached.found ? "through the cache" : "in memory, bypassing the cache");
	return true;
}

/* A line of pfn, at offset off, that the handover leaves for the new
 * owner: the finding's fields but for its detail. */
static void line_finding(struct violation *v, enum violation_kind kind, uint64_t pfn, unsigned new_owner,
			 uint64_t off)
{
	violation_init(v, kind);
	v->vm = owner_vm(new_owner);
	v->page = pfn;
	v->expected = 0;
	v->actual = off;
}

/* Handed to a VM or KCore: no line of the page may serve the new owner a
 * value memory does not hold.  A dirty line of KServ's would also be
 * written back over the new owner's data later; a dirty line of KCore's
 * is the newest copy and stays. */
static bool check_clean(uint64_t pfn, unsigned old_owner, unsigned new_owner, uint64_t skip, struct violation *v)
{
	uint64_t base = pfn << PAGE_SHIFT, dirty, present = sim_cache_page_lines(base, &dirty) & ~skip;
	/* a clean line whose bytes differ from memory's serves what memory
	 * no longer holds until it leaves, and memory's bytes after */
	uint64_t stale = sim_cache_stale_lines(base, present & ~dirty);
	uint64_t bad = stale | (old_owner == KCORE_OWNER_KSERV ? present & dirty : 0);
	char from[16], to[16];

	if (!bad)
		return false;
	uint64_t off = (uint64_t)__builtin_ctzll(bad) * CACHE_LINE_SIZE;
	if (stale & (bad & -bad)) {
		line_finding(v, V_STALE_LINE, pfn, new_owner, off);
		violation_detail(v, "pfn 0x%" PRIx64 " handed from %s to %s with a clean line at offset 0x%03" PRIx64
				 " that memory no longer holds (cleaned, not invalidated)", pfn,
				 owner_name(old_owner, from), owner_name(new_owner, to), off);
	} else {
		line_finding(v, V_DIRTY_LINE, pfn, new_owner, off);
		violation_detail(v, "pfn 0x%" PRIx64 " handed from KServ to %s with the line at offset 0x%03" PRIx64
				 " dirty (not cleaned to PoC)", pfn, owner_name(new_owner, to), off);
	}
	return true;
}

bool cache_oracle_check_transfer(uint64_t pfn, unsigned old_owner, unsigned new_owner,
				 struct violation *v)
{
	return cache_oracle_check_transfer_skip(pfn, old_owner, new_owner, 0, v);
}

bool cache_oracle_check_transfer_skip(uint64_t pfn, unsigned old_owner, unsigned new_owner,
				      uint64_t skip_lines, struct violation *v)
{
	if (old_owner == new_owner || pfn > (UINT64_MAX >> PAGE_SHIFT) ||
	    !sim_is_ram(pfn << PAGE_SHIFT))
		return false;
	if (new_owner == KCORE_OWNER_KSERV)
		return check_scrub(pfn, old_owner, skip_lines, v);
	return check_clean(pfn, old_owner, new_owner, skip_lines, v);
}
