/* A host that follows the protocol sees the same return values, and its
 * guests the same memory, on KCore and on the baseline: each script runs
 * on both targets from the same machine state and the two runs' logs must
 * match step for step, besides each step's own expected value. */
#include <string.h>

#include "guest_image.h"
#include "hyp/s2desc.h"
#include "run_log.h"
#include "target_fixture.h"

#define E(code) (-(int64_t)KCORE_E_##code)

#define GUEST_CPU 1u
#define OTHER_CPU 2u
#define DATA_GFN 0x200ull
#define IO_GPA 0x10000000ull
#define IOVA 0x1000ull
#define PATTERN 0x5eed5eed00000000ull
#define SECRET 0x5ec2e75ec2e7ull
#define DMA_WORD 0xd3ad0000d3adull

static unsigned image_named(const char *name)
{
	for (unsigned i = 0; i < guest_image_count(); i++)
		if (strcmp(guest_image_name(i), name) == 0)
			return i;
	CHECK_FAIL_("no guest image %s", name);
}

static int64_t guest_word(unsigned cpu, uint64_t ipa, unsigned flags)
{
	uint64_t v = 0;

	EXPECT(tf_guest_access(cpu, ipa, flags, &v), SIM_OK);
	return (int64_t)v;
}

static int64_t host_word(uint64_t pa)
{
	uint64_t v = 0;

	EXPECT(tf_host_read(pa, &v), SIM_OK);
	return (int64_t)v;
}

/* register_vm .. verify_vm_image, with the malformed calls of each step. */
static void script_boot(unsigned img, uint64_t first)
{
	uint64_t gpa = TF_IMAGE_GFN << PAGE_SHIFT;

	EXPECT(tf_hvc(0, 0, 0, 0), E(OP));
	EXPECT(tf_hvc(HVC__END, 0, 0, 0), E(OP));
	EXPECT(tf_hvc(HVC_REGISTER_VCPU, 1, 0, 0), E(VM));
	EXPECT(tf_hvc(HVC_REGISTER_VM, 0, 0, 0), 1);
	EXPECT(tf_hvc(HVC_REGISTER_VCPU, 1, 0, 0), 0);
	EXPECT(tf_hvc(HVC_REGISTER_VCPU, 1, 1, 0), 0);
	EXPECT(tf_hvc(HVC_REGISTER_VCPU, 1, 0, 0), E(VCPU_STATE));
	EXPECT(tf_hvc(HVC_REGISTER_VCPU, 1, KCORE_MAX_VCPUS, 0), E(VCPU));
	EXPECT(tf_hvc(HVC_REGISTER_VCPU, KCORE_MAX_VMS + 1, 0, 0), E(VM));
	EXPECT(tf_hvc(HVC_SET_BOOT_INFO, 1, gpa + 8, 2), E(BOOT_INFO));
	EXPECT(tf_hvc(HVC_SET_BOOT_INFO, 1, gpa, 0), E(BOOT_INFO));
	EXPECT(tf_hvc(HVC_SET_BOOT_INFO, 1, gpa, KCORE_MAX_IMAGE_PAGES + 1), E(BOOT_INFO));
	EXPECT(tf_hvc(HVC_REMAP_VM_IMAGE, 1, first, 0), E(BOOT_INFO));
	EXPECT(tf_hvc(HVC_SET_BOOT_INFO, 1, gpa, 2), 0);
	EXPECT(tf_hvc(HVC_SET_BOOT_INFO, 1, gpa, 2), E(BOOT_INFO));
	EXPECT(tf_hvc(HVC_VERIFY_VM_IMAGE, 1, 0, 0), E(BOOT_INFO));
	tf_write_image_page(img, 0, first, 0);
	tf_write_image_page(img, 1, first + 1, 0);
	EXPECT(tf_hvc(HVC_REMAP_VM_IMAGE, 1, first, 2), E(BOOT_INFO));
	EXPECT(tf_hvc(HVC_REMAP_VM_IMAGE, 1, 5, 0), E(PFN));
	EXPECT(tf_hvc(HVC_REMAP_VM_IMAGE, 1, first, 0), 0);
	EXPECT(tf_hvc(HVC_REMAP_VM_IMAGE, 1, first + 2, 0), E(BOOT_INFO));
	EXPECT(tf_hvc(HVC_REMAP_VM_IMAGE, 1, first + 1, 1), 0);
	EXPECT(tf_hvc(HVC_MAP_VM_PAGE, 1, DATA_GFN, first + 3), E(VM_STATE));
	EXPECT(tf_run(GUEST_CPU, 1, 0), E(VM_STATE));
	EXPECT(tf_hvc(HVC_VERIFY_VM_IMAGE, 1, 0, 0), 0);
	EXPECT(tf_hvc(HVC_VERIFY_VM_IMAGE, 1, 0, 0), E(VM_STATE));
	EXPECT(tf_hvc(HVC_SET_BOOT_INFO, 1, gpa, 2), E(VM_STATE));
}

/* The guest runs and sees its image, cached or not. */
static void script_run(unsigned img)
{
	uint64_t gpa = TF_IMAGE_GFN << PAGE_SHIFT;

	EXPECT(tf_run(GUEST_CPU, 1, 0), 0);
	EXPECT(tf_run(OTHER_CPU, 1, 0), E(VCPU_STATE));
	EXPECT(tf_run(GUEST_CPU, 1, 1), E(CPU_STATE));
	EXPECT(tf_run(OTHER_CPU, 1, KCORE_MAX_VCPUS), E(VCPU));
	for (unsigned idx = 0; idx < 2; idx++) {
		for (unsigned off = 0; off < PAGE_SIZE; off += 1024) {
			uint64_t ipa = gpa + idx * PAGE_SIZE + off;

			EXPECT(guest_word(GUEST_CPU, ipa, 0), tf_image_word(img, idx, off));
			EXPECT(guest_word(GUEST_CPU, ipa, SIM_ACC_NONCACHEABLE),
			       tf_image_word(img, idx, off));
		}
	}
}

/* The host hands the guest a page it filled; the guest shares it back. */
static void script_memory(uint64_t page)
{
	uint64_t ipa = DATA_GFN << PAGE_SHIFT;

	for (unsigned off = 0; off < PAGE_SIZE; off += 512)
		EXPECT(tf_host_write(tf_pa(page) + off, PATTERN | off), SIM_OK);
	EXPECT(tf_hvc(HVC_MAP_VM_PAGE, KCORE_MAX_VMS + 1, DATA_GFN, page), E(VM));
	EXPECT(tf_hvc(HVC_MAP_VM_PAGE, 1, S2_MAX_GFN + 1, page), E(GFN));
	EXPECT(tf_hvc(HVC_MAP_VM_PAGE, 1, DATA_GFN, 5), E(PFN));
	EXPECT(tf_hvc(HVC_MAP_VM_PAGE, 1, DATA_GFN, page), 0);
	EXPECT(tf_hvc(HVC_MAP_VM_PAGE, 1, DATA_GFN, page + 1), E(MAPPED));
	EXPECT(tf_hvc(HVC_MAP_VM_PAGE, 1, TF_IMAGE_GFN, page + 1), E(MAPPED));
	EXPECT(guest_word(GUEST_CPU, ipa + 512, 0), PATTERN | 512);
	EXPECT(guest_word(GUEST_CPU, ipa + 1024, SIM_ACC_NONCACHEABLE), PATTERN | 1024);
	EXPECT(tf_guest_write(GUEST_CPU, ipa + 8, SECRET), SIM_OK);
	EXPECT(guest_word(GUEST_CPU, ipa + 8, 0), SECRET);

	EXPECT(tf_ghvc(TF_HOST_CPU, GHVC_GRANT, DATA_GFN), E(CPU_STATE));
	EXPECT(tf_ghvc(GUEST_CPU, GHVC_GRANT, S2_MAX_GFN + 1), E(GFN));
	EXPECT(tf_ghvc(GUEST_CPU, GHVC_GRANT, DATA_GFN + 1), E(UNMAPPED));
	EXPECT(tf_ghvc(GUEST_CPU, GHVC_REVOKE, DATA_GFN), E(NOT_SHARED));
	EXPECT(tf_ghvc(GUEST_CPU, GHVC_GRANT, DATA_GFN), 1);
	EXPECT(host_word(tf_pa(page) + 8), SECRET);
	for (int64_t count = 2; count <= KCORE_MAX_SHARE; count++)
		EXPECT(tf_ghvc(GUEST_CPU, GHVC_GRANT, DATA_GFN), count);
	EXPECT(tf_ghvc(GUEST_CPU, GHVC_GRANT, DATA_GFN), E(SHARE_LIMIT));
	for (int64_t count = KCORE_MAX_SHARE - 1; count >= 0; count--)
		EXPECT(tf_ghvc(GUEST_CPU, GHVC_REVOKE, DATA_GFN), count);
	EXPECT(tf_ghvc(GUEST_CPU, GHVC_REVOKE, DATA_GFN), E(NOT_SHARED));
	EXPECT(tf_ghvc(GUEST_CPU, GHVC__END, 0), E(OP));
}

/* A host-owned DMA unit and a VM-owned one. */
static void script_smmu(uint64_t page)
{
	uint64_t v = DMA_WORD;
	struct sim_access acc;

	EXPECT(tf_hvc(HVC_SMMU_ALLOC, KCORE_SMMU_UNITS, 0, 0), E(UNIT));
	EXPECT(tf_hvc(HVC_SMMU_MAP, 0, IOVA, page), E(UNIT_STATE));
	EXPECT(tf_hvc(HVC_SMMU_ALLOC, 0, 0, 0), 0);
	EXPECT(tf_hvc(HVC_SMMU_ALLOC, 0, 0, 0), E(UNIT_STATE));
	EXPECT(tf_hvc(HVC_SMMU_ALLOC, 1, KCORE_MAX_VMS + 1, 0), E(VM));
	EXPECT(tf_hvc(HVC_SMMU_ALLOC, 1, 2, 0), E(VM));
	EXPECT(tf_hvc(HVC_SMMU_ALLOC, 1, 1, 0), 0);
	EXPECT(tf_hvc(HVC_SMMU_MAP, 0, IOVA + 8, page), E(IOVA));
	EXPECT(tf_hvc(HVC_SMMU_MAP, 0, (S2_MAX_GFN + 1) << PAGE_SHIFT, page), E(IOVA));
	EXPECT(tf_hvc(HVC_SMMU_MAP, 0, IOVA, 5), E(PFN));
	EXPECT(tf_hvc(HVC_SMMU_MAP, 0, IOVA, page), 0);
	EXPECT(tf_hvc(HVC_SMMU_MAP, 0, IOVA, page + 1), E(MAPPED));
	EXPECT(tf_hvc(HVC_SMMU_IOVA_TO_PHYS, 0, IOVA + 8, 0), tf_pa(page) + 8);
	EXPECT(tf_hvc(HVC_SMMU_IOVA_TO_PHYS, 0, IOVA + PAGE_SIZE, 0), E(UNMAPPED));
	EXPECT(sim_dma_access(0, IOVA + 16, SIM_ACC_WRITE, &v, &acc), SIM_OK);
	EXPECT(host_word(tf_pa(page) + 16), DMA_WORD);
	EXPECT(tf_hvc(HVC_SMMU_UNMAP, 0, IOVA, 0), 0);
	EXPECT(tf_hvc(HVC_SMMU_UNMAP, 0, IOVA, 0), E(UNMAPPED));
	EXPECT(sim_dma_access(0, IOVA + 16, 0, &v, &acc), SIM_FAULT_TRANSLATION);
	EXPECT(tf_hvc(HVC_SMMU_FREE, 0, 0, 0), 0);
	EXPECT(tf_hvc(HVC_SMMU_FREE, 0, 0, 0), E(UNIT_STATE));
	EXPECT(tf_hvc(HVC_SMMU_FREE, KCORE_SMMU_UNITS, 0, 0), E(UNIT));
}

static void script_ioremap(void)
{
	uint64_t mmio = tf_pa(tf_mmio_pfn());

	EXPECT(tf_hvc(HVC_IOREMAP, 1, IO_GPA + 8, mmio), E(GFN));
	EXPECT(tf_hvc(HVC_IOREMAP, 1, IO_GPA, mmio + 8), E(NOT_MMIO));
	EXPECT(tf_hvc(HVC_IOREMAP, 1, IO_GPA, 0x1000), E(NOT_MMIO));
	EXPECT(tf_hvc(HVC_IOREMAP, 1, IO_GPA, mmio), 0);
	EXPECT(tf_hvc(HVC_IOREMAP, 1, IO_GPA, mmio + PAGE_SIZE), E(MAPPED));
	EXPECT(guest_word(GUEST_CPU, IO_GPA + 8, 0), (int64_t)sim_mem_read64(mmio + 8));
	EXPECT(tf_ghvc(GUEST_CPU, GHVC_GRANT, IO_GPA >> PAGE_SHIFT), E(UNMAPPED));
}

/* Exit, power off from another vCPU, clear, and start over. */
static void script_teardown(void)
{
	EXPECT(tf_hvc(HVC_CLEAR_VM, 1, 0, 0), E(VM_STATE));
	EXPECT(tf_ghvc(GUEST_CPU, GHVC_EXIT, 0), 0);
	EXPECT(tf_ghvc(GUEST_CPU, GHVC_EXIT, 0), E(CPU_STATE));
	EXPECT(tf_ghvc(GUEST_CPU, GHVC_POWER_OFF, 0), E(CPU_STATE));
	EXPECT(tf_run(OTHER_CPU, 1, 1), 0);
	EXPECT(tf_run(GUEST_CPU, 1, 0), 0);
	EXPECT(tf_ghvc(OTHER_CPU, GHVC_POWER_OFF, 0), 0);
	EXPECT(tf_hvc(HVC_MAP_VM_PAGE, 1, DATA_GFN + 1, tf_data_pfn(20)), E(VM_STATE));
	EXPECT(tf_run(OTHER_CPU, 1, 1), E(VM_STATE));
	EXPECT(tf_hvc(HVC_CLEAR_VM, 1, 0, 0), E(VCPU_STATE));
	EXPECT(tf_ghvc(GUEST_CPU, GHVC_EXIT, 0), 0);
	EXPECT(tf_hvc(HVC_CLEAR_VM, 0, 0, 0), E(VM));
	EXPECT(tf_hvc(HVC_CLEAR_VM, 1, 0, 0), 0);
	EXPECT(tf_hvc(HVC_CLEAR_VM, 1, 0, 0), E(VM));
	/* clear_vm freed the VM's unit. */
	EXPECT(tf_hvc(HVC_SMMU_ALLOC, 1, 0, 0), 0);
	for (int64_t vm = 1; vm <= KCORE_MAX_VMS; vm++)
		EXPECT(tf_hvc(HVC_REGISTER_VM, 0, 0, 0), vm);
	EXPECT(tf_hvc(HVC_REGISTER_VM, 0, 0, 0), E(VM_LIMIT));
}

static void lifecycle(const struct hyp_target *t, struct run_log *log)
{
	unsigned img = image_named("small");

	tf_boot(t);
	run_log_start(log);
	script_boot(img, tf_data_pfn(0));
	script_run(img);
	script_memory(tf_data_pfn(8));
	script_smmu(tf_data_pfn(16));
	script_ioremap();
	script_teardown();
}

static struct run_log on_kcore, on_vanilla;

TEST(benign_lifecycle_same_results)
{
	tf_machine();
	lifecycle(&target_kcore, &on_kcore);
	lifecycle(&target_vanilla, &on_vanilla);
	run_log_compare(&on_kcore, "kcore", &on_vanilla, "vanilla");
}

/* Table memory runs out at the same step: a VM's pool (16 pages) holds
 * the root and the two tables of the image's gigabyte, then two tables for
 * each further gigabyte; an SMMU unit's (8) the root and three more. */
static void exhaust_pools(const struct hyp_target *t, struct run_log *log)
{
	tf_boot(t);
	run_log_start(log);
	EXPECT(tf_boot_vm(image_named("tiny"), tf_data_pfn(0), 1), 1);
	for (uint64_t gib = 1; gib <= 6; gib++)
		EXPECT(tf_hvc(HVC_MAP_VM_PAGE, 1, gib << 18, tf_data_pfn((unsigned)gib)), 0);
	EXPECT(tf_hvc(HVC_MAP_VM_PAGE, 1, 7ull << 18, tf_data_pfn(7)), E(NOMEM));
	EXPECT(tf_hvc(HVC_IOREMAP, 1, 7ull << 30, tf_pa(tf_mmio_pfn())), E(NOMEM));
	/* Room is left where tables already exist. */
	EXPECT(tf_hvc(HVC_MAP_VM_PAGE, 1, (6ull << 18) + 1, tf_data_pfn(8)), 0);

	EXPECT(tf_hvc(HVC_SMMU_ALLOC, 2, 0, 0), 0);
	for (uint64_t gib = 0; gib < 3; gib++)
		EXPECT(tf_hvc(HVC_SMMU_MAP, 2, gib << 30, tf_data_pfn(10 + (unsigned)gib)), 0);
	EXPECT(tf_hvc(HVC_SMMU_MAP, 2, 3ull << 30, tf_data_pfn(13)), E(NOMEM));
}

TEST(pool_exhaustion_same_step)
{
	tf_machine();
	exhaust_pools(&target_kcore, &on_kcore);
	exhaust_pools(&target_vanilla, &on_vanilla);
	run_log_compare(&on_kcore, "kcore", &on_vanilla, "vanilla");
}

/* The same VMIDs on both, and none handed out twice without a TLBI
 * ALLE1IS in between (KVM's VMID rollover). */
static uint64_t tlbi_all_seen;
static uint64_t flushes_when_given[256];

static void count_tlbi_all(void *ctx, const struct sim_event *ev)
{
	(void)ctx;
	if (ev->kind == EV_TLBI_ALL)
		tlbi_all_seen++;
}

static void note_vmid(uint16_t vmid)
{
	CHECK(vmid != 0);
	/* 0 means never given; counts are stored plus one. */
	if (flushes_when_given[vmid] != 0)
		CHECK(tlbi_all_seen + 1 > flushes_when_given[vmid]);
	flushes_when_given[vmid] = tlbi_all_seen + 1;
}

static void vmid_cycles(const struct hyp_target *t, struct run_log *log)
{
	unsigned img = image_named("tiny");

	tf_boot(t);
	tlbi_all_seen = 0;
	memset(flushes_when_given, 0, sizeof(flushes_when_given));
	sim_set_event_sink(count_tlbi_all, NULL);
	run_log_start(log);
	EXPECT(tf_boot_vm(img, tf_data_pfn(0), 1), 1);
	note_vmid(tf_vm(1).vmid);
	for (unsigned cycle = 0; cycle < 300; cycle++) {
		EXPECT(tf_boot_vm(img, tf_data_pfn(1), 1), 2);
		REC(tf_vm(2).vmid);
		note_vmid(tf_vm(2).vmid);
		CHECK(tf_vm(2).vmid != tf_vm(1).vmid);
		EXPECT(tf_run(GUEST_CPU, 2, 0), 0);
		EXPECT(tf_ghvc(GUEST_CPU, GHVC_POWER_OFF, 0), 0);
		EXPECT(tf_hvc(HVC_CLEAR_VM, 2, 0, 0), 0);
	}
	/* 254 VMIDs besides VM 1's: 300 cycles roll over once. */
	CHECK_EQ(tlbi_all_seen, 1);
	sim_set_event_sink(NULL, NULL);
}

TEST(vmids_as_on_kcore)
{
	tf_machine();
	vmid_cycles(&target_kcore, &on_kcore);
	vmid_cycles(&target_vanilla, &on_vanilla);
	run_log_compare(&on_kcore, "kcore", &on_vanilla, "vanilla");
}

static const struct test_case cases[] = {
	CASE(benign_lifecycle_same_results),
	CASE(pool_exhaustion_same_step),
	CASE(vmids_as_on_kcore),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
