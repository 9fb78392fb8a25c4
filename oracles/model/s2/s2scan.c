/* Stage-2 table scan over the machine's memory. */
#include "model/s2/s2scan.h"

#include "hyp/s2desc.h"
#include "sim/machine.h"

struct scan {
	unsigned tables_left;
	s2_leaf_fn fn;
	s2_table_fn table_fn;
	void *ctx;
};

static enum s2_scan_result scan_table(struct scan *sc, uint64_t table, unsigned level, uint64_t ipa_base)
{
	uint64_t size = 1ull << s2_level_shift(level);

	if (!sim_is_ram(table))
		return S2_SCAN_DONE;
	if (sc->tables_left == 0)
		return S2_SCAN_BUDGET;
	sc->tables_left--;
	if (sc->table_fn != NULL && !sc->table_fn(sc->ctx, table, level))
		return S2_SCAN_STOPPED;
	uint64_t desc[S2_ENTRIES];
	sim_coherent_read_page(table, desc);
	for (unsigned i = 0; i < S2_ENTRIES; i++) {
		uint64_t d = desc[i];
		uint64_t ipa = ipa_base + i * size;
		enum s2_scan_result r;

		if (!s2_is_valid(d))
			continue;
		if (s2_is_table(d, level)) {
			r = scan_table(sc, s2_oa(d), level + 1, ipa);
			if (r != S2_SCAN_DONE)
				return r;
			continue;
		}
		/* At level 3 only a page descriptor is valid; 0b01 is reserved. */
		if (level == S2_LAST_LEVEL && (d & S2_TYPE_TABLE) == 0)
			continue;
		struct s2_leaf leaf = {
			.ipa = ipa, .pa = s2_oa(d) & ~(size - 1), .size = size, .desc = d, .level = level,
		};
		if (!sc->fn(sc->ctx, &leaf))
			return S2_SCAN_STOPPED;
	}
	return S2_SCAN_DONE;
}

enum s2_scan_result s2_scan_frames(uint64_t root, unsigned max_tables, s2_leaf_fn fn, s2_table_fn table_fn,
				   void *ctx)
{
	struct scan sc = { .tables_left = max_tables, .fn = fn, .table_fn = table_fn, .ctx = ctx };

	return scan_table(&sc, root & S2_OA_MASK, S2_START_LEVEL, 0);
}

enum s2_scan_result s2_scan(uint64_t root, unsigned max_tables, s2_leaf_fn fn, void *ctx)
{
	return s2_scan_frames(root, max_tables, fn, NULL, ctx);
}
