/* The guest's pages seen from both sides.
 *
 * guest-write-kserv-faults: a page KServ gives with map_vm_page keeps its
 * content for the guest, the guest's writes (cached and not) are its own,
 * and KServ's reads and writes of it fault.
 * guest-reclaim-zeros: after the guest wrote its pages and powered off,
 * clear_vm hands them back scrubbed, through the cache and around it.
 * guest-grant-revoke: a granted page is shared both ways until the last
 * revoke takes it back from KServ. */
#include "host.h"
#include "hyp/addr.h"
#include "host_tests.h"
#include "vm_setup.h"

#define GPA 0x80000000ull
#define GFN_DATA 0x80010ull
#define IPA_DATA (GFN_DATA << 12)
#define CPU 1

static bool start_guest(struct loaded_vm *v)
{
	HCHECK_RET(host_args()->ncpus >= 2, false);
	while (host_secondaries_up() != host_args()->ncpus - 1)
		__asm__ volatile("wfe");
	HCHECK_RET(vm_load_guest_verified(v, GPA), false);
	return true;
}

static void expect_read(uint64_t ipa, bool nc, uint64_t want)
{
	struct guest_seen seen;

	HCHECK_EQ(host_guest_read(CPU, ipa, nc, &seen), 0);
	HCHECK_EQ(seen.esr, 0);
	HCHECK_EQ(seen.value, want);
}

static void expect_write(uint64_t ipa, bool nc, uint64_t val)
{
	struct guest_seen seen;

	HCHECK_EQ(host_guest_write(CPU, ipa, val, nc, &seen), 0);
	HCHECK_EQ(seen.esr, 0);
}

static void guest_exits(void)
{
	HCHECK_EQ(host_guest_call(CPU, GHVC_EXIT, 0), 0);
	HCHECK_EQ(host_vcpu_wait_exit(CPU).why, GUEST_EXIT_CALL);
}

void test_guest_write_kserv_faults(void)
{
	struct loaded_vm v;

	HCHECK(start_guest(&v));
	uint64_t page = host_alloc_page();
	page_fill(page, 9);
	HCHECK_EQ(kcore_call(HVC_MAP_VM_PAGE, (uint64_t)v.vm, GFN_DATA, page >> 12), 0);
	HCHECK(host_read_faults(page));
	HCHECK_EQ(host_vcpu_start(CPU, (uint64_t)v.vm, 0), 0);

	/* What KServ left there was cleaned to memory: the guest sees it
	 * either way. */
	expect_read(IPA_DATA, false, page_pattern(9, 0));
	expect_read(IPA_DATA + 0x20, true, page_pattern(9, 4));
	expect_write(IPA_DATA + 8, false, 0x600dcafe00000001ull);
	expect_write(IPA_DATA + 16, true, 0x600dcafe00000002ull);
	HCHECK(host_read_faults(page));
	HCHECK(host_read_faults(page + 8));
	HCHECK(host_write_faults(page + 16));
	expect_read(IPA_DATA + 8, true, 0x600dcafe00000001ull);
	expect_read(IPA_DATA + 16, false, 0x600dcafe00000002ull);
	guest_exits();
	/* Out of the guest, still the VM's. */
	HCHECK(host_read_faults(page + 8));
}

void test_guest_reclaim_zeros(void)
{
	struct loaded_vm v;
	uint64_t page[3];

	HCHECK(start_guest(&v));
	for (unsigned i = 0; i < 3; i++) {
		page[i] = host_alloc_page();
		page_fill(page[i], 20 + i);
		HCHECK_EQ(kcore_call(HVC_MAP_VM_PAGE, (uint64_t)v.vm, GFN_DATA + i, page[i] >> 12), 0);
	}
	HCHECK_EQ(host_vcpu_start(CPU, (uint64_t)v.vm, 0), 0);
	for (unsigned i = 0; i < 3; i++)
		for (unsigned w = 0; w < 512; w += 37)
			expect_write(IPA_DATA + (uint64_t)i * PAGE_SIZE + 8 * w, w % 2, 0xabcdef0000000000ull | w);
	HCHECK_EQ(host_guest_power_off(CPU), 0);
	HCHECK_EQ(host_vcpu_wait_exit(CPU).why, GUEST_EXIT_POWER_OFF);
	HCHECK_EQ(kcore_call(HVC_VCPU_RUN, (uint64_t)v.vm, 0, 0), -KCORE_E_VM_STATE);

	HCHECK_EQ(kcore_call(HVC_CLEAR_VM, (uint64_t)v.vm, 0, 0), 0);
	for (unsigned i = 0; i < 3; i++) {
		HCHECK_EQ(page_nonzero_words(page[i], 0), 0);
		HCHECK_EQ(page_nonzero_words(page[i], HOST_NC_ALIAS), 0);
	}
	HCHECK_EQ(page_nonzero_words(v.page[0], 0), 0);
	HCHECK_EQ(page_nonzero_words(v.page[0], HOST_NC_ALIAS), 0);
}

void test_guest_grant_revoke(void)
{
	struct loaded_vm v;
	uint64_t got;

	HCHECK(start_guest(&v));
	uint64_t page = host_alloc_page();
	HCHECK_EQ(kcore_call(HVC_MAP_VM_PAGE, (uint64_t)v.vm, GFN_DATA, page >> 12), 0);
	HCHECK_EQ(host_vcpu_start(CPU, (uint64_t)v.vm, 0), 0);
	expect_write(IPA_DATA, false, 0x5ea1ed0000000001ull);
	HCHECK(host_read_faults(page));

	HCHECK_EQ(host_guest_call(CPU, GHVC_GRANT, GFN_DATA), 1);
	/* KServ sees the guest's write and the guest sees KServ's. */
	HCHECK_EQ(host_probe_read64(page, &got), 0);
	HCHECK_EQ(got, 0x5ea1ed0000000001ull);
	HCHECK_EQ(host_probe_read64(HOST_NC_ALIAS + page, &got), 0);
	HCHECK_EQ(got, 0x5ea1ed0000000001ull);
	HCHECK_EQ(host_probe_write64(page + 8, 0x4b5e4f0000000002ull), 0);
	expect_read(IPA_DATA + 8, false, 0x4b5e4f0000000002ull);
	expect_read(IPA_DATA + 8, true, 0x4b5e4f0000000002ull);

	/* Counted: one revoke of two grants keeps it shared. */
	HCHECK_EQ(host_guest_call(CPU, GHVC_GRANT, GFN_DATA), 2);
	HCHECK_EQ(host_guest_call(CPU, GHVC_REVOKE, GFN_DATA), 1);
	HCHECK_EQ(host_probe_read64(page + 8, &got), 0);
	HCHECK_EQ(host_guest_call(CPU, GHVC_REVOKE, GFN_DATA), 0);
	HCHECK(host_read_faults(page));
	HCHECK(host_write_faults(page + 8));
	HCHECK_EQ(host_guest_call(CPU, GHVC_REVOKE, GFN_DATA), -KCORE_E_NOT_SHARED);
	expect_read(IPA_DATA + 8, false, 0x4b5e4f0000000002ull);
	/* Not in a guest: the host cannot grant for one. */
	HCHECK_EQ(host_hvc(PLAT_GUEST_CMD, 0 | (uint64_t)GUEST_CMD_CALL << 8, GHVC_GRANT, GFN_DATA).x0,
		  PLAT_E_NO_GUEST);
	guest_exits();
}
