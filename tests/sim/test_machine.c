/* The machine as a whole: configuration, checkpoint and restore, SMMU
 * units and DMA. */
#include "check.h"
#include "hyp/arch.h"
#include "sim_fixture.h"

#define RW S2_PAGE_NORMAL_RW

TEST(machine_config_checked)
{
	struct sim_config cfg, bad;

	sim_config_default(&cfg);
	CHECK_EQ(cfg.ram_base, 0x40000000);
	CHECK_EQ(cfg.ram_bytes, 64ull << 20);
	CHECK_EQ(cfg.ncpus, 4);
	CHECK_EQ(cfg.tlb_entries, 64);
	bad = cfg; bad.ncpus = 0;
	CHECK_EQ(sim_init(&bad), -1);
	bad = cfg; bad.ncpus = ARCH_MAX_CPUS + 1;
	CHECK_EQ(sim_init(&bad), -1);
	bad = cfg; bad.ram_bytes = 12345;
	CHECK_EQ(sim_init(&bad), -1);
	bad = cfg; bad.mmio_base = cfg.ram_base + 4096; /* overlaps RAM */
	CHECK_EQ(sim_init(&bad), -1);
	bad = cfg; bad.tlb_entries = 0;
	CHECK_EQ(sim_init(&bad), -1);
	bad = cfg; bad.ram_base = ~0ull << 12; /* beyond 48-bit output addresses */
	CHECK_EQ(sim_init(&bad), -1);
	CHECK_EQ(sim_init(NULL), 0);
	CHECK_EQ(sim_cfg()->ncpus, 4);
	CHECK_EQ(arch_cpu_count(), 4);
	sim_set_cpu(3);
	CHECK_EQ(arch_cpu_id(), 3);
	sim_set_cpu(4); /* ignored */
	CHECK_EQ(sim_cpu(), 3);
	sim_fini();
}

TEST(machine_fresh_memory_is_zero)
{
	uint8_t buf[64];

	fx_up();
	CHECK_EQ(sim_mem_read64(FX_RAM), 0);
	CHECK_EQ(sim_mem_read64(FX_RAM + (64ull << 20) - 8), 0);
	arch_phys_read(pa_init(FX_RAM + 0x3000), buf, sizeof(buf));
	for (unsigned i = 0; i < sizeof(buf); i++)
		CHECK_EQ(buf[i], 0);
	/* Unaligned 64-bit accesses round down. */
	sim_mem_write64(FX_RAM + 0x13, 0x0102030405060708ull);
	CHECK_EQ(sim_mem_read64(FX_RAM + 0x10), 0x0102030405060708ull);
	sim_fini();
}

TEST(machine_restore_memory_and_state)
{
	uint64_t root;
	struct sim_stage2 s2;
	struct sim_smmu_unit u;

	fx_up();
	root = fx_root_with_page(0x1000, FX_DATA, RW);
	sim_mem_write64(FX_DATA, 0xaaaa);
	fx_set_stage2(0, 7, root);
	arch_smmu_attach(2, pa_init(root));
	arch_phys_write(pa_init(FX_DATA + 8), &(uint64_t){ 0xbbbb }, 8); /* dirty */
	sim_checkpoint();
	/* The checkpoint wrote the dirty line back and left the caches empty. */
	CHECK_EQ(sim_mem_read64(FX_DATA + 8), 0xbbbb);
	CHECK(!sim_cache_line(FX_DATA, NULL, NULL));
	CHECK_EQ(sim_event_count(), 0);

	uint64_t v = 0xcccc;
	CHECK_EQ(sim_cpu_access(0, 0x1000, SIM_ACC_WRITE, &v, NULL), SIM_OK);
	sim_mem_write64(FX_DATA + 16, 0xdddd);
	sim_mem_write64(FX_RAM + (32ull << 20), 0xeeee); /* a frame never written */
	fx_set_stage2(1, 8, root);
	fx_set_stage2(0, 9, FX_RAM);
	arch_smmu_detach(2);
	arch_smmu_attach(3, pa_init(root));
	CHECK(sim_event_count() > 0);

	sim_restore();
	CHECK_EQ(sim_event_count(), 0);
	CHECK_EQ(sim_coherent_read64(FX_DATA), 0xaaaa);
	CHECK_EQ(sim_mem_read64(FX_DATA + 8), 0xbbbb);
	CHECK_EQ(sim_mem_read64(FX_DATA + 16), 0);
	CHECK_EQ(sim_mem_read64(FX_RAM + (32ull << 20)), 0);
	CHECK(!sim_cache_line(FX_DATA, NULL, NULL));
	for (unsigned cpu = 0; cpu < 4; cpu++)
		CHECK_EQ(sim_tlb_count(cpu), 0);
	sim_cpu_stage2(0, &s2);
	CHECK(s2.enabled && s2.vmid == 7 && s2.root == root);
	sim_cpu_stage2(1, &s2);
	CHECK(!s2.enabled);
	sim_smmu_unit(2, &u);
	CHECK(u.attached && u.root == root);
	sim_smmu_unit(3, &u);
	CHECK(!u.attached);

	/* Restoring again from the same checkpoint gives the same machine. */
	sim_mem_write64(FX_DATA, 1);
	sim_restore();
	CHECK_EQ(sim_mem_read64(FX_DATA), 0xaaaa);
	sim_fini();
}

TEST(machine_restore_events_restart)
{
	struct sim_event ev[4];

	fx_up();
	arch_dsb_ish();
	arch_isb();
	sim_restore();
	CHECK_EQ(sim_recent_events(ev, 4), 0);
	arch_isb();
	CHECK_EQ(sim_recent_events(ev, 4), 1);
	CHECK_EQ(ev[0].seq, 0);
	CHECK_EQ(ev[0].kind, EV_ISB);
	sim_fini();
}

TEST(machine_smmu_dma)
{
	struct sim_access a;
	struct sim_smmu_unit u;
	uint64_t v = 0x42;

	fx_up();
	uint64_t root = fx_table();
	fx_map(root, 0x5000, 3, FX_DATA | RW);
	fx_map(root, 0x6000, 3, (FX_DATA + 0x1000) | (RW & ~S2_S2AP_W));
	CHECK_EQ(sim_dma_access(0, 0x5000, 0, &v, &a), SIM_FAULT_ADDRESS); /* detached */
	CHECK_EQ(v, 0);
	arch_smmu_attach(0, pa_init(root));
	sim_smmu_unit(0, &u);
	CHECK(u.attached && u.root == root);
	v = 0x42;
	CHECK_EQ(sim_dma_access(0, 0x5010, SIM_ACC_WRITE, &v, &a), SIM_OK);
	CHECK_EQ(a.pa, FX_DATA + 0x10);
	CHECK_EQ(sim_coherent_read64(FX_DATA + 0x10), 0x42);
	CHECK_EQ(sim_dma_access(0, 0x6000, SIM_ACC_WRITE, &v, &a), SIM_FAULT_PERMISSION);
	CHECK_EQ(sim_dma_access(0, 0x7000, 0, &v, &a), SIM_FAULT_TRANSLATION);
	CHECK_EQ(sim_dma_access(1, 0x5000, 0, &v, &a), SIM_FAULT_ADDRESS); /* other unit */
	CHECK_EQ(sim_dma_access(SIM_SMMU_UNITS, 0x5000, 0, &v, &a), SIM_FAULT_ADDRESS);
	/* The IOTLB keeps the leaf until the unit's invalidation; then the
	 * table change is seen; detach blocks everything. */
	fx_map(root, 0x5000, 3, 0);
	CHECK_EQ(sim_dma_access(0, 0x5000, 0, &v, &a), SIM_OK);
	arch_smmu_tlbi(0);
	CHECK_EQ(sim_dma_access(0, 0x5000, 0, &v, &a), SIM_FAULT_TRANSLATION);
	arch_smmu_detach(0);
	CHECK_EQ(sim_dma_access(0, 0x6000, 0, &v, &a), SIM_FAULT_ADDRESS);
	sim_smmu_unit(SIM_SMMU_UNITS, &u);
	CHECK(!u.attached);
	sim_fini();
}

TEST(machine_smmu_bad_unit_panics)
{
	fx_up();
	if (setjmp(fx_panic_jmp) == 0) {
		arch_smmu_attach(SIM_SMMU_UNITS, pa_init(FX_RAM));
		CHECK(!"attach of a unit out of range returned");
	}
	CHECK_EQ(fx_panics, 1);
	sim_fini();
}

TEST(machine_kcore_access_outside_ram_panics)
{
	uint8_t buf[16];

	fx_up();
	/* MMIO is readable (a pattern) and writes to it are dropped. */
	arch_phys_read(pa_init(FX_MMIO + 3), buf, sizeof(buf));
	uint64_t word = sim_mem_read64(FX_MMIO);
	CHECK_EQ(buf[0], (uint8_t)(word >> 24));
	arch_phys_write(pa_init(FX_MMIO), buf, sizeof(buf));
	CHECK_EQ(sim_mem_read64(FX_MMIO), word);
	if (setjmp(fx_panic_jmp) == 0) {
		arch_phys_read(pa_init(0x100000), buf, sizeof(buf));
		CHECK(!"read outside RAM returned");
	}
	CHECK_EQ(fx_panics, 1);
	if (setjmp(fx_panic_jmp) == 0) {
		/* Runs off the end of RAM. */
		arch_phys_write(pa_init(FX_RAM + (64ull << 20) - 8), buf, sizeof(buf));
		CHECK(!"write past RAM returned");
	}
	CHECK_EQ(fx_panics, 2);
	if (setjmp(fx_panic_jmp) == 0) {
		arch_pte_write(pa_init(FX_RAM), 512, 0);
		CHECK(!"pte index 512 accepted");
	}
	CHECK_EQ(fx_panics, 3);
	if (setjmp(fx_panic_jmp) == 0) {
		arch_page_zero(pa_init(FX_MMIO));
		CHECK(!"page zero of MMIO returned");
	}
	CHECK_EQ(fx_panics, 4);
	sim_fini();
}

static const struct test_case cases[] = {
	CASE(machine_config_checked),
	CASE(machine_fresh_memory_is_zero),
	CASE(machine_restore_memory_and_state),
	CASE(machine_restore_events_restart),
	CASE(machine_smmu_dma),
	CASE(machine_smmu_bad_unit_panics),
	CASE(machine_kcore_access_outside_ram_panics),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
