/* hyp/arch.h on the real CPU, at EL2.
 *
 * KCore's physical addresses are usable as pointers because the EL2 map is
 * the identity (mmu.c).  Arguments are KCore's own values, never the
 * host's, so one that is out of range means KCore is broken: it panics
 * rather than touch memory outside RAM.
 */
#include "hyp/arch.h"
#include "hyp/s2desc.h"

#include "lib/kstring.h"

#include "arch_aarch64.h"
#include "boot/layout.h"
#include "firmware/semihost.h"
#include "lib/console.h"
#include "sysreg.h"

#define VTTBR_VMID_SHIFT 48
#define VTTBR_BADDR_MASK 0x0000fffffffffffeull
/* TLBI IPAS2E1IS takes IPA[47:12] in bits [35:0]. */
#define TLBI_IPA_MASK 0xfffffffffull

static unsigned cpu_count = 1;
static uint32_t vmid_count = 1u << 8;

void arch_aarch64_boot(unsigned ncpus, unsigned vmid_bits)
{
	cpu_count = ncpus;
	vmid_count = 1u << vmid_bits;
}

bool arch_is_ram(uint64_t pa, uint64_t len)
{
	return pa >= RAM_BASE && pa < RAM_END && len <= RAM_END - pa;
}

static uint64_t *table_slot(paddr_t table, unsigned idx)
{
	uint64_t t = pa_addr(table);

	if ((t & PAGE_MASK) != 0 || !arch_is_ram(t, PAGE_SIZE) || idx >= 512)
		arch_panic("descriptor outside a RAM table page");
	return (uint64_t *)(uintptr_t)(t + 8ull * idx);
}

uint64_t arch_pte_read(paddr_t table, unsigned idx)
{
	return __atomic_load_n(table_slot(table, idx), __ATOMIC_RELAXED);
}

unsigned arch_pte_next_valid(paddr_t table, unsigned from, unsigned to, uint64_t *desc)
{
	for (unsigned idx = from; idx <= to; idx++) {
		uint64_t d = arch_pte_read(table, idx);

		if (s2_is_valid(d)) {
			*desc = d;
			return idx;
		}
	}
	return to + 1;
}

void arch_pte_write(paddr_t table, unsigned idx, uint64_t desc)
{
	/* One aligned 64-bit store: walkers on other CPUs see the old or the
	 * new descriptor, never a mix. */
	__atomic_store_n(table_slot(table, idx), desc, __ATOMIC_RELAXED);
}

/* TLBI by IPA and by VMID act on the VMID in VTTBR_EL2, so the target VMID
 * is loaded for the duration of the operation.  Exceptions are masked at
 * EL2 and this CPU is not running EL1 meanwhile, so nothing translates
 * with the borrowed VMID. */
static uint64_t vttbr_borrow(uint16_t vmid)
{
	uint64_t saved = read_sysreg(vttbr_el2);

	if (vmid >= vmid_count)
		arch_panic("VMID wider than the hardware's");
	write_sysreg((uint64_t)vmid << VTTBR_VMID_SHIFT | (saved & VTTBR_BADDR_MASK), vttbr_el2);
	isb();
	return saved;
}

static void vttbr_return(uint64_t saved)
{
	write_sysreg(saved, vttbr_el2);
	isb();
}

void arch_tlbi_ipa(uint16_t vmid, ipaddr_t ipa)
{
	uint64_t saved = vttbr_borrow(vmid);

	__asm__ volatile("tlbi ipas2e1is, %0" : : "r"((ipa_addr(ipa) >> 12) & TLBI_IPA_MASK) : "memory");
	/* A TLB may also hold combined stage-1+2 entries built from the old
	 * descriptor, which IPAS2E1IS does not reach (Arm ARM D8.13): once
	 * the stage-2 invalidation is complete, drop the VMID's stage-1
	 * entries too. */
	dsb_ish();
	__asm__ volatile("tlbi vmalle1is" : : : "memory");
	dsb_ish();
	vttbr_return(saved);
}

void arch_tlbi_vmid(uint16_t vmid)
{
	uint64_t saved = vttbr_borrow(vmid);

	__asm__ volatile("tlbi vmalls12e1is" : : : "memory");
	dsb_ish();
	vttbr_return(saved);
}

void arch_tlbi_all(void)
{
	__asm__ volatile("tlbi alle1is" : : : "memory");
}

void arch_dsb_ish(void)
{
	dsb_ish();
}

void arch_isb(void)
{
	isb();
}

void arch_call_returning(void)
{
}

void arch_set_stage2(uint16_t vmid, paddr_t root)
{
	uint64_t r = pa_addr(root);

	if ((r & PAGE_MASK) != 0 || !arch_is_ram(r, PAGE_SIZE))
		arch_panic("stage-2 root outside RAM");
	if (vmid >= vmid_count)
		arch_panic("VMID wider than the hardware's");
	write_sysreg((uint64_t)vmid << VTTBR_VMID_SHIFT | r, vttbr_el2);
	isb();
}

void arch_dc_civac(paddr_t pa)
{
	if (!arch_is_ram(pa_addr(pa), 1))
		arch_panic("cache maintenance outside RAM");
	__asm__ volatile("dc civac, %0" : : "r"(pa_addr(pa)) : "memory");
}

void arch_dc_cvac(paddr_t pa)
{
	if (!arch_is_ram(pa_addr(pa), 1))
		arch_panic("cache maintenance outside RAM");
	__asm__ volatile("dc cvac, %0" : : "r"(pa_addr(pa)) : "memory");
}

void arch_page_zero(paddr_t page)
{
	uint64_t p = pa_addr(page);

	if ((p & PAGE_MASK) != 0 || !arch_is_ram(p, PAGE_SIZE))
		arch_panic("zeroing a page outside RAM");

	/* DC ZVA zeroes a whole block (DCZID_EL0.BS words) in one go unless
	 * the CPU prohibits it (DZP); otherwise plain stores. */
	uint64_t dczid = read_sysreg(dczid_el0);
	if ((dczid & (1u << 4)) == 0) {
		uint64_t block = 4ull << (dczid & 0xf);
		if (block <= PAGE_SIZE) {
			for (uint64_t a = p; a < p + PAGE_SIZE; a += block)
				__asm__ volatile("dc zva, %0" : : "r"(a) : "memory");
			return;
		}
	}
	for (uint64_t a = p; a < p + PAGE_SIZE; a += 16)
		__asm__ volatile("stp xzr, xzr, [%0]" : : "r"(a) : "memory");
}

void arch_phys_read(paddr_t pa, void *dst, size_t len)
{
	if (!arch_is_ram(pa_addr(pa), len))
		arch_panic("read outside RAM");
	memcpy(dst, (const void *)(uintptr_t)pa_addr(pa), len);
}

void arch_phys_write(paddr_t pa, const void *src, size_t len)
{
	if (!arch_is_ram(pa_addr(pa), len))
		arch_panic("write outside RAM");
	memcpy((void *)(uintptr_t)pa_addr(pa), src, len);
}

unsigned arch_cpu_id(void)
{
	return mpidr_aff0();
}

unsigned arch_cpu_count(void)
{
	return cpu_count;
}

void arch_spin_init(struct arch_spinlock *l, uint32_t id)
{
	l->owner = 0;
	l->next = 0;
	l->id = id;
}

static volatile uint32_t exiting;

/* True for the first CPU to end the run; any later one stops here and
 * waits to be stopped with the machine, so the verdict is printed once. */
static bool claim_exit(void)
{
	if (__atomic_exchange_n(&exiting, 1, __ATOMIC_ACQ_REL) == 0)
		return true;
	for (;;)
		__asm__ volatile("wfi");
}

_Noreturn void hyp_exit(unsigned status)
{
	claim_exit();
	kprintf_unlocked("isofuzz-hyp: exit %u\n", status);
	semihost_exit(status);
}

_Noreturn void arch_panic(const char *why)
{
	claim_exit();
	/* Unlocked: this CPU may have panicked while holding the console. */
	kprintf_unlocked("isofuzz-hyp: PANIC on cpu %u: %s (called from %p)\n", arch_cpu_id(), why,
			 __builtin_return_address(0));
	kprintf_unlocked("isofuzz-hyp: exit %u\n", HYP_EXIT_PANIC);
	semihost_exit(HYP_EXIT_PANIC);
}
