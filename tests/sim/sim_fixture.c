#include "sim_fixture.h"

#include <stddef.h>

#include "check.h"
#include "hyp/arch.h"

jmp_buf fx_panic_jmp;
const char *fx_panic_why;
unsigned fx_panics;
static uint64_t next_table;

static void panic_to_test(void *ctx, const char *why)
{
	(void)ctx;
	fx_panic_why = why;
	fx_panics++;
	longjmp(fx_panic_jmp, 1);
}

void fx_up(void)
{
	struct sim_config cfg;

	sim_config_default(&cfg);
	sim_set_event_sink(NULL, NULL);
	sim_set_yield_hook(NULL, NULL);
	sim_set_panic_hook(panic_to_test, NULL);
	CHECK_EQ(sim_init(&cfg), 0);
	next_table = FX_TABLES;
	fx_panic_why = NULL;
	fx_panics = 0;
}

uint64_t fx_table(void)
{
	uint64_t t = next_table;

	next_table += 4096;
	for (unsigned i = 0; i < S2_ENTRIES; i++)
		sim_mem_write64(t + 8 * i, 0);
	return t;
}

void fx_map(uint64_t root, uint64_t ipa, unsigned level, uint64_t leaf)
{
	uint64_t table = root;

	for (unsigned l = S2_START_LEVEL; l < level; l++) {
		uint64_t slot = table + 8ull * s2_index(ipa, l);
		uint64_t d = sim_mem_read64(slot);

		if (!s2_is_table(d, l)) {
			d = FX_TABLE_DESC(fx_table());
			sim_mem_write64(slot, d);
		}
		table = s2_oa(d);
	}
	sim_mem_write64(table + 8ull * s2_index(ipa, level), leaf);
}

uint64_t fx_root_with_page(uint64_t ipa, uint64_t pa, uint64_t attrs)
{
	uint64_t root = fx_table();

	fx_map(root, ipa, 3, pa | attrs);
	return root;
}

void fx_set_stage2(unsigned cpu, uint16_t vmid, uint64_t root)
{
	sim_set_cpu(cpu);
	arch_set_stage2(vmid, pa_init(root));
}
