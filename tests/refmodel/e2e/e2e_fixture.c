#include "e2e_fixture.h"

#include "check.h"
#include "guest_image.h"
#include "hyp/addr.h"
#include "hyp/s2desc.h"
#include "hyp_target.h"
#include "kserv.h"
#include "sim/machine.h"

struct model_oracle e2e_oracle;
static struct kcore_boot boot;
static const struct hyp_target *target = &target_kcore;

void e2e_expect_clean(bool violated, const struct violation *v)
{
	if (violated) {
		violation_print(stderr, v);
		CHECK(!violated);
	}
}

void e2e_up(void)
{
	struct violation v;

	e2e_expect_clean(e2e_try_up(&target_kcore, MODEL_CHECK_ALL, &v), &v);
}

bool e2e_try_up(const struct hyp_target *t, unsigned checks, struct violation *v)
{
	struct sim_config cfg;

	if (e2e_oracle.model == NULL)
		CHECK(model_oracle_create(&e2e_oracle, t, checks));
	target = e2e_oracle.target = t;
	e2e_oracle.checks = checks;
	sim_config_default(&cfg);
	CHECK_EQ(sim_init(&cfg), 0);
	boot = (struct kcore_boot){
		.ram_base_pfn = cfg.ram_base >> PAGE_SHIFT, .ram_pages = cfg.ram_bytes >> PAGE_SHIFT,
		.kcore_base_pfn = cfg.ram_base >> PAGE_SHIFT, .kcore_pages = target->region_pages_needed(),
		.mmio_base_pfn = cfg.mmio_base >> PAGE_SHIFT, .mmio_pages = cfg.mmio_bytes >> PAGE_SHIFT,
		.ncpus = cfg.ncpus,
	};
	int64_t ret = target->init(&boot);
	for (unsigned cpu = 0; cpu < boot.ncpus; cpu++) {
		sim_set_cpu(cpu);
		target->init_cpu();
	}
	sim_set_cpu(0);
	if (model_oracle_reset(&e2e_oracle, &boot, ret, v))
		return true;
	CHECK_EQ(ret, KCORE_OK);
	return model_oracle_quiescent(&e2e_oracle, v);
}

const struct kcore_boot *e2e_boot(void)
{
	return &boot;
}

bool e2e_quiescent(struct violation *v)
{
	return model_oracle_quiescent(&e2e_oracle, v);
}

bool e2e_try_hvc(unsigned cpu, uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2, int64_t *ret,
		 struct violation *v)
{
	sim_set_cpu(cpu);
	*ret = target->host_call(op, a0, a1, a2);
	return model_oracle_host_call(&e2e_oracle, cpu, op, a0, a1, a2, *ret, v) || e2e_quiescent(v);
}

bool e2e_try_fault(unsigned cpu, uint64_t pa, int64_t *ret, struct violation *v)
{
	sim_set_cpu(cpu);
	*ret = target->kserv_fault(pa);
	return model_oracle_kserv_fault(&e2e_oracle, cpu, pa, *ret, v) || e2e_quiescent(v);
}

int64_t e2e_hvc(unsigned cpu, uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2)
{
	struct violation v;
	int64_t ret;

	e2e_expect_clean(e2e_try_hvc(cpu, op, a0, a1, a2, &ret, &v), &v);
	return ret;
}

int64_t e2e_ghvc(unsigned cpu, uint64_t op, uint64_t a0)
{
	struct violation v;
	int64_t ret;

	sim_set_cpu(cpu);
	ret = target->guest_call(op, a0);
	e2e_expect_clean(model_oracle_guest_call(&e2e_oracle, cpu, op, a0, ret, &v), &v);
	e2e_expect_clean(e2e_quiescent(&v), &v);
	return ret;
}

int64_t e2e_fault(unsigned cpu, uint64_t pa)
{
	struct violation v;
	int64_t ret;

	e2e_expect_clean(e2e_try_fault(cpu, pa, &ret, &v), &v);
	return ret;
}

uint64_t e2e_pfn(unsigned i)
{
	return boot.ram_base_pfn + (16u << 20 >> PAGE_SHIFT) + i;
}

uint64_t e2e_mmio_pa(unsigned i)
{
	return (boot.mmio_base_pfn + i) << PAGE_SHIFT;
}

unsigned e2e_boot_vm(unsigned img, uint64_t gfn, uint64_t first_pfn, unsigned nvcpus)
{
	unsigned npages = guest_image_npages(img);
	int64_t vm = e2e_hvc(0, HVC_REGISTER_VM, 0, 0, 0);

	CHECK(vm > 0);
	for (unsigned c = 0; c < nvcpus; c++)
		CHECK_EQ(e2e_hvc(0, HVC_REGISTER_VCPU, (uint64_t)vm, c, 0), KCORE_OK);
	CHECK_EQ(e2e_hvc(0, HVC_SET_BOOT_INFO, (uint64_t)vm, gfn << PAGE_SHIFT, npages), KCORE_OK);
	for (unsigned i = 0; i < npages; i++) {
		/* Fault the page in first, through the oracles, so the load
		 * itself takes no fault the model would not see. */
		CHECK_EQ(e2e_fault(0, (first_pfn + i) << PAGE_SHIFT), KCORE_OK);
		sim_set_cpu(0);
		CHECK_EQ(kserv_load_image(img, i, first_pfn + i), 0);
		CHECK_EQ(e2e_hvc(0, HVC_REMAP_VM_IMAGE, (uint64_t)vm, first_pfn + i, i), KCORE_OK);
	}
	CHECK_EQ(e2e_hvc(0, HVC_VERIFY_VM_IMAGE, (uint64_t)vm, 0, 0), KCORE_OK);
	return (unsigned)vm;
}

uint64_t e2e_table_of(uint64_t root, uint64_t ipa, unsigned level)
{
	uint64_t t = root;

	for (unsigned l = S2_START_LEVEL; l < level; l++) {
		uint64_t d = sim_coherent_read64(t + 8ull * s2_index(ipa, l));
		CHECK(s2_is_table(d, l));
		t = s2_oa(d);
	}
	return t;
}

void e2e_poke_leaf(uint64_t root, uint64_t ipa, uint64_t desc)
{
	sim_coherent_write64(e2e_table_of(root, ipa, 3) + 8ull * s2_index(ipa, 3), desc);
}

uint64_t e2e_kserv_root(void)
{
	struct kcore_region_view r;

	target_kcore.view_region(&r);
	return r.kserv_root;
}

uint64_t e2e_vm_root(unsigned vm)
{
	struct kcore_vm_view v;

	CHECK(target_kcore.view_vm(vm, &v));
	return v.npt_root;
}
