/* kserv-read-vm-page-faults: once a page is the VM's, the host's reads and
 * writes of it take a stage-2 fault KCore refuses, which comes back to the
 * host as a data abort.  So do reads of KCore's own memory and of RAM
 * that does not exist; the host's own pages stay readable. */
#include "host.h"
#include "host_tests.h"
#include "vm_setup.h"

#define GPA 0x100000ull
#define GFN_DATA 0x200ull

void test_kserv_read_vm_page_faults(void)
{
	struct loaded_vm v;
	const struct host_bootargs *a = host_args();
	uint64_t got;

	HCHECK(vm_load_verified(&v, "tiny", GPA));

	uint64_t page = host_alloc_page();
	page_fill(page, 1);
	HCHECK_EQ(host_probe_read64(page + 8, &got), 0);
	HCHECK_EQ(got, 1 * 0x9e3779b97f4a7c15ull + 2);

	HCHECK_EQ(kcore_call(HVC_MAP_VM_PAGE, (uint64_t)v.vm, GFN_DATA, page >> 12), 0);
	uint64_t esr = host_probe_read64(page + 8, &got);
	HCHECK_EQ(esr_class(esr), ESR_CLASS_DABT_CUR);
	/* A synchronous external abort, not a stage-1 fault of the host's. */
	HCHECK_EQ(esr & 0x3f, 0x10);
	HCHECK(host_read_faults(page));
	HCHECK(host_write_faults(page));
	/* The page is gone from KServ for good: a second owner is refused. */
	HCHECK_EQ(kcore_call(HVC_MAP_VM_PAGE, (uint64_t)v.vm, GFN_DATA + 1, page >> 12), -KCORE_E_OWNER);

	/* KCore's region, the hypervisor image and RAM past the end. */
	HCHECK(host_read_faults(a->kcore_base));
	HCHECK(host_read_faults(a->hyp_base));
	HCHECK(host_write_faults(a->hyp_base));
	HCHECK(host_read_faults(a->ram_base + a->ram_size));

	uint64_t mine = host_alloc_page();
	page_fill(mine, 2);
	HCHECK_EQ(host_probe_read64(HOST_NC_ALIAS + mine, &got), 0);
	HCHECK_EQ(got, 2 * 0x9e3779b97f4a7c15ull + 1);
}
