/* The VM images KServ can load, as bytes.  KCore's manifest holds their
 * digests, so an image loaded page by page from here verifies; anything
 * else does not. */
#ifndef KSERV_GUEST_IMAGE_H
#define KSERV_GUEST_IMAGE_H

#include <stdint.h>

#include "hyp/addr.h"

unsigned guest_image_count(void);
const char *guest_image_name(unsigned img);
unsigned guest_image_npages(unsigned img);   /* 0 if img >= count */
/* Page idx of image img into out; zeros if either is out of range. */
void guest_image_page(unsigned img, unsigned idx, uint8_t out[PAGE_SIZE]);
/* The same page as little-endian 64-bit words (what a 64-bit load of each
 * gives on a little-endian CPU). */
void guest_image_words(unsigned img, unsigned idx, uint64_t out[PAGE_SIZE / 8]);

/* Host builds only (guest_image_memo.c): every page as words computed
 * once, at guest_images_prepare or at the first question.  A fuzz target
 * prepares them at set-up, so no run's path depends on which images
 * earlier runs in the process loaded. */
void guest_images_prepare(void);
/* Page idx of img as guest_image_words gives it: the kept copy, or out of
 * range the page computed into scratch. */
const uint64_t *guest_image_words_kept(unsigned img, unsigned idx, uint64_t scratch[PAGE_SIZE / 8]);

#endif
