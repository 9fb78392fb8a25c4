/* The unmodified-KVM baseline as a hypervisor target of the harness. */
/* hyp-sim builds this directory without hyp/kserv on its include path. */
#include "hyp_target.h"
#include "vanilla.h"

const struct hyp_target target_vanilla = {
	.name = "vanilla",
	.region_pages_needed = vanilla_region_pages_needed,
	.init = vanilla_init,
	.init_cpu = vanilla_init_cpu,
	.host_call = vanilla_host_call,
	.guest_call = vanilla_guest_call,
	.kserv_fault = vanilla_kserv_fault,
	.view_page = vanilla_view_page,
	.view_vm = vanilla_view_vm,
	.view_vm_brief = vanilla_view_vm_brief,
	.view_smmu = vanilla_view_smmu,
	.view_cpu = vanilla_view_cpu,
	.view_region = vanilla_view_region,
	.view_boot = vanilla_view_boot,
};
