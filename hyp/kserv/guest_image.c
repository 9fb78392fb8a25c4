/* The built-in VM images.  Each byte is a fixed function of (image, page,
 * offset), so the images need no storage, every build produces the same
 * bytes, and any mistake in loading (wrong image, pages swapped, a page
 * missing or repeated) changes the SHA-256 KCore computes.
 *
 * Plain portable C: the build-time manifest generator links this file. */
#include "guest_image.h"

#include <stdbool.h>

#include "hyp/kcore.h"

struct guest_image {
	const char *name;
	unsigned npages;
	uint32_t seed;
};

static const struct guest_image guest_images[] = {
	{ "tiny", 1, 0x7469e701u },
	{ "small", 2, 0x736d0a02u },
	{ "boot4", 4, 0xb0074004u },
	{ "full", KCORE_MAX_IMAGE_PAGES, 0xf0118008u },
};

#define GUEST_IMAGE_COUNT (sizeof(guest_images) / sizeof(guest_images[0]))

unsigned guest_image_count(void)
{
	return GUEST_IMAGE_COUNT;
}

const char *guest_image_name(unsigned img)
{
	return img < GUEST_IMAGE_COUNT ? guest_images[img].name : "";
}

unsigned guest_image_npages(unsigned img)
{
	return img < GUEST_IMAGE_COUNT ? guest_images[img].npages : 0;
}

/* An avalanche mix (xor-shift and odd multiplies): flipping any input bit
 * flips about half the output bits, so nearby words look unrelated. */
static uint32_t mix32(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x7feb352du;
	x ^= x >> 15;
	x *= 0x846ca68bu;
	x ^= x >> 16;
	return x;
}

/* The seed of page idx of img; false (and nothing) when either is out of
 * range.  Page and word index go through the mix together with the
 * image's seed. */
static bool page_seed(unsigned img, unsigned idx, uint32_t *seed)
{
	if (img >= GUEST_IMAGE_COUNT || idx >= guest_images[img].npages)
		return false;
	*seed = mix32(guest_images[img].seed ^ (idx * 0x9e3779b9u));
	return true;
}

void guest_image_page(unsigned img, unsigned idx, uint8_t out[PAGE_SIZE])
{
	uint32_t seed;

	if (!page_seed(img, idx, &seed)) {
		for (unsigned off = 0; off < PAGE_SIZE; off++)
			out[off] = 0;
		return;
	}
	/* Bytes are taken little-endian by shifting, so the pattern does not
	 * depend on the host's byte order. */
	for (unsigned w = 0; w < PAGE_SIZE / 4; w++) {
		uint32_t v = mix32(seed + w);
		out[4 * w + 0] = (uint8_t)v;
		out[4 * w + 1] = (uint8_t)(v >> 8);
		out[4 * w + 2] = (uint8_t)(v >> 16);
		out[4 * w + 3] = (uint8_t)(v >> 24);
	}
}

/* Word i is bytes 8i..8i+7 little-endian: 32-bit values 2i and 2i + 1 of
 * the page, the first in the low half. */
void guest_image_words(unsigned img, unsigned idx, uint64_t out[PAGE_SIZE / 8])
{
	uint32_t seed;

	if (!page_seed(img, idx, &seed)) {
		for (unsigned i = 0; i < PAGE_SIZE / 8; i++)
			out[i] = 0;
		return;
	}
	for (unsigned i = 0; i < PAGE_SIZE / 8; i++)
		out[i] = mix32(seed + 2 * i) | (uint64_t)mix32(seed + 2 * i + 1) << 32;
}
