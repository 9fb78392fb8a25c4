/* The string and memory functions of mem.c.  A freestanding build has no
 * <string.h> of its own, so the image declares what it defines. */
#ifndef ARCH_AARCH64_KSTRING_H
#define ARCH_AARCH64_KSTRING_H

#include <stddef.h>

void *memset(void *dst, int c, size_t n);
void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);

#endif
