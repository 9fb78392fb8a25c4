/* The built-in images kept as words in the host builds (guest_image.h):
 * each page is a fixed function of (image, page), and KServ's loads and
 * the model's image check read the same pages again and again. */
#include "guest_image.h"

#include <stdbool.h>

#include "hyp/kcore.h"

#define KEPT_IMAGES 8u

static struct {
	bool ready;
	uint64_t words[KEPT_IMAGES][KCORE_MAX_IMAGE_PAGES][PAGE_SIZE / 8];
} kept;

void guest_images_prepare(void)
{
	for (unsigned img = 0; img < KEPT_IMAGES; img++)
		for (unsigned idx = 0; idx < KCORE_MAX_IMAGE_PAGES; idx++)
			guest_image_words(img, idx, kept.words[img][idx]);
	kept.ready = true;
}

const uint64_t *guest_image_words_kept(unsigned img, unsigned idx, uint64_t scratch[PAGE_SIZE / 8])
{
	if (img >= KEPT_IMAGES || idx >= KCORE_MAX_IMAGE_PAGES) {
		guest_image_words(img, idx, scratch);
		return scratch;
	}
	if (!kept.ready)
		guest_images_prepare();
	return kept.words[img][idx];
}
