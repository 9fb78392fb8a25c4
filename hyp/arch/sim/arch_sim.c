/* hyp/arch.h on the machine model.  Every call that acts on the machine is
 * a scheduling point first (the yield hook may run other CPUs), then acts,
 * then emits its event, so the stream shows each effect in the order it
 * happened.  KCore's own accesses outside RAM are KCore bugs: the machine
 * would take an external abort at EL2, so they panic. */
#include "hyp/arch.h"
#include "hyp/s2desc.h"
#include "sim_private.h"

static void require_ram(uint64_t pa, uint64_t len, const char *what)
{
	if (sim_mem_kind(pa, len) != MEM_RAM)
		sim_fatal(what);
}

static uint64_t pte_addr(paddr_t table, unsigned idx)
{
	uint64_t pa = (pa_addr(table) & ~PAGE_MASK) + 8ull * idx;

	if (idx >= S2_ENTRIES)
		sim_fatal("page-table index out of range");
	require_ram(pa, 8, "external abort: page-table access outside RAM");
	return pa;
}

uint64_t arch_pte_read(paddr_t table, unsigned idx)
{
	uint64_t desc;

	sim_cache_read(pte_addr(table, idx), &desc, 8);
	return desc;
}

/* One scan of the cached table page, filling the same lines the reads one
 * by one would; an index past the table panics only where the reads one
 * by one would have reached it. */
unsigned arch_pte_next_valid(paddr_t table, unsigned from, unsigned to, uint64_t *desc)
{
	if (from > to)
		return to + 1;
	unsigned last = to < S2_ENTRIES ? to : S2_ENTRIES - 1;
	unsigned found = sim_cache_find_word(pte_addr(table, from), from, last, S2_VALID, desc);

	if (found > last && to > last)
		sim_fatal("page-table index out of range");
	return found;
}

void arch_pte_write(paddr_t table, unsigned idx, uint64_t desc)
{
	sim_yield(SIM_YIELD_POINT);
	uint64_t pa = pte_addr(table, idx), old;

	sim_cache_read(pa, &old, 8);
	sim_cache_write(pa, &desc, 8);
	sim_relaxed_pte_write(sim_cpu(), pa, old);
	sim_emit(EV_PTE_WRITE, sim_cpu(), pa_addr(table) & ~PAGE_MASK, idx, old, desc);
}

void arch_tlbi_ipa(uint16_t vmid, ipaddr_t ipa)
{
	sim_yield(SIM_YIELD_POINT);
	sim_relaxed_tlbi(sim_cpu(), SIM_TLBI_IPA, vmid, ipa_addr(ipa));
	sim_emit(EV_TLBI_IPA, sim_cpu(), vmid, ipa_addr(ipa), 0, 0);
}

void arch_tlbi_vmid(uint16_t vmid)
{
	sim_yield(SIM_YIELD_POINT);
	sim_relaxed_tlbi(sim_cpu(), SIM_TLBI_VMID, vmid, 0);
	sim_emit(EV_TLBI_VMID, sim_cpu(), vmid, 0, 0, 0);
}

void arch_tlbi_all(void)
{
	sim_yield(SIM_YIELD_POINT);
	sim_relaxed_tlbi(sim_cpu(), SIM_TLBI_ALL, 0, 0);
	sim_emit(EV_TLBI_ALL, sim_cpu(), 0, 0, 0, 0);
}

/* The DSB completes this CPU's TLBIs and publishes its table writes
 * (relaxed.c). */
void arch_dsb_ish(void)
{
	sim_yield(SIM_YIELD_POINT);
	sim_relaxed_dsb(sim_cpu());
	sim_emit(EV_DSB, sim_cpu(), 0, 0, 0, 0);
}

void arch_isb(void)
{
	sim_yield(SIM_YIELD_POINT);
	sim_emit(EV_ISB, sim_cpu(), 0, 0, 0, 0);
}

void arch_set_stage2(uint16_t vmid, paddr_t root)
{
	sim_yield(SIM_YIELD_POINT);
	sim_cpu_load_stage2(sim_cpu(), vmid, pa_addr(root));
	sim_emit(EV_SET_STAGE2, sim_cpu(), vmid, pa_addr(root), 0, 0);
}

void arch_smmu_attach(unsigned unit, paddr_t root)
{
	sim_yield(SIM_YIELD_POINT);
	if (!sim_smmu_attach(unit, pa_addr(root)))
		sim_fatal("SMMU unit out of range");
	sim_iotlb_drop(unit);
	sim_emit(EV_SMMU_ATTACH, sim_cpu(), unit, pa_addr(root), 0, 0);
}

void arch_smmu_detach(unsigned unit)
{
	sim_yield(SIM_YIELD_POINT);
	if (!sim_smmu_detach(unit))
		sim_fatal("SMMU unit out of range");
	sim_iotlb_drop(unit);
	sim_emit(EV_SMMU_DETACH, sim_cpu(), unit, 0, 0, 0);
}

void arch_smmu_tlbi(unsigned unit)
{
	sim_yield(SIM_YIELD_POINT);
	if (unit >= SIM_SMMU_UNITS)
		sim_fatal("SMMU unit out of range");
	/* Invalidation and sync complete at once; but a walk may have refilled
	 * the IOTLB from a descriptor this CPU's writes have not yet replaced
	 * for the SMMU (relaxed.c), and the model takes that choice. */
	if (sim_relaxed_smmu_inval_ordered(sim_cpu()))
		sim_iotlb_drop(unit);
	sim_emit(EV_SMMU_TLBI, sim_cpu(), unit, 0, 0, 0);
}

/* Cache maintenance of a non-RAM address has nothing to act on. */
void arch_dc_civac(paddr_t pa)
{
	sim_yield(SIM_YIELD_POINT);
	if (sim_mem_kind(pa_addr(pa), 1) == MEM_RAM)
		sim_cache_clean_inval(pa_addr(pa), NULL);
	sim_emit(EV_DC_CIVAC, sim_cpu(), pa_addr(pa), 0, 0, 0);
}

void arch_dc_cvac(paddr_t pa)
{
	sim_yield(SIM_YIELD_POINT);
	if (sim_mem_kind(pa_addr(pa), 1) == MEM_RAM)
		sim_cache_clean(pa_addr(pa), NULL);
	sim_emit(EV_DC_CVAC, sim_cpu(), pa_addr(pa), 0, 0, 0);
}

void arch_page_zero(paddr_t page)
{
	uint64_t base = pa_addr(page) & ~PAGE_MASK;

	sim_yield(SIM_YIELD_POINT);
	require_ram(base, PAGE_SIZE, "external abort: page zeroed outside RAM");
	sim_cache_zero_page(base);
	sim_emit(EV_PAGE_ZERO, sim_cpu(), base, 0, 0, 0);
}

/* Bytes up to the end of the line holding pa, at most len. */
static size_t line_chunk(uint64_t pa, size_t len)
{
	size_t room = CACHE_LINE_SIZE - (pa & (CACHE_LINE_SIZE - 1));

	return len < room ? len : room;
}

static void mmio_read_bytes(uint64_t pa, uint8_t *dst, size_t len)
{
	for (size_t i = 0; i < len; i++, pa++)
		dst[i] = (uint8_t)(sim_mmio_read64(pa) >> (8 * (pa & 7)));
}

/* KCore's accesses reach RAM through the cache and devices directly. */
static enum mem_kind phys_kind(uint64_t pa, size_t len)
{
	enum mem_kind kind = sim_mem_kind(pa, len);

	if (kind == MEM_EXTERNAL)
		sim_fatal("external abort: KCore access outside RAM and MMIO");
	return kind;
}

void arch_phys_read(paddr_t pa, void *dst, size_t len)
{
	uint64_t p = pa_addr(pa);
	uint8_t *d = dst;

	sim_yield(SIM_YIELD_POINT);
	if (len && phys_kind(p, len) == MEM_MMIO) {
		mmio_read_bytes(p, d, len);
	} else {
		for (size_t done = 0, n; done < len; done += n) {
			n = line_chunk(p + done, len - done);
			sim_cache_read(p + done, d + done, n);
		}
	}
	sim_emit(EV_PHYS_READ, sim_cpu(), p, len, 0, 0);
}

void arch_phys_write(paddr_t pa, const void *src, size_t len)
{
	uint64_t p = pa_addr(pa);
	const uint8_t *s = src;

	sim_yield(SIM_YIELD_POINT);
	if (len && phys_kind(p, len) == MEM_RAM) {
		for (size_t done = 0, n; done < len; done += n) {
			n = line_chunk(p + done, len - done);
			sim_cache_write(p + done, s + done, n);
		}
	}
	sim_emit(EV_PHYS_WRITE, sim_cpu(), p, len, 0, 0);
}

void arch_note_access(uint32_t obj, bool write)
{
	sim_yield(SIM_YIELD_POINT);
	sim_emit(EV_SHARED_ACCESS, sim_cpu(), obj, write, 0, 0);
}
