/* The stage-2 walker against hand-built tables, and the faults a CPU
 * access takes on the way to memory. */
#include "check.h"
#include "hyp/arch.h"
#include "sim_fixture.h"

#define RW S2_PAGE_NORMAL_RW

TEST(walk_page)
{
	fx_up();
	uint64_t root = fx_root_with_page(0x12345000, FX_DATA, RW);
	struct sim_walk w;

	CHECK_EQ(sim_s2_walk(root, 0x12345678, &w), SIM_OK);
	CHECK_EQ(w.fault, SIM_OK);
	CHECK_EQ(w.level, 3);
	CHECK_EQ(w.pa, FX_DATA + 0x678);
	CHECK_EQ(w.size, 4096);
	CHECK_EQ(w.desc, FX_DATA | RW);
	/* The neighbouring page of the same level-3 table is not mapped. */
	CHECK_EQ(sim_s2_walk(root, 0x12346000, &w), SIM_FAULT_TRANSLATION);
	CHECK_EQ(w.level, 3);
	sim_fini();
}

TEST(walk_level2_block)
{
	fx_up();
	uint64_t root = fx_table();
	/* Stray bits below 2 MiB in the output address are ignored. */
	uint64_t leaf = (FX_RAM + 0x200000) | 0x5000 | (RW & ~S2_TYPE_TABLE);
	struct sim_walk w;

	fx_map(root, 0x80200000, 2, leaf);
	CHECK_EQ(sim_s2_walk(root, 0x80212348, &w), SIM_OK);
	CHECK_EQ(w.level, 2);
	CHECK_EQ(w.size, 2ull << 20);
	CHECK_EQ(w.pa, FX_RAM + 0x212348);
	CHECK_EQ(w.desc, leaf);
	sim_fini();
}

TEST(walk_level1_block)
{
	fx_up();
	uint64_t root = fx_table();
	uint64_t leaf = FX_RAM | (RW & ~S2_TYPE_TABLE);
	struct sim_walk w;

	fx_map(root, 0xc0000000, 1, leaf);
	CHECK_EQ(sim_s2_walk(root, 0xc3456789, &w), SIM_OK);
	CHECK_EQ(w.level, 1);
	CHECK_EQ(w.size, 1ull << 30);
	CHECK_EQ(w.pa, FX_RAM + 0x3456789);
	sim_fini();
}

TEST(walk_invalid_each_level)
{
	fx_up();
	uint64_t root = fx_table();
	struct sim_walk w;

	CHECK_EQ(sim_s2_walk(root, 0x40000000, &w), SIM_FAULT_TRANSLATION);
	CHECK_EQ(w.level, 1);
	/* A level-2 table exists for this GiB but its entry is invalid. */
	fx_map(root, 0x40000000, 3, FX_DATA | RW);
	CHECK_EQ(sim_s2_walk(root, 0x40200000, &w), SIM_FAULT_TRANSLATION);
	CHECK_EQ(w.level, 2);
	CHECK_EQ(sim_s2_walk(root, 0x40001000, &w), SIM_FAULT_TRANSLATION);
	CHECK_EQ(w.level, 3);
	/* Valid bit clear with every other bit of a page set: still invalid. */
	fx_map(root, 0x40002000, 3, (FX_DATA | RW) & ~S2_VALID);
	CHECK_EQ(sim_s2_walk(root, 0x40002000, &w), SIM_FAULT_TRANSLATION);
	CHECK_EQ(w.desc, (FX_DATA | RW) & ~S2_VALID);
	CHECK_EQ(sim_s2_walk(root, 0x40000000, &w), SIM_OK);
	sim_fini();
}

TEST(walk_access_flag_fault)
{
	fx_up();
	uint64_t root = fx_root_with_page(0x3000, FX_DATA, RW & ~S2_AF);
	struct sim_walk w;
	struct sim_access a;
	uint64_t v = 7;

	CHECK_EQ(sim_s2_walk(root, 0x3000, &w), SIM_FAULT_ACCESS_FLAG);
	CHECK_EQ(w.level, 3);
	CHECK_EQ(w.pa, FX_DATA);
	fx_set_stage2(0, 1, root);
	CHECK_EQ(sim_cpu_access(0, 0x3000, 0, &v, &a), SIM_FAULT_ACCESS_FLAG);
	CHECK_EQ(v, 0);
	CHECK_EQ(a.pa, ~0ull);
	/* A faulting walk leaves nothing in the TLB. */
	CHECK_EQ(sim_tlb_count(0), 0);
	sim_fini();
}

TEST(walk_permission_faults)
{
	fx_up();
	uint64_t root = fx_table();
	uint64_t v = 0;
	struct sim_access a;

	fx_map(root, 0x1000, 3, FX_DATA | (RW & ~S2_S2AP_W));
	fx_map(root, 0x2000, 3, (FX_DATA + 0x1000) | (RW & ~S2_S2AP_R));
	fx_map(root, 0x3000, 3, (FX_DATA + 0x2000) | (RW & ~S2_S2AP_RW));
	fx_set_stage2(0, 1, root);
	CHECK_EQ(sim_cpu_access(0, 0x1000, 0, &v, &a), SIM_OK);
	v = 0x55;
	CHECK_EQ(sim_cpu_access(0, 0x1000, SIM_ACC_WRITE, &v, &a), SIM_FAULT_PERMISSION);
	CHECK_EQ(sim_cpu_access(0, 0x2000, SIM_ACC_WRITE, &v, &a), SIM_OK);
	CHECK_EQ(sim_cpu_access(0, 0x2000, 0, &v, &a), SIM_FAULT_PERMISSION);
	CHECK_EQ(sim_cpu_access(0, 0x3000, 0, &v, &a), SIM_FAULT_PERMISSION);
	CHECK_EQ(sim_cpu_access(0, 0x3000, SIM_ACC_WRITE, &v, &a), SIM_FAULT_PERMISSION);
	/* The refused write changed nothing, the allowed one did. */
	CHECK_EQ(sim_coherent_read64(FX_DATA), 0);
	CHECK_EQ(sim_coherent_read64(FX_DATA + 0x1000), 0x55);
	sim_fini();
}

TEST(walk_ipa_out_of_range)
{
	fx_up();
	uint64_t root = fx_root_with_page(0, FX_DATA, RW);
	struct sim_walk w;
	uint64_t v;

	CHECK_EQ(sim_s2_walk(root, 1ull << 39, &w), SIM_FAULT_ADDRESS);
	CHECK_EQ(sim_s2_walk(root, ~0ull, &w), SIM_FAULT_ADDRESS);
	/* Bits above 39 must not alias IPA 0. */
	fx_set_stage2(0, 1, root);
	CHECK_EQ(sim_cpu_access(0, 1ull << 39, 0, &v, NULL), SIM_FAULT_ADDRESS);
	CHECK_EQ(sim_cpu_access(0, 0, 0, &v, NULL), SIM_OK);
	CHECK_EQ(sim_s2_walk(root, (1ull << 39) - 8, &w), SIM_FAULT_TRANSLATION);
	sim_fini();
}

TEST(walk_level3_type_bit)
{
	fx_up();
	uint64_t root = fx_table();
	struct sim_walk w;

	/* At level 3, bits[1:0] = 11 is a page, not a table. */
	fx_map(root, 0x5000, 3, FX_DATA | RW);
	CHECK_EQ(sim_s2_walk(root, 0x5010, &w), SIM_OK);
	CHECK_EQ(w.level, 3);
	CHECK_EQ(w.pa, FX_DATA + 0x10);
	/* bits[1:0] = 01 at level 3 is reserved: a translation fault. */
	fx_map(root, 0x6000, 3, FX_DATA | (RW & ~S2_TYPE_TABLE));
	CHECK_EQ(sim_s2_walk(root, 0x6000, &w), SIM_FAULT_TRANSLATION);
	CHECK_EQ(w.level, 3);
	sim_fini();
}

TEST(walk_table_outside_ram)
{
	fx_up();
	uint64_t root = fx_table();
	struct sim_walk w;

	sim_mem_write64(root, FX_TABLE_DESC(0x1000)); /* level-2 table at a hole */
	CHECK_EQ(sim_s2_walk(root, 0x100, &w), SIM_FAULT_EXTERNAL);
	CHECK_EQ(w.level, 2);
	CHECK_EQ(sim_s2_walk(FX_MMIO, 0x100, &w), SIM_FAULT_EXTERNAL);
	CHECK_EQ(w.level, 1);
	sim_fini();
}

TEST(walk_reads_tables_coherently)
{
	fx_up();
	uint64_t root = fx_root_with_page(0x1000, FX_DATA, RW);
	struct sim_walk w;

	CHECK_EQ(sim_s2_walk(root, 0x1000, &w), SIM_OK);
	/* A cacheable store of an invalid entry: the line is dirty and memory
	 * still holds the table descriptor, but the walker snoops the line. */
	arch_pte_write(pa_init(root), 0, 0);
	CHECK(sim_mem_read64(root) != 0);
	CHECK_EQ(sim_s2_walk(root, 0x1000, &w), SIM_FAULT_TRANSLATION);
	CHECK_EQ(w.level, 1);
	sim_fini();
}

TEST(access_without_stage2)
{
	fx_up();
	uint64_t v = 1;
	struct sim_access a;

	CHECK_EQ(sim_cpu_access(1, 0x1000, 0, &v, &a), SIM_FAULT_ADDRESS);
	CHECK_EQ(sim_cpu_access(9, 0x1000, 0, &v, &a), SIM_FAULT_NOT_RUNNING);
	CHECK_EQ(v, 0);
	sim_fini();
}

TEST(access_external_and_mmio)
{
	fx_up();
	uint64_t root = fx_table();
	uint64_t v = 0, w = 0;
	struct sim_access a;

	fx_map(root, 0x1000, 3, 0x100000 | RW);                  /* a hole */
	fx_map(root, 0x2000, 3, (FX_MMIO + 0x3000) | S2_PAGE_DEVICE_RW);
	fx_set_stage2(0, 1, root);
	CHECK_EQ(sim_cpu_access(0, 0x1000, 0, &v, &a), SIM_FAULT_EXTERNAL);
	CHECK_EQ(sim_cpu_access(0, 0x2008, 0, &v, &a), SIM_OK);
	CHECK_EQ(a.pa, FX_MMIO + 0x3008);
	CHECK_EQ(v, sim_mem_read64(FX_MMIO + 0x3008));
	CHECK(v != sim_mem_read64(FX_MMIO + 0x3010));
	/* Writes to a device are dropped and never cached. */
	w = 0xdead;
	CHECK_EQ(sim_cpu_access(0, 0x2008, SIM_ACC_WRITE, &w, &a), SIM_OK);
	CHECK_EQ(sim_cpu_access(0, 0x2008, 0, &w, &a), SIM_OK);
	CHECK_EQ(w, v);
	CHECK(!sim_cache_line(FX_MMIO + 0x3008, NULL, NULL));
	/* Outside RAM and MMIO the introspection reads give 0. */
	CHECK_EQ(sim_mem_read64(0x100000), 0);
	CHECK_EQ(sim_coherent_read64(0x100000), 0);
	CHECK(sim_is_ram(FX_RAM) && !sim_is_ram(FX_RAM + (64 << 20)));
	CHECK(sim_is_mmio(FX_MMIO) && !sim_is_mmio(FX_MMIO + (16 << 20)));
	sim_fini();
}

/* A fetch needs XN clear and nothing else; it never writes. */
TEST(fetch_honours_xn)
{
	fx_up();
	uint64_t root = fx_table();
	uint64_t v = 0;
	struct sim_access a;

	fx_map(root, 0x1000, 3, FX_DATA | S2_PAGE_NORMAL_RW);
	fx_map(root, 0x2000, 3, (FX_DATA + 0x1000) | S2_PAGE_NORMAL_RW_XN);
	fx_map(root, 0x3000, 3, (FX_DATA + 0x2000) | ((S2_PAGE_NORMAL_RW & ~S2_S2AP_RW) | S2_S2AP_W));
	fx_set_stage2(0, 1, root);
	sim_mem_write64(FX_DATA + 0x10, 0xd503201f);
	CHECK_EQ(sim_cpu_access(0, 0x1010, SIM_ACC_FETCH, &v, &a), SIM_OK);
	CHECK_EQ(v, 0xd503201f);
	CHECK_EQ(sim_cpu_access(0, 0x2010, SIM_ACC_FETCH, &v, &a), SIM_FAULT_PERMISSION);
	CHECK_EQ(v, 0);
	CHECK_EQ(sim_cpu_access(0, 0x2010, 0, &v, &a), SIM_OK); /* read: S2AP allows it */
	CHECK_EQ(sim_cpu_access(0, 0x3010, SIM_ACC_FETCH, &v, &a), SIM_OK); /* no read needed */
	v = 0x1234;
	CHECK_EQ(sim_cpu_access(0, 0x1010, SIM_ACC_FETCH | SIM_ACC_WRITE, &v, &a), SIM_OK);
	CHECK_EQ(sim_mem_read64(FX_DATA + 0x10), 0xd503201f);
	sim_fini();
}

/* The descriptor's memory type decides: MMIO only through Device, and
 * RAM through Device at the point of coherency, under the cache. */
TEST(access_honours_memory_type)
{
	fx_up();
	uint64_t root = fx_table();
	uint64_t v = 0, w = 0x77;
	struct sim_access a;

	fx_map(root, 0x1000, 3, (FX_MMIO + 0x3000) | S2_PAGE_NORMAL_RW_XN);
	fx_map(root, 0x2000, 3, FX_DATA | S2_PAGE_NORMAL_RW);
	fx_map(root, 0x3000, 3, FX_DATA | S2_PAGE_DEVICE_RW);
	fx_set_stage2(0, 1, root);
	CHECK_EQ(sim_cpu_access(0, 0x1008, 0, &v, &a), SIM_FAULT_MEMTYPE);
	CHECK_EQ(v, 0);
	CHECK_EQ(sim_cpu_access(0, 0x1008, SIM_ACC_WRITE, &w, &a), SIM_FAULT_MEMTYPE);
	CHECK(!sim_cache_line(FX_MMIO + 0x3008, NULL, NULL));
	/* A cacheable write leaves a dirty line; the Device alias reads memory. */
	CHECK_EQ(sim_cpu_access(0, 0x2008, SIM_ACC_WRITE, &w, &a), SIM_OK);
	CHECK_EQ(sim_cpu_access(0, 0x3008, 0, &v, &a), SIM_OK);
	CHECK_EQ(v, 0);
	CHECK_EQ(sim_cpu_access(0, 0x2008, 0, &v, &a), SIM_OK);
	CHECK_EQ(v, 0x77);
	CHECK_STR_EQ(sim_fault_name(SIM_FAULT_MEMTYPE), "memory-type");
	sim_fini();
}

TEST(fault_names)
{
	CHECK_STR_EQ(sim_fault_name(SIM_OK), "ok");
	CHECK_STR_EQ(sim_fault_name(SIM_FAULT_PERMISSION), "permission");
	CHECK_STR_EQ(sim_fault_name(-1), "unknown");
	CHECK_STR_EQ(sim_fault_name(SIM_FAULT__COUNT), "unknown");
	for (int f = 0; f < SIM_FAULT__COUNT; f++)
		CHECK(sim_fault_name(f) != NULL && strcmp(sim_fault_name(f), "unknown") != 0);
}

static const struct test_case cases[] = {
	CASE(walk_page),
	CASE(walk_level2_block),
	CASE(walk_level1_block),
	CASE(walk_invalid_each_level),
	CASE(walk_access_flag_fault),
	CASE(walk_permission_faults),
	CASE(walk_ipa_out_of_range),
	CASE(walk_level3_type_bit),
	CASE(walk_table_outside_ram),
	CASE(walk_reads_tables_coherently),
	CASE(access_without_stage2),
	CASE(access_external_and_mmio),
	CASE(fetch_honours_xn),
	CASE(access_honours_memory_type),
	CASE(fault_names),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
