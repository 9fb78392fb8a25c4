/* Image names as the text form uses them, shared by printer and parser. */
#ifndef HARNESS_TEXT_IMAGES_H
#define HARNESS_TEXT_IMAGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "program/text/text.h"

/* The name img is written as, or NULL to write the number.  A name is used
 * only if it reads back as the same image: a word that does not start with
 * a digit, and no earlier image has the same name. */
const char *text_image_name(const struct program_images *images, uint64_t img);

/* The image called name[0, len), or false. */
bool text_image_lookup(const struct program_images *images, const char *name, size_t len,
		       uint64_t *img);

#endif
