/* Bring-up: the boot CPU sets up the machine and the core, starts the
 * other CPUs one at a time, then every CPU either runs an EL2 test or
 * enters the host at EL1.
 */
#include <stdbool.h>
#include <stddef.h>
#include "lib/kstring.h"

#include "arch_aarch64.h"
#include "bootargs.h"
#include "core/core.h"
#include "el2_test.h"
#include "firmware/psci.h"
#include "firmware/semihost.h"
#include "hyp/arch.h"
#include "layout.h"
#include "lib/console.h"
#include "reset.h"
#include "start_defs.h"
#include "sysreg.h"

_Static_assert(HYP_MAX_CPUS == ARCH_MAX_CPUS, "start_defs.h and arch/types.h agree");

uint8_t hyp_stacks[HYP_MAX_CPUS][HYP_STACK_SIZE] __attribute__((aligned(16)));

extern char __hyp_start[], __hyp_end[];
extern char secondary_entry[];
_Noreturn void hyp_enter_el1(uint64_t entry, uint64_t arg0, uint64_t arg1, uint64_t stack_top);
_Noreturn void hyp_main_primary(void);
_Noreturn void hyp_main_secondary(uint64_t context);

/* VTCR_EL2: 39-bit IPA (T0SZ 25) walked from level 1 (SL0 1), table walks
 * inner/outer write-back and inner shareable, 4 KiB granule, 40-bit PA;
 * bit 31 RES1; VS (bit 19) selects 16-bit VMIDs. */
#define VTCR_BASE (25ull | 1ull << 6 | 1ull << 8 | 1ull << 10 | 3ull << 12 | 0ull << 14 | \
		   2ull << 16 | 1ull << 31)
#define VTCR_VS (1ull << 19)

#define CPTR_EL2_RES1 0x33ffull
#define CNTHCTL_EL1PCTEN_EL1PCEN 0x3ull

enum release { HOLD = 0, ENTER_HOST, RUN_EL2_TEST };

static volatile uint32_t cpu_online[HYP_MAX_CPUS];
static char cmdline[BOOTARGS_CMDLINE_MAX];
static const char *cmdline_rest = "";
static volatile uint32_t release;
static const struct el2_test *el2_test;
static unsigned vtcr_vs;

static uint64_t stack_top(unsigned cpu)
{
	return (uint64_t)(uintptr_t)hyp_stacks[cpu] + HYP_STACK_SIZE;
}

/* EL2 state every CPU needs, the same on all. */
static void cpu_setup_el2(void)
{
	write_sysreg(VTCR_BASE | (vtcr_vs ? VTCR_VS : 0), vtcr_el2);
	write_sysreg(0, vttbr_el2);
	write_sysreg(HCR_HOST, hcr_el2);
	write_sysreg(CPTR_EL2_RES1, cptr_el2);
	write_sysreg(0, hstr_el2);
	write_sysreg(CNTHCTL_EL1PCTEN_EL1PCEN, cnthctl_el2);
	write_sysreg(0, cntvoff_el2);
	write_sysreg(read_sysreg(midr_el1), vpidr_el2);
	write_sysreg(read_sysreg(mpidr_el1), vmpidr_el2);
	write_sysreg(SCTLR_EL1_RES1, sctlr_el1);
	isb();
}

/* CPUs present: PSCI knows every MPIDR 0.0.0.n of the board; the first n
 * it does not know ends the count. */
static unsigned count_cpus(void)
{
	unsigned n = 1;

	while (n < HYP_MAX_CPUS && psci_affinity_info(n) != PSCI_INVALID_PARAMETERS)
		n++;
	return n;
}

static unsigned vmid_bits(void)
{
	/* ID_AA64MMFR1_EL1.VMIDBits [7:4]: 2 means 16-bit VMIDs. */
	return ((read_sysreg(id_aa64mmfr1_el1) >> 4) & 0xf) == 2 ? 16 : 8;
}

/* The command line without its first word (the program name). */
static const char *cmdline_args(char *buf, size_t len)
{
	if (semihost_cmdline(buf, len) != 0)
		return "";
	const char *p = buf;
	while (*p == ' ')
		p++;
	while (*p && *p != ' ')
		p++;
	while (*p == ' ')
		p++;
	return p;
}

/* The first word of args, looked up among the EL2 tests. */
static const struct el2_test *find_el2_test(const char *args)
{
	size_t len = 0;

	while (args[len] && args[len] != ' ')
		len++;
	for (unsigned i = 0; i < el2_test_count; i++)
		if (strlen(el2_tests[i].name) == len && memcmp(el2_tests[i].name, args, len) == 0)
			return &el2_tests[i];
	return NULL;
}

static void fill_boot(struct kcore_boot *boot, unsigned ncpus)
{
	uint64_t region_pages = core_region_pages();

	if ((uint64_t)(uintptr_t)__hyp_start != HYP_BASE)
		arch_panic("the image is not linked at HYP_BASE");
	if (KRAM_BASE + region_pages * PAGE_SIZE > HOST_REGION_BASE)
		arch_panic("KCore's region runs into the host");
	*boot = (struct kcore_boot){
		.ram_base_pfn = KRAM_BASE >> PAGE_SHIFT,
		.ram_pages = KRAM_SIZE >> PAGE_SHIFT,
		.kcore_base_pfn = KRAM_BASE >> PAGE_SHIFT,
		.kcore_pages = region_pages,
		.mmio_base_pfn = MMIO_BASE >> PAGE_SHIFT,
		.mmio_pages = MMIO_PAGES,
		.ncpus = ncpus,
	};
}

/* Like a boot loader: the host's arguments go into its memory before
 * the core takes charge of that memory. */
static void write_host_args(const struct kcore_boot *boot, const char *args)
{
	struct host_bootargs *a = (struct host_bootargs *)(uintptr_t)HOST_ARGS_PA;
	size_t len = strlen(args);

	memset(a, 0, sizeof(*a));
	a->magic = BOOTARGS_MAGIC;
	a->ncpus = boot->ncpus;
	a->ram_base = RAM_BASE;
	a->ram_size = RAM_SIZE;
	a->kram_base = boot->ram_base_pfn << PAGE_SHIFT;
	a->kram_size = boot->ram_pages << PAGE_SHIFT;
	a->hyp_base = (uint64_t)(uintptr_t)__hyp_start;
	a->hyp_size = (uint64_t)(uintptr_t)__hyp_end - a->hyp_base;
	a->kcore_base = boot->kcore_base_pfn << PAGE_SHIFT;
	a->kcore_size = boot->kcore_pages << PAGE_SHIFT;
	a->host_base = HOST_REGION_BASE;
	a->host_size = HOST_REGION_SIZE;
	a->mmio_base = MMIO_BASE;
	a->mmio_size = MMIO_PAGES << PAGE_SHIFT;
	a->has_core = core_has_stage2();
	if (len >= sizeof(a->cmdline))
		len = sizeof(a->cmdline) - 1;
	memcpy(a->cmdline, args, len);
}

_Noreturn static void enter_host(unsigned cpu)
{
	write_sysreg(HCR_HOST | (core_has_stage2() ? HCR_VM : 0), hcr_el2);
	isb();
	hyp_enter_el1(HOST_BASE, HOST_ARGS_PA, cpu, stack_top(cpu));
}

static void start_secondaries(unsigned ncpus)
{
	for (unsigned cpu = 1; cpu < ncpus; cpu++) {
		int64_t r = psci_cpu_on(cpu, (uint64_t)(uintptr_t)secondary_entry, cpu);
		if (r != PSCI_SUCCESS) {
			kprintf("isofuzz-hyp: PSCI CPU_ON cpu %u: %ld\n", cpu, r);
			arch_panic("a CPU did not start");
		}
		/* One at a time: the boot log comes out in the same order on
		 * every run. */
		while (__atomic_load_n(&cpu_online[cpu], __ATOMIC_ACQUIRE) == 0)
			__asm__ volatile("wfe");
	}
}

const char *hyp_cmdline_args(void)
{
	return cmdline_rest;
}

_Noreturn void hyp_main_primary(void)
{
	struct kcore_boot boot;

	kprintf("isofuzz-hyp: cpu 0 at EL%lu, core %s\n", (read_sysreg(CurrentEL) >> 2) & 3, core_name);
	vtcr_vs = vmid_bits() == 16;
	cpu_setup_el2();

	unsigned ncpus = count_cpus();
	arch_aarch64_boot(ncpus, vtcr_vs ? 16 : 8);
	const char *args = cmdline_args(cmdline, sizeof(cmdline));
	cmdline_rest = args;
	fill_boot(&boot, ncpus);
	write_host_args(&boot, args);
	reset_set_layout(&boot);

	int64_t r = core_init(&boot);
	if (r != KCORE_OK) {
		kprintf("isofuzz-hyp: core init: %ld\n", r);
		arch_panic("core init failed");
	}
	core_init_cpu();
	cpu_online[0] = 1;
	start_secondaries(ncpus);
	kprintf("isofuzz-hyp: %u cpus up, KCore's RAM %lx-%lx, core region %lx+%lx pages\n", ncpus,
		(uint64_t)KRAM_BASE, (uint64_t)KRAM_END, boot.kcore_base_pfn << PAGE_SHIFT,
		boot.kcore_pages);

	el2_test = find_el2_test(args);
	__atomic_store_n(&release, el2_test ? RUN_EL2_TEST : ENTER_HOST, __ATOMIC_RELEASE);
	__asm__ volatile("sev");
	if (el2_test == NULL)
		enter_host(0);
	kprintf("isofuzz-hyp: EL2 test %s\n", el2_test->name);
	hyp_exit(el2_test->run());
}

_Noreturn void hyp_main_secondary(uint64_t context)
{
	unsigned cpu = arch_cpu_id();

	(void)context;
	cpu_setup_el2();
	core_init_cpu();
	kprintf("isofuzz-hyp: cpu %u up at EL%lu\n", cpu, (read_sysreg(CurrentEL) >> 2) & 3);
	__atomic_store_n(&cpu_online[cpu], 1, __ATOMIC_RELEASE);
	__asm__ volatile("sev");

	uint32_t what;
	while ((what = __atomic_load_n(&release, __ATOMIC_ACQUIRE)) == HOLD)
		__asm__ volatile("wfe");
	if (what == ENTER_HOST)
		enter_host(cpu);
	if (el2_test->secondary)
		el2_test->secondary(cpu);
	for (;;)
		__asm__ volatile("wfi");
}
