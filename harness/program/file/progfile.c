#define _POSIX_C_SOURCE 200809L
#include "program/file/progfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "program/binary/binary.h"
#include "guest_image.h"
#include "program/text/text.h"

const struct program_images *progfile_images(void)
{
	static struct program_images images;
	images.count = guest_image_count();
	images.name = guest_image_name;
	return &images;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Past blank lines and comments, a text program's first word is a step's
 * CPU, "config" or "schedule" (or there is none).  A fuzz input of
 * printable bytes that does not start so ("." say, which a campaign may
 * keep) is a fuzz input, as every byte string is. */
static bool starts_like_text(const unsigned char *data, size_t len)
{
	size_t i = 0;
	for (;;) {
		while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
			i++;
		if (i == len)
			return true;
		if (data[i] != '#')
			break;
		while (i < len && data[i] != '\n')
			i++;
	}
	static const char *const first[] = { "cpu", "config", "schedule" };
	for (size_t k = 0; k < sizeof(first) / sizeof(first[0]); k++) {
		size_t n = strlen(first[k]);
		if (len - i >= n && memcmp(data + i, first[k], n) == 0)
			return true;
	}
	return false;
}

bool progfile_is_text(const char *path, const unsigned char *data, size_t len)
{
	if (ends_with(path, ".txt"))
		return true;
	if (ends_with(path, ".bin"))
		return false;
	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++)
		if (data[i] == 0 || (data[i] < 0x20 && data[i] != '\n' && data[i] != '\t' && data[i] != '\r') ||
		    data[i] > 0x7e)
			return false;
	return starts_like_text(data, len);
}

static unsigned char *read_all(const char *path, size_t *len, char *err, size_t errcap)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	if (!f || fstat(fileno(f), &st) != 0 || S_ISDIR(st.st_mode)) {
		/* fopen opens a directory; reading it then fails */
		snprintf(err, errcap, "%s: %s", path, f ? "is a directory" : strerror(errno));
		if (f)
			fclose(f);
		return NULL;
	}
	size_t cap = 4096, n = 0;
	unsigned char *buf = malloc(cap + 1);
	for (size_t got; buf && (got = fread(buf + n, 1, cap - n, f)) > 0;) {
		n += got;
		if (n == cap) {
			unsigned char *b = realloc(buf, cap * 2 + 1);
			if (!b) { free(buf); buf = NULL; break; }
			buf = b;
			cap *= 2;
		}
	}
	if (!buf || ferror(f)) {
		snprintf(err, errcap, "%s: cannot read", path);
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	buf[n] = 0;
	*len = n;
	return buf;
}

int progfile_load(const char *path, const struct program_pools *pools, struct program *p,
		  bool *was_text, char *err, size_t errcap)
{
	return progfile_load_noted(path, pools, p, was_text, NULL, 0, err, errcap);
}

int progfile_load_noted(const char *path, const struct program_pools *pools, struct program *p,
			bool *was_text, char *note, size_t notecap, char *err, size_t errcap)
{
	if (notecap)
		note[0] = '\0';
	size_t len;
	unsigned char *data = read_all(path, &len, err, errcap);
	if (!data)
		return -1;
	bool text = progfile_is_text(path, data, len);
	int rc = 0;
	if (text) {
		if (strlen((const char *)data) != len) {
			snprintf(err, errcap, "%s: a text program cannot contain NUL bytes", path);
			rc = -1;
		} else {
			rc = program_parse((const char *)data, path, progfile_images(), p, err, errcap);
		}
	} else {
		program_decode(data, len, pools, p);
		size_t records = program_decode_records(data, len);
		if (notecap && records > p->nsteps)
			snprintf(note, notecap,
				 "%s: %zu bytes hold %zu steps; only the first %u are run (a program has %u at most)",
				 path, len, records, p->nsteps, PROGRAM_MAX_STEPS);
	}
	free(data);
	if (was_text)
		*was_text = text;
	return rc;
}

int progfile_save(const char *path, const struct program_pools *pools, const struct program *p, bool as_text)
{
	FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "wb");
	if (!f)
		return -1;
	int rc = 0;
	if (as_text) {
		rc = program_print(f, p, progfile_images());
	} else {
		static uint8_t buf[BIN_MAX_SIZE];
		long n = program_encode(p, pools, buf, sizeof(buf));
		rc = n < 0 || fwrite(buf, 1, (size_t)n, f) != (size_t)n ? -1 : 0;
	}
	if (f != stdout && fclose(f) != 0)
		rc = -1;
	return rc;
}
