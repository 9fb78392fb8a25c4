/* Loading a VM image the way a host does: through its own mappings, so
 * each page is faulted in first, a cache line at a time (a memcpy's
 * stores fill whole lines; the model gives one event per line). */
#include "kserv.h"

#include "guest_image.h"
#include "hyp/addr.h"

int kserv_load_image(unsigned img, unsigned idx, uint64_t pfn)
{
	uint64_t scratch[PAGE_SIZE / 8];
	const uint64_t *words = guest_image_words_kept(img, idx, scratch);
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
