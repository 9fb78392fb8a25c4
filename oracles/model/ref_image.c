/* Image check against the guest images, reading the machine's memory. */
#include "ref_image.h"

#include "hyp/addr.h"
#include "guest_image.h"
#include "sim/machine.h"

/* Memory is little-endian, as the Arm machine it models. */
static bool page_holds(uint64_t pfn, const uint8_t want[PAGE_SIZE])
{
	uint64_t base = pfn << PAGE_SHIFT;

	for (unsigned off = 0; off < PAGE_SIZE; off += 8) {
		uint64_t w = sim_coherent_read64(base + off);
		for (unsigned b = 0; b < 8; b++)
			if ((uint8_t)(w >> (8 * b)) != want[off + b])
				return false;
	}
	return true;
}

static bool image_equals(unsigned img, const uint64_t *pfn, unsigned npages)
{
	uint8_t want[PAGE_SIZE];

	for (unsigned i = 0; i < npages; i++) {
		if (!sim_is_ram(pfn[i] << PAGE_SHIFT))
			return false;
		guest_image_page(img, i, want);
		if (!page_holds(pfn[i], want))
			return false;
	}
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
