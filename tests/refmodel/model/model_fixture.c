#include "model_fixture.h"

#include "check.h"

bool fx_images_good = true;

static bool fake_image_check(void *ctx, const uint64_t *pfn, unsigned npages)
{
	(void)ctx;
	(void)pfn;
	(void)npages;
	return fx_images_good;
}

void fx_boot(struct kcore_boot *b)
{
	*b = (struct kcore_boot){
		.ram_base_pfn = FX_RAM_BASE_PFN, .ram_pages = FX_RAM_PAGES,
		.kcore_base_pfn = FX_RAM_BASE_PFN, .kcore_pages = FX_KCORE_PAGES,
		.mmio_base_pfn = FX_MMIO_BASE_PFN, .mmio_pages = FX_MMIO_PAGES,
		.ncpus = FX_NCPUS,
	};
}

struct ref_model *fx_model(void)
{
	static struct ref_model *m;
	struct kcore_boot b;

	/* One model per test process is enough: ref_init resets it fully. */
	if (m == NULL)
		m = ref_new();
	CHECK(m != NULL);
	fx_images_good = true;
	ref_set_image_check(m, fake_image_check, NULL);
	fx_boot(&b);
	CHECK_EQ(ref_init(m, &b), KCORE_OK);
	return m;
}

const struct ref_page *fx_page(const struct ref_model *m, uint64_t pfn)
{
	const struct ref_page *p = ref_page_get(ref_state_of(m), pfn);
	CHECK(p != NULL);
	return p;
}

const struct ref_vm *fx_vm(const struct ref_model *m, unsigned vm)
{
	return &ref_state_of(m)->vm[vm];
}

int64_t fx_hvc(struct ref_model *m, uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2)
{
	return ref_host_call(m, 0, op, a0, a1, a2);
}

int64_t fx_ghvc(struct ref_model *m, unsigned cpu, uint64_t op, uint64_t a0)
{
	return ref_guest_call(m, cpu, op, a0);
}

unsigned fx_ready_vm(struct ref_model *m, unsigned npages, uint64_t first_pfn)
{
	int64_t vm = fx_hvc(m, HVC_REGISTER_VM, 0, 0, 0);

	CHECK(vm >= 1 && vm <= KCORE_MAX_VMS);
	CHECK_EQ(fx_hvc(m, HVC_REGISTER_VCPU, (uint64_t)vm, 0, 0), KCORE_OK);
	CHECK_EQ(fx_hvc(m, HVC_REGISTER_VCPU, (uint64_t)vm, 1, 0), KCORE_OK);
	CHECK_EQ(fx_hvc(m, HVC_SET_BOOT_INFO, (uint64_t)vm, FX_IMAGE_GFN << 12, npages), KCORE_OK);
	for (unsigned i = 0; i < npages; i++)
		CHECK_EQ(fx_hvc(m, HVC_REMAP_VM_IMAGE, (uint64_t)vm, first_pfn + i, i), KCORE_OK);
	return (unsigned)vm;
}

unsigned fx_verified_vm(struct ref_model *m, unsigned npages, uint64_t first_pfn)
{
	unsigned vm = fx_ready_vm(m, npages, first_pfn);

	CHECK_EQ(fx_hvc(m, HVC_VERIFY_VM_IMAGE, vm, 0, 0), KCORE_OK);
	return vm;
}

unsigned fx_running_vm(struct ref_model *m, unsigned npages, uint64_t first_pfn, unsigned cpu)
{
	unsigned vm = fx_verified_vm(m, npages, first_pfn);

	CHECK_EQ(ref_host_call(m, cpu, HVC_VCPU_RUN, vm, 0, 0), KCORE_OK);
	return vm;
}
