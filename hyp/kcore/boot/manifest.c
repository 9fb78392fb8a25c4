/* Looking up an image digest in the built-in manifest.  The table itself
 * (kcore_manifest, kcore_manifest_count) is generated at build time by
 * mkmanifest from the images, never written by hand. */
#include "boot/manifest.h"

static bool digest_equal(const uint8_t a[SHA256_DIGEST_SIZE],
                         const uint8_t b[SHA256_DIGEST_SIZE])
{
	/* Every byte is compared whatever the outcome, so the time taken
	 * says nothing about how close a forged image came. */
	uint8_t diff = 0;

	for (unsigned i = 0; i < SHA256_DIGEST_SIZE; i++)
		diff |= a[i] ^ b[i];
	return diff == 0;
}

bool kcore_manifest_match(uint64_t npages, const uint8_t digest[SHA256_DIGEST_SIZE])
{
	if (digest == NULL)
		return false;
	for (unsigned i = 0; i < kcore_manifest_count; i++) {
		const struct kcore_manifest_entry *e = &kcore_manifest[i];

		if (e->npages == npages && digest_equal(e->digest, digest))
			return true;
	}
	return false;
}
