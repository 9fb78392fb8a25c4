/* The baseline's CPUs (struct hyp_percpu of hyp/common/hyp_guest.h): which
 * vCPU, if any, each runs.  Each CPU touches only its own entry. */
#include "vanilla_state.h"

struct hyp_percpu vanilla_percpu = {
	.layout = vanilla_layout,
	.host_vmid = VANILLA_KSERV_VMID,
	.host_root = vanilla_kserv_npt_root,
	.not_booted = "vanilla cpu: call from a CPU the baseline was not booted on",
};
