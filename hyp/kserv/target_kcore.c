/* KCore as a hypervisor target of the harness. */
#include "hyp_target.h"

const struct hyp_target target_kcore = {
	.name = "kcore",
	.region_pages_needed = kcore_region_pages_needed,
	.init = kcore_init,
	.init_cpu = kcore_init_cpu,
	.host_call = kcore_host_call,
	.guest_call = kcore_guest_call,
	.kserv_fault = kcore_kserv_fault,
	.view_page = kcore_view_page,
	.view_vm = kcore_view_vm,
	.view_vm_brief = kcore_view_vm_brief,
	.view_smmu = kcore_view_smmu,
	.view_cpu = kcore_view_cpu,
	.view_region = kcore_view_region,
	.view_boot = kcore_view_boot,
};
