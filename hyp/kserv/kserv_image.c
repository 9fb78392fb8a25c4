/* Loading a VM image the way a host does: through its own mappings, so
 * each page is faulted in first, a cache line at a time (a memcpy's
 * stores fill whole lines; the model gives one event per line). */
#include "kserv.h"

#include "guest_image.h"
#include "hyp/addr.h"

int kserv_load_image(unsigned img, unsigned idx, uint64_t pfn)
{
	uint64_t words[PAGE_SIZE / 8];
	uint64_t base = pfn << PAGE_SHIFT;

	/* Little-endian words, as KCore's byte reads of the page expect. */
	guest_image_words(img, idx, words);
	for (unsigned off = 0; off < PAGE_SIZE; off += CACHE_LINE_SIZE) {
		int fault = kserv_access_line(base + off, KSERV_ACC_WRITE, &words[off / 8]);
		if (fault)
			return fault;
	}
	return 0;
}
