/* KCore's built-in manifest: the SHA-256 digests of the VM images it will
 * boot.  The table is generated at build time from the images themselves. */
#ifndef KCORE_MANIFEST_H
#define KCORE_MANIFEST_H

#include <stdbool.h>
#include <stdint.h>

#include "boot/sha256.h"

struct kcore_manifest_entry {
	const char *name;
	uint32_t npages;
	uint8_t digest[SHA256_DIGEST_SIZE];
};

extern const struct kcore_manifest_entry kcore_manifest[];
extern const unsigned kcore_manifest_count;

/* True if an entry has this length in pages and this digest. */
bool kcore_manifest_match(uint64_t npages, const uint8_t digest[SHA256_DIGEST_SIZE]);

#endif
