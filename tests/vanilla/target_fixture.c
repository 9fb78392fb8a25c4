#include "target_fixture.h"

#include <stddef.h>

#include "guest_image.h"
#include "setup.h"

const struct hyp_target *tf_target;

static void panic_fails_case(void *ctx, const char *why)
{
	(void)ctx;
	CHECK_FAIL_("panic on %s: %s", tf_target ? tf_target->name : "(no target)", why);
}

void tf_machine(void)
{
	struct sim_config cfg;

	sim_config_default(&cfg);
	sim_set_event_sink(NULL, NULL);
	sim_set_yield_hook(NULL, NULL);
	sim_set_panic_hook(panic_fails_case, NULL);
	CHECK_EQ(sim_init(&cfg), 0);
	tf_target = NULL;
}

void tf_boot(const struct hyp_target *t)
{
	struct kcore_boot boot;

	sim_restore();
	tf_target = t;
	kt_layout(&boot);
	CHECK(t->region_pages_needed() <= boot.kcore_pages);
	CHECK_EQ(t->init(&boot), KCORE_OK);
	for (unsigned cpu = 0; cpu < boot.ncpus; cpu++) {
		sim_set_cpu(cpu);
		t->init_cpu();
	}
	sim_set_cpu(TF_HOST_CPU);
}

/* 16 MiB into RAM; the tables' region is at the start of RAM. */
uint64_t tf_data_pfn(unsigned i)
{
	return (sim_cfg()->ram_base >> PAGE_SHIFT) + 0x1000 + i;
}

uint64_t tf_mmio_pfn(void)
{
	return sim_cfg()->mmio_base >> PAGE_SHIFT;
}

int64_t tf_hvc(uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2)
{
	sim_set_cpu(TF_HOST_CPU);
	return tf_target->host_call(op, a0, a1, a2);
}

int64_t tf_ghvc(unsigned cpu, uint64_t op, uint64_t a0)
{
	sim_set_cpu(cpu);
	int64_t ret = tf_target->guest_call(op, a0);
	sim_set_cpu(TF_HOST_CPU);
	return ret;
}

int64_t tf_run(unsigned cpu, uint64_t vm, uint64_t vcpu)
{
	sim_set_cpu(cpu);
	int64_t ret = tf_target->host_call(HVC_VCPU_RUN, vm, vcpu, 0);
	sim_set_cpu(TF_HOST_CPU);
	return ret;
}

int tf_host_access(uint64_t pa, unsigned flags, uint64_t *val)
{
	struct sim_access acc;
	int fault;

	sim_set_cpu(TF_HOST_CPU);
	fault = sim_cpu_access(TF_HOST_CPU, pa, flags, val, &acc);
	if (fault == SIM_OK)
		return SIM_OK;
	(void)tf_target->kserv_fault(pa);
	return sim_cpu_access(TF_HOST_CPU, pa, flags, val, &acc);
}

int tf_host_read(uint64_t pa, uint64_t *val)
{
	return tf_host_access(pa, 0, val);
}

int tf_host_write(uint64_t pa, uint64_t val)
{
	return tf_host_access(pa, SIM_ACC_WRITE, &val);
}

int tf_guest_access(unsigned cpu, uint64_t ipa, unsigned flags, uint64_t *val)
{
	struct sim_access acc;

	return sim_cpu_access(cpu, ipa, flags, val, &acc);
}

int tf_guest_read(unsigned cpu, uint64_t ipa, uint64_t *val)
{
	return tf_guest_access(cpu, ipa, 0, val);
}

int tf_guest_write(unsigned cpu, uint64_t ipa, uint64_t val)
{
	return tf_guest_access(cpu, ipa, SIM_ACC_WRITE, &val);
}

/* Little-endian words, as the hypervisors hash the bytes. */
static uint64_t word_at(const uint8_t *bytes, unsigned off)
{
	uint64_t word = 0;

	for (unsigned b = 0; b < 8; b++)
		word |= (uint64_t)bytes[off + b] << (8 * b);
	return word;
}

uint64_t tf_image_word(unsigned img, unsigned idx, unsigned off)
{
	uint8_t bytes[PAGE_SIZE];

	guest_image_page(img, idx, bytes);
	return word_at(bytes, off);
}

void tf_write_image_page(unsigned img, unsigned idx, uint64_t pfn, uint64_t corrupt)
{
	uint8_t bytes[PAGE_SIZE];

	guest_image_page(img, idx, bytes);
	for (unsigned off = 0; off < PAGE_SIZE; off += 8) {
		uint64_t word = word_at(bytes, off) ^ (off == 0 ? corrupt : 0);

		CHECK_EQ(tf_host_write(tf_pa(pfn) + off, word), SIM_OK);
	}
}

unsigned tf_boot_vm(unsigned img, uint64_t first_pfn, unsigned nvcpus)
{
	unsigned npages = guest_image_npages(img);
	int64_t vm = tf_hvc(HVC_REGISTER_VM, 0, 0, 0);

	CHECK(vm >= 1 && vm <= KCORE_MAX_VMS);
	for (unsigned v = 0; v < nvcpus; v++)
		CHECK_EQ(tf_hvc(HVC_REGISTER_VCPU, (uint64_t)vm, v, 0), 0);
	CHECK_EQ(tf_hvc(HVC_SET_BOOT_INFO, (uint64_t)vm, TF_IMAGE_GFN << PAGE_SHIFT, npages), 0);
	for (unsigned idx = 0; idx < npages; idx++) {
		tf_write_image_page(img, idx, first_pfn + idx, 0);
		CHECK_EQ(tf_hvc(HVC_REMAP_VM_IMAGE, (uint64_t)vm, first_pfn + idx, idx), 0);
	}
	CHECK_EQ(tf_hvc(HVC_VERIFY_VM_IMAGE, (uint64_t)vm, 0, 0), 0);
	return (unsigned)vm;
}

struct kcore_page_view tf_page(uint64_t pfn)
{
	struct kcore_page_view v;

	CHECK(tf_target->view_page(pfn, &v));
	return v;
}

struct kcore_vm_view tf_vm(unsigned vm)
{
	struct kcore_vm_view v;

	CHECK(tf_target->view_vm(vm, &v));
	return v;
}
