/* The model's image check on the machine model: an image verifies when its
 * pages hold, in order, the bytes of one of the guest images KServ can load
 * (hyp/kserv/guest_image.h) with the same length.  KCore's manifest holds
 * exactly those images' digests, so this is what "the SHA-256 matches a
 * manifest entry" means without sharing KCore's hashing code. */
#ifndef ORACLES_MODEL_REF_IMAGE_H
#define ORACLES_MODEL_REF_IMAGE_H

#include <stdbool.h>
#include <stdint.h>

/* A ref_image_fn (refmodel.h); ctx is unused.  Pages are read through the
 * coherent view, as KCore's cacheable reads see them. */
bool ref_image_match_sim(void *ctx, const uint64_t *pfn, unsigned npages);

#endif
