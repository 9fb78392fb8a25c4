/* The text form of a program: one step per line, like a trace.
 *
 *   config cpus=2
 *   cpu0 register_vm
 *   cpu1 guest_write gfn=0x80000 off=0x8 val=0x1122334455667788 nc
 *   schedule 0 1 1
 *
 * program_print writes the canonical form; program_parse reads it and
 * anything that differs only in spacing, comments, argument order, number
 * base and image names.  parse(print(p)) == p for every valid program.
 * PROGRAM.md has the grammar.
 */
#ifndef HARNESS_TEXT_H
#define HARNESS_TEXT_H

#include <stddef.h>
#include <stdio.h>

#include "program/program.h"

/* Names of the guest images, for img= operands.  NULL means none are
 * known: images are then written and read as numbers only. */
struct program_images {
	unsigned count;
	const char *(*name)(unsigned img);
};

/* One step as a line without the newline, e.g. "cpu2 kserv_read
 * pa=0x40401000".  Returns what snprintf returns. */
int program_format_step(char *buf, size_t cap, const struct program_step *s,
			const struct program_images *images);

/* The canonical text of p.  Returns 0, or -1 if p is not well formed or
 * writing failed. */
int program_print(FILE *f, const struct program *p, const struct program_images *images);

/* Parse a NUL-terminated text.  Returns 0, or -1 with err set to
 * "FILE:LINE: reason" (p is then unspecified). */
int program_parse(const char *text, const char *filename, const struct program_images *images,
		  struct program *p, char *err, size_t errcap);

#endif
