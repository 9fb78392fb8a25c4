/* Loading a VM image the way a host does: through its own mappings, so
 * each page is faulted in first. */
#include "kserv.h"

#include "guest_image.h"
#include "hyp/addr.h"

int kserv_load_image(unsigned img, unsigned idx, uint64_t pfn)
{
	uint8_t bytes[PAGE_SIZE];
	uint64_t base = pfn << PAGE_SHIFT;

	guest_image_page(img, idx, bytes);
	for (unsigned off = 0; off < PAGE_SIZE; off += 8) {
		uint64_t word = 0;
		int fault;

		/* Little-endian, as KCore's byte reads of the page expect. */
		for (unsigned b = 0; b < 8; b++)
			word |= (uint64_t)bytes[off + b] << (8 * b);
		fault = kserv_write64(base + off, word);
		if (fault)
			return fault;
	}
	return 0;
}
