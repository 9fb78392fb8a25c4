/* arch-tables: the arch.h primitives KCore builds its tables and scrubs
 * pages with, checked against memory read directly. */
#include "el2_check.h"
#include "el2_tests.h"
#include "hyp/arch.h"
#include "hyp/s2desc.h"
#include "sysreg.h"

static uint8_t pages[3][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

static paddr_t page_pa(unsigned i)
{
	return pa_init((uint64_t)(uintptr_t)pages[i]);
}

static unsigned check_descriptors(void)
{
	volatile uint64_t *raw = (volatile uint64_t *)pages[0];
	uint64_t desc = pa_addr(page_pa(1)) | S2_PAGE_NORMAL_RW;

	arch_pte_write(page_pa(0), 0, desc);
	arch_pte_write(page_pa(0), 511, ~0ull);
	ECHECK_EQ(arch_pte_read(page_pa(0), 0), desc);
	ECHECK_EQ(raw[0], desc);
	ECHECK_EQ(raw[511], ~0ull);
	ECHECK_EQ(arch_pte_read(page_pa(0), 1), 0);
	return HYP_EXIT_PASS;
}

static unsigned check_zero_and_copy(void)
{
	for (unsigned i = 0; i < PAGE_SIZE; i++)
		pages[1][i] = 0xa5;
	arch_page_zero(page_pa(1));
	for (unsigned i = 0; i < PAGE_SIZE; i++)
		ECHECK_EQ(pages[1][i], 0);

	/* A copy that crosses from page 1 into page 2. */
	uint8_t in[64], out[64];
	for (unsigned i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(i * 7 + 1);
	arch_phys_write(pa_add(page_pa(1), PAGE_SIZE - 32), in, sizeof(in));
	ECHECK_EQ(pages[1][PAGE_SIZE - 32], in[0]);
	ECHECK_EQ(pages[2][31], in[63]);
	arch_phys_read(pa_add(page_pa(1), PAGE_SIZE - 32), out, sizeof(out));
	for (unsigned i = 0; i < sizeof(in); i++)
		ECHECK_EQ(out[i], in[i]);

	/* Cleaning to PoC keeps the data; so does clean-and-invalidate. */
	arch_dc_cvac(pa_add(page_pa(1), PAGE_SIZE - 32));
	arch_dc_civac(pa_add(page_pa(2), 0));
	arch_dsb_ish();
	ECHECK_EQ(pages[1][PAGE_SIZE - 1], in[31]);
	ECHECK_EQ(pages[2][0], in[32]);
	return HYP_EXIT_PASS;
}

static unsigned check_stage2_context(void)
{
	uint64_t root = pa_addr(page_pa(0));

	arch_set_stage2(7, page_pa(0));
	ECHECK_EQ(read_sysreg(vttbr_el2), 7ull << 48 | root);
	/* TLBI by IPA and by VMID borrow VTTBR_EL2 and give it back. */
	arch_tlbi_ipa(3, ipa_init(0x123000));
	ECHECK_EQ(read_sysreg(vttbr_el2), 7ull << 48 | root);
	arch_tlbi_vmid(200);
	ECHECK_EQ(read_sysreg(vttbr_el2), 7ull << 48 | root);
	arch_tlbi_all();
	arch_dsb_ish();
	arch_isb();
	arch_set_stage2(0, page_pa(0));
	ECHECK_EQ(read_sysreg(vttbr_el2), root);
	return HYP_EXIT_PASS;
}

unsigned el2_test_tables(void)
{
	ECHECK_EQ(arch_cpu_id(), 0);
	ERUN(check_descriptors());
	ERUN(check_zero_and_copy());
	ERUN(check_stage2_context());
	return HYP_EXIT_PASS;
}
