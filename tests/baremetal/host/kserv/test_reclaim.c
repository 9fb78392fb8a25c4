/* reclaim-zeros: a VM whose image fails verification is powered off with
 * its image pages still KCore's; clear_vm hands them back to the host
 * scrubbed, and the host finds zeros whether it reads through the cache
 * or around it. */
#include "host.h"
#include "host_tests.h"
#include "vm_setup.h"

#define GPA 0x40000ull

void test_reclaim_zeros(void)
{
	struct loaded_vm v;

	HCHECK(vm_load(&v, "full", GPA, true));
	HCHECK_EQ(kcore_call(HVC_VERIFY_VM_IMAGE, (uint64_t)v.vm, 0, 0), -KCORE_E_VERIFY);
	HCHECK_EQ(kcore_call(HVC_VERIFY_VM_IMAGE, (uint64_t)v.vm, 0, 0), -KCORE_E_VM_STATE);
	for (unsigned i = 0; i < v.npages; i++)
		HCHECK(host_read_faults(v.page[i]));

	HCHECK_EQ(kcore_call(HVC_CLEAR_VM, (uint64_t)v.vm, 0, 0), 0);
	HCHECK_EQ(kcore_call(HVC_CLEAR_VM, (uint64_t)v.vm, 0, 0), -KCORE_E_VM);
	for (unsigned i = 0; i < v.npages; i++) {
		HCHECK_EQ(page_nonzero_words(v.page[i], 0), 0);
		HCHECK_EQ(page_nonzero_words(v.page[i], HOST_NC_ALIAS), 0);
	}
	/* The slot is free again. */
	HCHECK_EQ(kcore_call(HVC_REGISTER_VM, 0, 0, 0), v.vm);
	kprintf("isofuzz-host: %u image pages came back zeroed\n", v.npages);
}
