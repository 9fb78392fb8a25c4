/* Loading a VM image the way a host does: through its own mappings, so
 * each page is faulted in first, a cache line at a time (a memcpy's
 * stores fill whole lines; the model gives one event per line). */
#include "kserv.h"

#include <stdbool.h>

#include "guest_image.h"
#include "hyp/addr.h"
#include "hyp/kcore.h"

/* The built-in images are a few pages, each a fixed function of (image,
 * page): each is computed once per process and then copied from here. */
#define MEMO_IMAGES 8u

static struct {
	bool done[MEMO_IMAGES][KCORE_MAX_IMAGE_PAGES];
	uint64_t words[MEMO_IMAGES][KCORE_MAX_IMAGE_PAGES][PAGE_SIZE / 8];
} memo;

/* Page idx of img as little-endian words, as KCore's byte reads of the
 * page expect. */
static const uint64_t *image_words(unsigned img, unsigned idx, uint64_t scratch[PAGE_SIZE / 8])
{
	if (img >= MEMO_IMAGES || idx >= KCORE_MAX_IMAGE_PAGES) {
		guest_image_words(img, idx, scratch);
		return scratch;
	}
	if (!memo.done[img][idx]) {
		guest_image_words(img, idx, memo.words[img][idx]);
		memo.done[img][idx] = true;
	}
	return memo.words[img][idx];
}

void kserv_images_prepare(void)
{
	uint64_t scratch[PAGE_SIZE / 8];

	for (unsigned img = 0; img < MEMO_IMAGES; img++)
		for (unsigned idx = 0; idx < KCORE_MAX_IMAGE_PAGES; idx++)
			image_words(img, idx, scratch);
}

int kserv_load_image(unsigned img, unsigned idx, uint64_t pfn)
{
	uint64_t scratch[PAGE_SIZE / 8];
	const uint64_t *words = image_words(img, idx, scratch);
	uint64_t base = pfn << PAGE_SHIFT;

	for (unsigned off = 0; off < PAGE_SIZE; off += CACHE_LINE_SIZE) {
		/* a copy: a faulting access may clear what it was given */
		uint64_t line[CACHE_LINE_SIZE / 8];

		for (unsigned w = 0; w < CACHE_LINE_SIZE / 8; w++)
			line[w] = words[off / 8 + w];
		int fault = kserv_access_line(base + off, KSERV_ACC_WRITE, line);
		if (fault)
			return fault;
	}
	return 0;
}
