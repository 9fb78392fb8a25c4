/* Loading a VM image the way a host does: through its own mappings, so
 * each page is faulted in first, a cache line at a time (a memcpy's
 * stores fill whole lines; the model gives one event per line). */
#include "kserv.h"

#include "guest_image.h"
#include "hyp/addr.h"

int kserv_load_image(unsigned img, unsigned idx, uint64_t pfn)
{
	uint8_t bytes[PAGE_SIZE];
	uint64_t base = pfn << PAGE_SHIFT;

	guest_image_page(img, idx, bytes);
	for (unsigned off = 0; off < PAGE_SIZE; off += CACHE_LINE_SIZE) {
		uint64_t words[CACHE_LINE_SIZE / 8] = { 0 };

		/* Little-endian, as KCore's byte reads of the page expect. */
		for (unsigned w = 0; w < CACHE_LINE_SIZE / 8; w++)
			for (unsigned b = 0; b < 8; b++)
				words[w] |= (uint64_t)bytes[off + 8 * w + b] << (8 * b);
		int fault = kserv_access_line(base + off, KSERV_ACC_WRITE, words);
		if (fault)
			return fault;
	}
	return 0;
}
