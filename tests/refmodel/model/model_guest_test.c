/* The reference model alone: guest hypercalls, KServ faults, what each
 * principal may reach, and the model's containers. */
#include "check.h"
#include "model/ref/ref_pool.h"
#include "model/state/ref_reach.h"
#include "model_fixture.h"

TEST(grant_counts_up_to_limit)
{
	struct ref_model *m = fx_model();
	unsigned vm = fx_running_vm(m, 1, FX_KSERV_PFN(0), 2);

	for (int64_t n = 1; n <= KCORE_MAX_SHARE; n++)
		CHECK_EQ(fx_ghvc(m, 2, GHVC_GRANT, FX_IMAGE_GFN), n);
	CHECK_EQ(fx_page(m, FX_KSERV_PFN(0))->share, KCORE_MAX_SHARE);
	CHECK_EQ(fx_ghvc(m, 2, GHVC_GRANT, FX_IMAGE_GFN), ERR(KCORE_E_SHARE_LIMIT));
	CHECK_EQ(fx_page(m, FX_KSERV_PFN(0))->share, KCORE_MAX_SHARE);
	CHECK_EQ(fx_page(m, FX_KSERV_PFN(0))->owner, vm);
}

TEST(grant_checks_in_order)
{
	struct ref_model *m = fx_model();
	unsigned vm = fx_running_vm(m, 1, FX_KSERV_PFN(0), 2);

	CHECK_EQ(fx_ghvc(m, 1, GHVC_GRANT, FX_IMAGE_GFN), ERR(KCORE_E_CPU_STATE)); /* CPU 1 in the host */
	CHECK_EQ(fx_ghvc(m, 2, GHVC_GRANT, S2_MAX_GFN + 1), ERR(KCORE_E_GFN));
	CHECK_EQ(fx_ghvc(m, 2, GHVC_GRANT, FX_IMAGE_GFN + 1), ERR(KCORE_E_UNMAPPED));
	CHECK_EQ(fx_hvc(m, HVC_IOREMAP, vm, 0x4000, FX_MMIO_PA(3)), KCORE_OK);
	CHECK_EQ(fx_ghvc(m, 2, GHVC_GRANT, 4), ERR(KCORE_E_UNMAPPED)); /* MMIO is not a RAM page */
}

TEST(grant_uses_the_running_vm)
{
	struct ref_model *m = fx_model();
	unsigned a = fx_running_vm(m, 1, FX_KSERV_PFN(0), 0);
	unsigned b = fx_verified_vm(m, 1, FX_KSERV_PFN(1));

	CHECK_EQ(fx_hvc(m, HVC_MAP_VM_PAGE, b, 0x55, FX_KSERV_PFN(2)), KCORE_OK);
	/* VM a has nothing at gfn 0x55: granting B's page from A fails. */
	CHECK_EQ(fx_ghvc(m, 0, GHVC_GRANT, 0x55), ERR(KCORE_E_UNMAPPED));
	CHECK_EQ(ref_host_call(m, 1, HVC_VCPU_RUN, b, 1, 0), KCORE_OK);
	CHECK_EQ(fx_ghvc(m, 1, GHVC_GRANT, 0x55), 1);
	CHECK_EQ(fx_page(m, FX_KSERV_PFN(2))->owner, b);
	CHECK(a != b);
}

TEST(revoke_counts_down)
{
	struct ref_model *m = fx_model();

	fx_running_vm(m, 1, FX_KSERV_PFN(0), 3);
	CHECK_EQ(fx_ghvc(m, 0, GHVC_REVOKE, FX_IMAGE_GFN), ERR(KCORE_E_CPU_STATE));
	CHECK_EQ(fx_ghvc(m, 3, GHVC_REVOKE, ~0ull), ERR(KCORE_E_GFN));
	CHECK_EQ(fx_ghvc(m, 3, GHVC_REVOKE, 0), ERR(KCORE_E_UNMAPPED));
	CHECK_EQ(fx_ghvc(m, 3, GHVC_REVOKE, FX_IMAGE_GFN), ERR(KCORE_E_NOT_SHARED));
	CHECK_EQ(fx_ghvc(m, 3, GHVC_GRANT, FX_IMAGE_GFN), 1);
	CHECK_EQ(fx_ghvc(m, 3, GHVC_GRANT, FX_IMAGE_GFN), 2);
	CHECK_EQ(fx_ghvc(m, 3, GHVC_REVOKE, FX_IMAGE_GFN), 1);
	CHECK_EQ(fx_ghvc(m, 3, GHVC_REVOKE, FX_IMAGE_GFN), 0);
	CHECK_EQ(fx_page(m, FX_KSERV_PFN(0))->share, 0);
	CHECK_EQ(fx_ghvc(m, 3, GHVC_REVOKE, FX_IMAGE_GFN), ERR(KCORE_E_NOT_SHARED));
}

TEST(power_off_and_exit)
{
	struct ref_model *m = fx_model();
	unsigned vm = fx_running_vm(m, 1, FX_KSERV_PFN(0), 0);

	CHECK_EQ(ref_host_call(m, 1, HVC_VCPU_RUN, vm, 1, 0), KCORE_OK);
	CHECK_EQ(fx_ghvc(m, 2, GHVC_POWER_OFF, 0), ERR(KCORE_E_CPU_STATE));
	CHECK_EQ(fx_ghvc(m, 2, GHVC_EXIT, 0), ERR(KCORE_E_CPU_STATE));
	CHECK_EQ(fx_ghvc(m, 0, GHVC_EXIT, 0), KCORE_OK);
	CHECK_EQ(fx_vm(m, vm)->vcpu[0], VCPU_READY);
	CHECK_EQ(fx_vm(m, vm)->vcpu_cpu[0], -1);
	CHECK_EQ(ref_state_of(m)->cpu[0].vm, 0);
	CHECK_EQ(fx_vm(m, vm)->state, VM_VERIFIED);
	CHECK_EQ(fx_ghvc(m, 1, GHVC_POWER_OFF, 0), KCORE_OK);
	CHECK_EQ(fx_vm(m, vm)->state, VM_POWERED_OFF);
	CHECK_EQ(fx_vm(m, vm)->vcpu[1], VCPU_READY);
	CHECK_EQ(ref_state_of(m)->cpu[1].vm, 0);
	/* A powered-off VM runs no more. */
	CHECK_EQ(ref_host_call(m, 1, HVC_VCPU_RUN, vm, 1, 0), ERR(KCORE_E_VM_STATE));
}

TEST(kserv_fault_accounts_tables)
{
	struct ref_model *m = fx_model();
	const struct ref_state *s = ref_state_of(m);
	uint64_t pfn = FX_KSERV_PFN(0);

	CHECK_EQ(ref_kserv_fault(m, 0, pfn << 12), KCORE_OK);
	CHECK_EQ(s->kserv_pool_used, 3);
	CHECK_EQ(ref_kserv_fault(m, 1, (pfn << 12) + 0x123), KCORE_OK); /* mapped already */
	CHECK_EQ(ref_kserv_fault(m, 0, (pfn + 1) << 12), KCORE_OK);      /* same level-3 table */
	CHECK_EQ(s->kserv_pool_used, 3);
	CHECK_EQ(ref_kserv_fault(m, 0, (pfn + 512) << 12), KCORE_OK);    /* new level-3 table */
	CHECK_EQ(s->kserv_pool_used, 4);
	CHECK_EQ(ref_kserv_fault(m, 0, FX_MMIO_PA(0)), KCORE_OK);        /* MMIO: new level 2 and 3 */
	CHECK_EQ(s->kserv_pool_used, 6);
}

TEST(kserv_fault_checks_in_order)
{
	struct ref_model *m = fx_model();
	unsigned vm = fx_running_vm(m, 1, FX_KSERV_PFN(0), 1);

	CHECK_EQ(ref_kserv_fault(m, 1, 1ull << 40), ERR(KCORE_E_CPU_STATE));
	CHECK_EQ(ref_kserv_fault(m, 0, 1ull << 40), ERR(KCORE_E_PFN));
	CHECK_EQ(ref_kserv_fault(m, 0, FX_MMIO_PA(FX_MMIO_PAGES)), ERR(KCORE_E_PFN));
	CHECK_EQ(ref_kserv_fault(m, 0, FX_RAM_BASE_PFN << 12), ERR(KCORE_E_OWNER));      /* KCore's region */
	CHECK_EQ(fx_page(m, FX_KSERV_PFN(0))->owner, vm);
	CHECK_EQ(ref_kserv_fault(m, 0, FX_KSERV_PFN(0) << 12), ERR(KCORE_E_OWNER));      /* the VM's, not granted */
	CHECK_EQ(fx_ghvc(m, 1, GHVC_GRANT, FX_IMAGE_GFN), 1);
	CHECK_EQ(ref_kserv_fault(m, 0, FX_KSERV_PFN(0) << 12), KCORE_OK);                /* granted */
	CHECK_EQ(fx_ghvc(m, 1, GHVC_REVOKE, FX_IMAGE_GFN), 0);
	CHECK_EQ(ref_kserv_fault(m, 0, FX_KSERV_PFN(0) << 12), ERR(KCORE_E_OWNER));
}

TEST(kserv_fault_pool_exhaustion)
{
	struct ref_model *m = fx_model();
	uint64_t base = FX_KSERV_PFN(0) & ~511ull;
	struct kcore_boot b;

	/* The default 64 MiB cannot fill KServ's pool: use 256 MiB. */
	fx_boot(&b);
	b.ram_pages = 1u << 16;
	CHECK_EQ(ref_init(m, &b), KCORE_OK);
	/* The root, RAM's level-2 table and 62 level-3 tables fill 64 pages. */
	for (uint64_t i = 0; i < KCORE_KSERV_POOL_PAGES - 2; i++)
		CHECK_EQ(ref_kserv_fault(m, 0, (base + i * 512 + 512) << 12), KCORE_OK);
	CHECK_EQ(ref_state_of(m)->kserv_pool_used, KCORE_KSERV_POOL_PAGES);
	CHECK_EQ(ref_kserv_fault(m, 0, FX_MMIO_PA(0)), ERR(KCORE_E_NOMEM));
	CHECK_EQ(ref_kserv_fault(m, 0, (base + 513) << 12), KCORE_OK);
}

TEST(reach_follows_ownership)
{
	struct ref_model *m = fx_model();
	const struct ref_state *s = ref_state_of(m);
	unsigned vm = fx_running_vm(m, 1, FX_KSERV_PFN(0), 1);
	uint64_t page = FX_KSERV_PFN(0), free = FX_KSERV_PFN(1), image = FX_KSERV_PFN(2);

	CHECK_EQ(fx_hvc(m, HVC_REGISTER_VM, 0, 0, 0), 2);
	CHECK_EQ(fx_hvc(m, HVC_SET_BOOT_INFO, 2, 0, 1), KCORE_OK);
	CHECK_EQ(fx_hvc(m, HVC_REMAP_VM_IMAGE, 2, image, 0), KCORE_OK);
	CHECK_EQ(fx_hvc(m, HVC_IOREMAP, vm, 0x9000, FX_MMIO_PA(5)), KCORE_OK);
	CHECK_EQ(fx_hvc(m, HVC_SMMU_ALLOC, 0, vm, 0), KCORE_OK);
	CHECK_EQ(fx_hvc(m, HVC_SMMU_MAP, 0, 0x7000, page), KCORE_OK);

	CHECK_EQ(ref_kserv_may(s, free), REF_PERM_RW | REF_PERM_X); /* KServ runs from its own RAM */
	CHECK_EQ(ref_kserv_may(s, page), 0);
	CHECK_EQ(ref_kserv_may(s, image), 0);
	CHECK_EQ(ref_kserv_may(s, FX_RAM_BASE_PFN), 0);
	CHECK_EQ(ref_kserv_may(s, FX_MMIO_BASE_PFN + 5), REF_PERM_RW);
	CHECK_EQ(ref_kserv_may(s, 1ull << 30), 0);
	CHECK_EQ(fx_ghvc(m, 1, GHVC_GRANT, FX_IMAGE_GFN), 1);
	CHECK_EQ(ref_kserv_may(s, page), REF_PERM_RW); /* granted: never executed by KServ */

	CHECK_EQ(ref_vm_may(s, vm, FX_IMAGE_GFN, page), REF_PERM_RW | REF_PERM_X);
	CHECK_EQ(ref_vm_may(s, vm, FX_IMAGE_GFN + 1, page), REF_PERM_RW | REF_PERM_X); /* reach is by page */
	CHECK_EQ(ref_vm_may(s, vm, FX_IMAGE_GFN, free), 0);
	CHECK_EQ(ref_vm_may(s, vm, 9, FX_MMIO_BASE_PFN + 5), REF_PERM_RW);
	CHECK_EQ(ref_vm_may(s, vm, 10, FX_MMIO_BASE_PFN + 5), REF_PERM_RW);
	CHECK_EQ(ref_vm_may(s, vm, 9, FX_MMIO_BASE_PFN + 6), 0);       /* not ioremapped */
	CHECK_EQ(ref_vm_may(s, 2, 0, image), 0);
	CHECK_EQ(ref_vm_may(s, 3, FX_IMAGE_GFN, page), 0);

	CHECK_EQ(ref_smmu_may(s, 0, 7, page), REF_PERM_RW);
	CHECK_EQ(ref_smmu_may(s, 0, 8, page), REF_PERM_RW);
	CHECK_EQ(ref_smmu_may(s, 0, 7, free), 0);                     /* KServ's, unit is the VM's */
	CHECK_EQ(ref_smmu_may(s, 0, 7, FX_MMIO_BASE_PFN + 5), 0);
	CHECK_EQ(ref_smmu_may(s, 1, 7, page), 0);                     /* not allocated */
	CHECK_EQ(ref_smmu_may(s, KCORE_SMMU_UNITS, 7, page), 0);

	CHECK(ref_kcore_private(s, FX_RAM_BASE_PFN));
	CHECK(ref_kcore_private(s, image));
	CHECK(!ref_kcore_private(s, page));
	CHECK(!ref_kcore_private(s, free));
}

TEST(sorted_map_insert_find_remove)
{
	struct ref_map_entry e[4];
	unsigned n = 0;
	const uint64_t keys[] = { 30, 10, 20, 40 };

	for (unsigned i = 0; i < 4; i++)
		CHECK(ref_map_insert(e, &n, 4, (struct ref_map_entry){ .key = keys[i], .pa = keys[i] << 12 }));
	CHECK(!ref_map_insert(e, &n, 4, (struct ref_map_entry){ .key = 50 }));  /* full */
	CHECK_EQ(n, 4);
	for (unsigned i = 0; i < 4; i++)
		CHECK_EQ(e[i].key, 10 * (i + 1));
	CHECK(!ref_map_remove(e, &n, 25));
	CHECK(ref_map_remove(e, &n, 20));
	CHECK(ref_map_find(e, n, 20) == NULL);
	CHECK(!ref_map_insert(e, &n, 4, (struct ref_map_entry){ .key = 30 }));  /* present */
	CHECK_EQ(ref_map_find(e, n, 40)->pa, 40 << 12);
	CHECK(ref_map_insert(e, &n, 4, (struct ref_map_entry){ .key = 5 }));
	CHECK_EQ(e[0].key, 5);
	CHECK_EQ(n, 4);
}

TEST(sorted_map_covering_blocks)
{
	struct ref_map_entry e[3];
	unsigned n = 0;

	CHECK(ref_map_insert(e, &n, 3, (struct ref_map_entry){ .key = 512, .pages = 512 }));
	CHECK(ref_map_insert(e, &n, 3, (struct ref_map_entry){ .key = 2000, .pages = 1 }));
	CHECK(ref_map_covering(e, n, 511) == NULL);
	CHECK(ref_map_covering(e, n, 512) == &e[0]);
	CHECK(ref_map_covering(e, n, 1023) == &e[0]);
	CHECK(ref_map_covering(e, n, 1024) == NULL);
	CHECK(ref_map_covering(e, n, 2000) == &e[1]);
	CHECK(ref_map_covering(e, n, 2001) == NULL);
	CHECK(ref_map_covering(e, 0, 512) == NULL);
}

TEST(pool_rule)
{
	struct ref_pool p;

	ref_pool_create(&p, 4);
	CHECK_EQ(ref_pool_used(&p), 1);
	CHECK(!ref_pool_full_for(&p, 0));
	ref_pool_add(&p, 0);
	CHECK_EQ(ref_pool_used(&p), 3);
	CHECK(!ref_pool_full_for(&p, 511));
	CHECK(!ref_pool_full_for(&p, 512));
	CHECK(ref_pool_full_for(&p, 1ull << 18));  /* needs two */
	ref_pool_add(&p, 1ull << 18);              /* refused: would overrun */
	CHECK_EQ(ref_pool_used(&p), 3);
	ref_pool_add(&p, 512);
	CHECK_EQ(ref_pool_used(&p), 4);
	CHECK(ref_pool_full_for(&p, 1024));
	ref_pool_release(&p);
	CHECK_EQ(ref_pool_used(&p), 0);
}

/* A copy answers every later call as the original would. */
TEST(copy_is_independent_and_equal)
{
	struct ref_model *m = fx_model();
	struct ref_model *c = ref_new();
	unsigned vm = fx_running_vm(m, 2, FX_KSERV_PFN(0), 1);

	CHECK(c != NULL);
	CHECK_EQ(fx_hvc(m, HVC_MAP_VM_PAGE, vm, 0x33, FX_KSERV_PFN(5)), KCORE_OK);
	CHECK_EQ(fx_hvc(m, HVC_SMMU_ALLOC, 1, vm, 0), KCORE_OK);
	CHECK_EQ(fx_hvc(m, HVC_SMMU_MAP, 1, 0x9000, FX_KSERV_PFN(5)), KCORE_OK);
	CHECK_EQ(ref_kserv_fault(m, 0, FX_KSERV_PFN(100) << 12), KCORE_OK);
	CHECK(ref_copy(c, m));
	CHECK_EQ(fx_vm(c, vm)->map.n, 3);
	CHECK_EQ(fx_page(c, FX_KSERV_PFN(5))->dma, 1);
	CHECK_EQ(ref_state_of(c)->kserv_pool_used, ref_state_of(m)->kserv_pool_used);
	/* The same calls give the same answers on both ... */
	CHECK_EQ(fx_ghvc(c, 1, GHVC_GRANT, 0x33), fx_ghvc(m, 1, GHVC_GRANT, 0x33));
	CHECK_EQ(fx_hvc(c, HVC_SMMU_IOVA_TO_PHYS, 1, 0x9010, 0), fx_hvc(m, HVC_SMMU_IOVA_TO_PHYS, 1, 0x9010, 0));
	CHECK_EQ(fx_ghvc(c, 1, GHVC_POWER_OFF, 0), fx_ghvc(m, 1, GHVC_POWER_OFF, 0));
	/* ... and changing the copy leaves the original alone. */
	CHECK_EQ(fx_hvc(c, HVC_CLEAR_VM, vm, 0, 0), KCORE_OK);
	CHECK_EQ(fx_vm(c, vm)->state, VM_UNUSED);
	CHECK_EQ(fx_vm(m, vm)->state, VM_POWERED_OFF);
	CHECK_EQ(fx_page(m, FX_KSERV_PFN(5))->owner, vm);
	CHECK_EQ(fx_page(m, FX_KSERV_PFN(5))->share, 1);
	ref_delete(c);
}

static const struct test_case cases[] = {
	CASE(grant_counts_up_to_limit),
	CASE(grant_checks_in_order),
	CASE(grant_uses_the_running_vm),
	CASE(revoke_counts_down),
	CASE(power_off_and_exit),
	CASE(kserv_fault_accounts_tables),
	CASE(kserv_fault_checks_in_order),
	CASE(kserv_fault_pool_exhaustion),
	CASE(reach_follows_ownership),
	CASE(sorted_map_insert_find_remove),
	CASE(sorted_map_covering_blocks),
	CASE(pool_rule),
	CASE(copy_is_independent_and_equal),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
