/* The sorted maps of the abstract state: a VM's, a unit's or KServ's
 * entries by key. */
#include "model/state/refstate.h"

#include <string.h>

/* Index of the first entry whose key is >= key. */
static unsigned lower_bound(const struct ref_map_entry *e, unsigned n, uint64_t key)
{
	unsigned lo = 0, hi = n;

	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		if (e[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct ref_map_entry *ref_map_find(const struct ref_map_entry *e, unsigned n, uint64_t key)
{
	unsigned i = lower_bound(e, n, key);
	return i < n && e[i].key == key ? &e[i] : NULL;
}

const struct ref_map_entry *ref_map_covering(const struct ref_map_entry *e, unsigned n, uint64_t key)
{
	unsigned i = lower_bound(e, n, key);

	if (i < n && e[i].key == key)
		return &e[i];
	/* Otherwise only the entry before can reach over key. */
	if (i > 0 && key - e[i - 1].key < e[i - 1].pages)
		return &e[i - 1];
	return NULL;
}

bool ref_map_insert(struct ref_map_entry *e, unsigned *n, unsigned cap, struct ref_map_entry ent)
{
	unsigned i = lower_bound(e, *n, ent.key);

	if ((i < *n && e[i].key == ent.key) || *n == cap)
		return false;
	memmove(&e[i + 1], &e[i], (*n - i) * sizeof(*e));
	e[i] = ent;
	(*n)++;
	return true;
}

bool ref_map_remove(struct ref_map_entry *e, unsigned *n, uint64_t key)
{
	unsigned i = lower_bound(e, *n, key);

	if (i == *n || e[i].key != key)
		return false;
	memmove(&e[i], &e[i + 1], (*n - i - 1) * sizeof(*e));
	(*n)--;
	return true;
}
