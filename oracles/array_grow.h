/* Arrays the checks keep between runs grow by doubling and are never
 * shrunk: a fuzz target reuses them for every input, so after the first
 * few inputs no check allocates. */
#ifndef ORACLES_MODEL_ARRAY_GROW_H
#define ORACLES_MODEL_ARRAY_GROW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>

/* Make *p (of *cap elements of elem bytes) hold at least need elements.
 * false if memory ran out (*p and *cap are then left as they were). */
static inline bool array_grow(void **p, unsigned *cap, unsigned need, size_t elem)
{
	if (need <= *cap)
		return true;
	unsigned c = *cap ? *cap : 64;
	while (c < need)
		c *= 2;
	void *q = realloc(*p, (size_t)c * elem);
	if (q == NULL)
		return false;
	*p = q;
	*cap = c;
	return true;
}

#endif
