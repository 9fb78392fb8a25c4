/* Image check against the guest images, reading the machine's memory. */
#include "model/ref/ref_image.h"

#include <string.h>

#include "guest_image.h"
#include "hyp/addr.h"
#include "sim/machine.h"

/* Page i of img, as the 64-bit loads of a little-endian Arm machine give
 * it, against the coherent view of frame pfn read in one go. */
static bool page_holds(unsigned img, unsigned i, uint64_t pfn)
{
	uint64_t got[PAGE_SIZE / 8], scratch[PAGE_SIZE / 8];

	sim_coherent_read_page(pfn << PAGE_SHIFT, got);
	return memcmp(got, guest_image_words_kept(img, i, scratch), sizeof(got)) == 0;
}

static bool image_equals(unsigned img, const uint64_t *pfn, unsigned npages)
{
	for (unsigned i = 0; i < npages; i++)
		if (!sim_is_ram(pfn[i] << PAGE_SHIFT) || !page_holds(img, i, pfn[i]))
			return false;
	return true;
}

bool ref_image_match_sim(void *ctx, const uint64_t *pfn, unsigned npages)
{
	(void)ctx;
	for (unsigned img = 0; img < guest_image_count(); img++)
		if (guest_image_npages(img) == npages && image_equals(img, pfn, npages))
			return true;
	return false;
}
