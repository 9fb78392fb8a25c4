/* Program files as users hand them to the CLI: text (a trace-like program,
 * *.txt or anything that starts like one) or binary (a fuzz input). */
#ifndef HARNESS_PROGFILE_H
#define HARNESS_PROGFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "program/pools.h"
#include "program/program.h"

struct program_images;
const struct program_images *progfile_images(void);

/* Load path into p.  Returns 0; or -1 with a "FILE:LINE: reason" (or
 * "FILE: reason") message in err. */
int progfile_load(const char *path, const struct program_pools *pools, struct program *p,
		  bool *was_text, char *err, size_t errcap);
/* progfile_load, and a one-line note (empty when there is nothing to
 * say) when the binary form holds more steps than a program has: the
 * decoder, like the fuzz targets, runs the first PROGRAM_MAX_STEPS. */
int progfile_load_noted(const char *path, const struct program_pools *pools, struct program *p,
			bool *was_text, char *note, size_t notecap, char *err, size_t errcap);
/* Write p as text (as_text) or binary.  Returns 0 or -1 (errno set). */
int progfile_save(const char *path, const struct program_pools *pools, const struct program *p, bool as_text);

/* Whether the bytes are a text program rather than a fuzz input: a *.txt
 * file, or printable bytes whose first word (past blank lines and
 * comments) is a text program's; *.bin and anything else are fuzz inputs. */
bool progfile_is_text(const char *path, const unsigned char *data, size_t len);

#endif
