/* KCore and the reference model agree on long pseudo-random histories:
 * operations of every kind with operands drawn from small pools, so that
 * collisions (same page, gfn, VM, unit) are common, interleaved with
 * speculative TLB fills.  Deterministic: a fixed-seed generator. */
#include "check.h"
#include "e2e_fixture.h"
#include "guest_image.h"
#include "hyp/addr.h"
#include "kserv.h"
#include "sim/machine.h"

struct gen { uint64_t s; };

/* xorshift64*: any odd constant multiplier spreads the state well. */
static uint64_t next(struct gen *g)
{
	g->s ^= g->s >> 12;
	g->s ^= g->s << 25;
	g->s ^= g->s >> 27;
	return g->s * 0x2545f4914f6cdd1dull;
}

static uint64_t pick(struct gen *g, const uint64_t *pool, unsigned n)
{
	return pool[next(g) % n];
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

struct pools {
	uint64_t vm[6], vcpu[3], pfn[10], gfn[7], gpa[6], iova[6], unit[4], pa[8], npages[4];
};

static void fill_pools(struct pools *p)
{
	const struct kcore_boot *b = e2e_boot();
	uint64_t ram_end = b->ram_base_pfn + b->ram_pages;

	*p = (struct pools){
		.vm = { 1, 1, 2, 2, 3, 0 },
		.vcpu = { 0, 1, KCORE_MAX_VCPUS },
		.pfn = { e2e_pfn(0), e2e_pfn(1), e2e_pfn(2), e2e_pfn(3), e2e_pfn(4), e2e_pfn(512),
			 e2e_pfn(513), b->kcore_base_pfn, ram_end, 5 },
		.gfn = { 0x80, 0x81, 0x82, 0x280, 0x40080, 0, S2_MAX_GFN + 1 },
		.gpa = { 0x80000, 0x81000, 0x82000, 0x280000, 0x80008, (S2_MAX_GFN + 1) << PAGE_SHIFT },
		.iova = { 0, 0x1000, 0x2000, 0x201000, 0x1008, (S2_MAX_GFN + 1) << PAGE_SHIFT },
		.unit = { 0, 1, 2, KCORE_SMMU_UNITS },
		.pa = { e2e_pfn(0) << PAGE_SHIFT, e2e_pfn(1) << PAGE_SHIFT, (e2e_pfn(2) << PAGE_SHIFT) + 0x18,
			e2e_pfn(512) << PAGE_SHIFT, e2e_mmio_pa(0), e2e_mmio_pa(1), b->kcore_base_pfn << PAGE_SHIFT,
			0x1000 },
		.npages = { 1, 2, 0, 9 },
	};
}

/* Operands for host call op, from the pools. */
static void host_args(struct gen *g, const struct pools *p, uint64_t op, uint64_t a[3])
{
	switch (op) {
	case HVC_REGISTER_VCPU: case HVC_VCPU_RUN:
		a[0] = pick(g, p->vm, N(p->vm)), a[1] = pick(g, p->vcpu, N(p->vcpu)); break;
	case HVC_SET_BOOT_INFO:
		a[0] = pick(g, p->vm, N(p->vm)), a[1] = pick(g, p->gpa, N(p->gpa)), a[2] = pick(g, p->npages, N(p->npages)); break;
	case HVC_REMAP_VM_IMAGE:
		a[0] = pick(g, p->vm, N(p->vm)), a[1] = pick(g, p->pfn, N(p->pfn)), a[2] = next(g) % 3; break;
	case HVC_MAP_VM_PAGE:
		a[0] = pick(g, p->vm, N(p->vm)), a[1] = pick(g, p->gfn, N(p->gfn)), a[2] = pick(g, p->pfn, N(p->pfn)); break;
	case HVC_SMMU_ALLOC:
		a[0] = pick(g, p->unit, N(p->unit)), a[1] = next(g) % 2 ? 0 : pick(g, p->vm, N(p->vm)); break;
	case HVC_SMMU_MAP:
		a[0] = pick(g, p->unit, N(p->unit)), a[1] = pick(g, p->iova, N(p->iova)), a[2] = pick(g, p->pfn, N(p->pfn)); break;
	case HVC_SMMU_UNMAP: case HVC_SMMU_FREE:
		a[0] = pick(g, p->unit, N(p->unit)), a[1] = pick(g, p->iova, N(p->iova)); break;
	case HVC_SMMU_IOVA_TO_PHYS:
		a[0] = pick(g, p->unit, N(p->unit)), a[1] = pick(g, p->iova, N(p->iova)) + next(g) % 2 * 0x10; break;
	case HVC_IOREMAP:
		a[0] = pick(g, p->vm, N(p->vm)), a[1] = pick(g, p->gpa, N(p->gpa)), a[2] = pick(g, p->pa, N(p->pa)); break;
	default:
		a[0] = pick(g, p->vm, N(p->vm)); break;
	}
}

/* The first CPU in the host (in_guest false) or running a guest (true);
 * -1 if none. */
static int cpu_where(bool in_guest)
{
	for (unsigned c = 0; c < e2e_boot()->ncpus; c++) {
		struct kcore_cpu_view cv;
		if (target_kcore.view_cpu(c, &cv) && (cv.vm != 0) == in_guest)
			return (int)c;
	}
	return -1;
}

static int host_cpu(void) { return cpu_where(false); }
static int guest_cpu(void) { return cpu_where(true); }

/* KServ loads the image a READY VM's boot info asks for into its own pages
 * and offers them, so that some verifications succeed.  Every fault and
 * call goes through the oracles. */
static void load_image(struct gen *g)
{
	unsigned vm = 1 + (unsigned)(next(g) % 3);
	int cpu = host_cpu();
	struct kcore_vm_view view;
	struct violation v;
	int64_t ret;

	if (cpu < 0 || !target_kcore.view_vm(vm, &view) || view.state != VM_READY || !view.boot_set)
		return;
	for (unsigned img = 0; img < guest_image_count(); img++) {
		if (guest_image_npages(img) != view.boot_npages)
			continue;
		for (unsigned idx = 0; idx < view.boot_npages; idx++) {
			uint64_t pfn = e2e_pfn(64 + 16 * vm + idx + (unsigned)(next(g) % 2) * 8);
			if (view.image_pfn[idx] != 0)
				continue;
			e2e_expect_clean(e2e_try_fault((unsigned)cpu, pfn << PAGE_SHIFT, &ret, &v), &v);
			if (ret != KCORE_OK)
				continue;
			sim_set_cpu((unsigned)cpu);
			CHECK_EQ(kserv_load_image(img, idx, pfn), 0);
			e2e_expect_clean(e2e_try_hvc((unsigned)cpu, HVC_REMAP_VM_IMAGE, vm, pfn, idx, &ret, &v), &v);
		}
		return;
	}
}

static void random_step(struct gen *g, const struct pools *p)
{
	unsigned cpu = (unsigned)(next(g) % e2e_boot()->ncpus);
	unsigned what = (unsigned)(next(g) % 16);
	struct violation v;
	uint64_t a[3] = { 0, 0, 0 };
	int64_t ret;

	if (what < 9) {
		uint64_t op = 1 + next(g) % (HVC__END - 1);
		host_args(g, p, op, a);
		e2e_expect_clean(e2e_try_hvc(cpu, op, a[0], a[1], a[2], &ret, &v), &v);
	} else if (what < 12) {
		uint64_t op = 1 + next(g) % (GHVC__END - 1);
		int gcpu = guest_cpu();
		/* Exits and power-offs are rarer than grants and revokes. */
		if (op >= GHVC_POWER_OFF && next(g) % 4 != 0)
			op -= 2;
		e2e_ghvc(gcpu >= 0 && next(g) % 4 != 0 ? (unsigned)gcpu : cpu, op, pick(g, p->gfn, N(p->gfn)));
	} else if (what < 14) {
		e2e_expect_clean(e2e_try_fault(cpu, pick(g, p->pa, N(p->pa)), &ret, &v), &v);
	} else if (what < 15) {
		sim_tlb_spec_fill(cpu, pick(g, p->pa, N(p->pa)));
		sim_tlb_spec_fill(cpu, pick(g, p->gfn, N(p->gfn)) << PAGE_SHIFT);
		e2e_expect_clean(e2e_quiescent(&v), &v);
	} else {
		load_image(g);
	}
}

static void run_history(uint64_t seed, unsigned steps)
{
	struct gen g = { seed };
	struct pools p;

	e2e_up();
	fill_pools(&p);
	/* One VM booted properly and running, so granting and DMA happen. */
	e2e_boot_vm(0, 0x80, e2e_pfn(4), 2);
	CHECK_EQ(e2e_hvc(1, HVC_VCPU_RUN, 1, 0, 0), KCORE_OK);
	for (unsigned i = 0; i < steps; i++)
		random_step(&g, &p);
}

TEST(random_histories_agree_seed_1) { run_history(0x9e3779b97f4a7c15ull, 3000); }
TEST(random_histories_agree_seed_2) { run_history(0x2545f4914f6cdd1dull, 3000); }
TEST(random_histories_agree_seed_3) { run_history(0x0123456789abcdefull, 3000); }

static const struct test_case cases[] = {
	CASE(random_histories_agree_seed_1),
	CASE(random_histories_agree_seed_2),
	CASE(random_histories_agree_seed_3),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
