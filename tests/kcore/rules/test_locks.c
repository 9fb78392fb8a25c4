/* Lock discipline, read off the event stream: every shared access holds
 * the lock hyp/kcore_locks.h names for it, locks are taken in increasing
 * class order, and every operation, failed or not, releases all it took. */
#include "helpers.h"
#include "hyp/kcore_locks.h"

struct held {
	uint32_t locks[8];
	unsigned n;
};

static bool holds(const struct held *h, uint32_t lock)
{
	for (unsigned i = 0; i < h->n; i++)
		if (h->locks[i] == lock)
			return true;
	return false;
}

/* Replays the recorded events; CHECK-fails on the first breach. */
static void check_lock_discipline(void)
{
	struct held cpus[ARCH_MAX_CPUS] = { 0 };
	size_t accesses = 0;

	for (size_t i = 0; i < kt_events_count(); i++) {
		const struct sim_event *ev = kt_event(i);
		struct held *h = &cpus[ev->cpu];
		uint32_t id = (uint32_t)ev->a;

		switch (ev->kind) {
		case EV_LOCK_ACQUIRE:
			for (unsigned k = 0; k < h->n; k++)
				if (KID_CLASS(h->locks[k]) >= KID_CLASS(id))
					CHECK_FAIL_("event %zu: lock 0x%x taken while holding 0x%x",
						    i, id, h->locks[k]);
			CHECK(h->n < 8);
			h->locks[h->n++] = id;
			break;
		case EV_LOCK_RELEASE: {
			unsigned k = 0;
			while (k < h->n && h->locks[k] != id)
				k++;
			if (k == h->n)
				CHECK_FAIL_("event %zu: lock 0x%x released but not held", i, id);
			h->locks[k] = h->locks[--h->n];
			break;
		}
		case EV_SHARED_ACCESS:
			accesses++;
			if (!holds(h, kobj_lock(id)))
				CHECK_FAIL_("event %zu: object 0x%x accessed without lock 0x%x",
					    i, id, kobj_lock(id));
			break;
		default:
			break;
		}
	}
	for (unsigned c = 0; c < ARCH_MAX_CPUS; c++)
		CHECK_EQ(cpus[c].n, 0);
	CHECK(accesses > 0);
}

/* Every operation on its success path, on several CPUs. */
TEST(locks_every_operation_succeeding)
{
	kt_up();
	kt_events_start();
	unsigned vm = kt_boot_vm(kt_image("small"), KT_IMAGE_GFN, kt_data_pfn(0), 2);
	CHECK_EQ(kt_hvc(HVC_MAP_VM_PAGE, vm, 0x300, kt_data_pfn(10)), 0);
	CHECK_EQ(kt_hvc(HVC_IOREMAP, vm, 0x301ull << PAGE_SHIFT, kt_mmio_pfn() << PAGE_SHIFT), 0);
	CHECK_EQ(kt_hvc(HVC_SMMU_ALLOC, 0, 0, 0), 0);
	CHECK_EQ(kt_hvc(HVC_SMMU_ALLOC, 1, vm, 0), 0);
	CHECK_EQ(kt_hvc(HVC_SMMU_MAP, 0, 0x1000, kt_data_pfn(11)), 0);
	CHECK_EQ(kt_hvc(HVC_SMMU_MAP, 1, 0x1000, kt_data_pfn(10)), 0);
	CHECK(kt_hvc(HVC_SMMU_IOVA_TO_PHYS, 0, 0x1000, 0) > 0);
	CHECK_EQ(kt_hvc(HVC_SMMU_UNMAP, 0, 0x1000, 0), 0);
	CHECK_EQ(kt_hvc(HVC_SMMU_FREE, 0, 0, 0), 0);
	CHECK_EQ(kcore_kserv_fault(kt_data_pfn(12) << PAGE_SHIFT), 0);
	kt_run(2, vm, 1);
	CHECK_EQ(kt_ghvc(GHVC_GRANT, 0x300), 1);
	sim_set_cpu(0);
	CHECK_EQ(kcore_kserv_fault(kt_data_pfn(10) << PAGE_SHIFT), 0);
	sim_set_cpu(2);
	CHECK_EQ(kt_ghvc(GHVC_REVOKE, 0x300), 0);
	CHECK_EQ(kt_ghvc(GHVC_GRANT, 0x300), 1);
	CHECK_EQ(kt_ghvc(GHVC_EXIT, 0), 0);
	kt_run(3, vm, 0);
	CHECK_EQ(kt_ghvc(GHVC_POWER_OFF, 0), 0);
	sim_set_cpu(1);
	CHECK_EQ(kt_hvc(HVC_CLEAR_VM, vm, 0, 0), 0);
	/* A page that is no image: verify fails, clear_vm takes it back. */
	unsigned bad = (unsigned)kt_hvc(HVC_REGISTER_VM, 0, 0, 0);
	CHECK_EQ(kt_hvc(HVC_SET_BOOT_INFO, bad, 0, 1), 0);
	CHECK_EQ(kserv_write64(kt_data_pfn(20) << PAGE_SHIFT, 1), SIM_OK);
	CHECK_EQ(kt_hvc(HVC_REMAP_VM_IMAGE, bad, kt_data_pfn(20), 0), 0);
	CHECK_EQ(kt_hvc(HVC_VERIFY_VM_IMAGE, bad, 0, 0), -KCORE_E_VERIFY);
	CHECK_EQ(kt_hvc(HVC_CLEAR_VM, bad, 0, 0), 0);
	kt_events_stop();
	check_lock_discipline();
}

/* Junk arguments to every operation: whichever check refuses the call (or
 * none does), no lock is left behind. */
TEST(locks_every_rejection)
{
	kt_up();
	unsigned vm = kt_boot_vm(kt_image("tiny"), KT_IMAGE_GFN, kt_data_pfn(0), 1);
	CHECK_EQ(kt_hvc(HVC_SMMU_ALLOC, 0, 0, 0), 0);
	kt_events_start();
	for (uint64_t op = 0; op <= HVC__END; op++) {
		kt_hvc(op, 0, 0, 0);
		kt_hvc(op, vm, KT_IMAGE_GFN, kt_data_pfn(0));
		kt_hvc(op, vm, S2_MAX_GFN + 1, kt_ram_pfn());
		kt_hvc(op, 0, 0x1001, UINT64_MAX);
	}
	CHECK_EQ(kcore_kserv_fault(kt_ram_pfn() << PAGE_SHIFT), -KCORE_E_OWNER);
	CHECK_EQ(kcore_kserv_fault(0), -KCORE_E_PFN);
	kt_run(1, vm, 0);
	CHECK_EQ(kt_ghvc(GHVC_GRANT, 0x999), -KCORE_E_UNMAPPED);
	CHECK_EQ(kt_ghvc(GHVC_REVOKE, KT_IMAGE_GFN), -KCORE_E_NOT_SHARED);
	CHECK_EQ(kcore_kserv_fault(kt_data_pfn(3) << PAGE_SHIFT), -KCORE_E_CPU_STATE);
	kt_events_stop();
	check_lock_discipline();
}

static const struct test_case cases[] = {
	CASE(locks_every_operation_succeeding),
	CASE(locks_every_rejection),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
