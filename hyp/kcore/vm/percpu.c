#include "vm/percpu.h"

#include "base/layout.h"
#include "mm/npt.h"

struct hyp_percpu kcore_percpu = {
	.layout = kcore_layout,
	.host_vmid = KSERV_VMID,
	.host_root = kcore_kserv_npt_root,
	.not_booted = "percpu: call from a CPU KCore was not booted on",
};
