#include "program/text/text_images.h"

#include <string.h>

/* Longer names are written as numbers, which keeps every line short. */
#define NAME_MAX_LEN 64

static bool is_word(const char *s)
{
	if (!s || !*s || (*s >= '0' && *s <= '9') || strlen(s) > NAME_MAX_LEN)
		return false;
	for (; *s; s++) {
		char c = *s;
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			  c == '_' || c == '-' || c == '.';
		if (!ok)
			return false;
	}
	return true;
}

static const char *raw_name(const struct program_images *images, unsigned img)
{
	const char *name = images->name(img);
	return is_word(name) ? name : NULL;
}

const char *text_image_name(const struct program_images *images, uint64_t img)
{
	const char *name;

	if (!images || !images->name || img >= images->count)
		return NULL;
	name = raw_name(images, (unsigned)img);
	if (!name)
		return NULL;
	for (unsigned i = 0; i < img; i++) {
		const char *other = raw_name(images, i);
		if (other && strcmp(other, name) == 0)
			return NULL;
	}
	return name;
}

bool text_image_lookup(const struct program_images *images, const char *name, size_t len,
		       uint64_t *img)
{
	if (!images || !images->name)
		return false;
	for (unsigned i = 0; i < images->count; i++) {
		const char *n = raw_name(images, i);
		if (n && strlen(n) == len && memcmp(n, name, len) == 0) {
			*img = i;
			return true;
		}
	}
	return false;
}
