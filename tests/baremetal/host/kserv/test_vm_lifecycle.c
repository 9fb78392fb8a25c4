/* vm-lifecycle: a VM goes READY -> VERIFIED the way KServ boots one, each
 * step refusing what its state forbids, and the image pages leave the
 * host on the way. */
#include "host.h"
#include "host_tests.h"
#include "vm_setup.h"

#define GPA 0x80000ull

void test_vm_lifecycle(void)
{
	struct loaded_vm v;

	/* Nothing can be verified before an image is declared and loaded. */
	int64_t first = kcore_call(HVC_REGISTER_VM, 0, 0, 0);
	HCHECK_EQ(first, 1);
	HCHECK_EQ(kcore_call(HVC_VERIFY_VM_IMAGE, 1, 0, 0), -KCORE_E_BOOT_INFO);
	HCHECK_EQ(kcore_call(HVC_REGISTER_VCPU, 1, KCORE_MAX_VCPUS, 0), -KCORE_E_VCPU);
	HCHECK_EQ(kcore_call(HVC_REGISTER_VCPU, 1, 0, 0), 0);
	HCHECK_EQ(kcore_call(HVC_REGISTER_VCPU, 1, 0, 0), -KCORE_E_VCPU_STATE);
	HCHECK_EQ(kcore_call(HVC_SET_BOOT_INFO, 1, GPA + 1, 1), -KCORE_E_BOOT_INFO);
	HCHECK_EQ(kcore_call(HVC_SET_BOOT_INFO, 1, GPA, 0), -KCORE_E_BOOT_INFO);

	HCHECK(vm_load(&v, "boot4", GPA, false));
	HCHECK_EQ(v.vm, 2);
	HCHECK_EQ(kcore_call(HVC_SET_BOOT_INFO, (uint64_t)v.vm, GPA, 4), -KCORE_E_BOOT_INFO);
	/* KCore holds the image now: the host's own writes are cut off. */
	for (unsigned i = 0; i < v.npages; i++) {
		HCHECK(host_read_faults(v.page[i]));
		HCHECK(host_write_faults(v.page[i]));
	}
	HCHECK_EQ(kcore_call(HVC_REMAP_VM_IMAGE, (uint64_t)v.vm, v.page[0] >> 12, 0),
		  -KCORE_E_BOOT_INFO);

	HCHECK_EQ(kcore_call(HVC_VERIFY_VM_IMAGE, (uint64_t)v.vm, 0, 0), 0);
	HCHECK_EQ(kcore_call(HVC_VERIFY_VM_IMAGE, (uint64_t)v.vm, 0, 0), -KCORE_E_VM_STATE);
	HCHECK_EQ(kcore_call(HVC_REGISTER_VCPU, (uint64_t)v.vm, 1, 0), -KCORE_E_VM_STATE);
	for (unsigned i = 0; i < v.npages; i++)
		HCHECK(host_read_faults(v.page[i]));

	/* The image is mapped at its gfns: no other page may go there. */
	uint64_t spare = host_alloc_page();
	HCHECK_EQ(kcore_call(HVC_MAP_VM_PAGE, (uint64_t)v.vm, GPA >> 12, spare >> 12), -KCORE_E_MAPPED);
	HCHECK_EQ(kcore_call(HVC_MAP_VM_PAGE, (uint64_t)v.vm, (GPA >> 12) + v.npages, spare >> 12), 0);
	/* A VERIFIED VM is not reclaimed while it runs on. */
	HCHECK_EQ(kcore_call(HVC_CLEAR_VM, (uint64_t)v.vm, 0, 0), -KCORE_E_VM_STATE);
	kprintf("isofuzz-host: vm %ld verified with %u image pages\n", v.vm, v.npages);
}
