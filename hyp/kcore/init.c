/* Setting KCore up, from scratch and between fuzz inputs alike. */
#include "init.h"

#include "hyp/arch.h"
#include "hyp/kcore.h"
#include "layout.h"
#include "locks.h"
#include "npt.h"
#include "percpu.h"
#include "s2page.h"
#include "smmu.h"
#include "vm.h"

static bool initialised;

void kcore_assert_initialised(void)
{
	if (!initialised)
		arch_panic("init: KCore entered before kcore_init");
}

/* A rejected layout leaves KCore as it was.  The reset costs one entry per
 * RAM page of the new layout, plus a fixed amount. */
int64_t kcore_init(const struct kcore_boot *boot)
{
	if (!kcore_layout_fits(boot))
		return -KCORE_E_PFN;

	kcore_layout_set(boot);
	kcore_locks_reset();
	kcore_s2page_reset();
	kcore_vm_reset();
	kcore_vmid_reset();
	kcore_vm_npt_reset();
	kcore_kserv_npt_reset();
	kcore_smmu_reset();
	kcore_percpu_reset();
	/* Nothing any TLB holds from before may survive: VMIDs start over. */
	arch_tlbi_all();
	arch_dsb_ish();
	initialised = true;
	return KCORE_OK;
}

void kcore_init_cpu(void)
{
	kcore_assert_initialised();
	kcore_cpu_enter_host(kcore_this_cpu());
}
